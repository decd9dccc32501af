/**
 * Code export of the preprocessing and model kinds. pandas: scikit-learn estimators fitted on the
 * DataFrame (StandardScaler, OneHotEncoder, SimpleImputer, SelectKBest, LinearRegression / Ridge /
 * Lasso / ElasticNet, LogisticRegression) and applied, evaluated and cross-validated by the runtime
 * helpers in python-helpers.ts. PySpark: DataFrame aggregates where MLlib's transformers fit a
 * different model, MLlib's LinearRegression / LogisticRegression with params that give the same
 * objective (see spark-helpers.ts). Beam and SQL cannot fit; SQL can apply a fitted linear or
 * logistic model (or transform) when the export has the run's artifact.
 */
import type { PortValue } from '../catalog/define-node.ts';
import { NotExportable } from '../export/sql-expr.ts';
import type { Codegen, PyCode, PyGenContext, SqlCode, SqlGenContext } from '../export/types.ts';
import { applierFor } from './appliers.ts';
import { isArtifact } from './artifact.ts';

/**
 * What an export made after a run may add to a generator's context: the values that reached
 * the node's inputs in that run (the fitted artifact on `model.predict`'s `model` port). The same
 * idea as the tuners' `result(port)` (engine/tune/codegen.ts), for inputs.
 */
export interface RunInputContext {
  input?(port: string): PortValue | undefined;
}

export const beamReason = (what: string) =>
  `Apache Beam has no scikit-learn or MLlib to ${what} with, and a fit needs all rows on one worker: export to pandas (scikit-learn) or PySpark`;
export const sqlFitReason = (what: string) => `DuckDB SQL cannot ${what} (a fit is not a query, and SQL has no model values): export to pandas (scikit-learn)`;

/** A runtime helper; a target whose registry lacks it makes the node not exportable (with why), not the export fail. */
export function helper(ctx: Pick<PyGenContext<string, string>, 'helper'>, name: string): string {
  try {
    return ctx.helper(name);
  } catch (err) {
    if (err instanceof NotExportable) throw err;
    throw new NotExportable(`the export has no runtime helper ${name} (the model kinds' helpers in engine/ml/*-helpers.ts are not registered with this target)`);
  }
}

/** A Python float literal that reads back as the same double. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'float("nan")';
  if (!Number.isFinite(x)) return x > 0 ? 'float("inf")' : '-float("inf")';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function pyValue(v: string | number | boolean | null | undefined, ctx: PyGenContext<string, string>): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  return ctx.str(v);
}

function list(names: string[], ctx: PyGenContext<string, string>): string {
  return `[${names.map((n) => ctx.str(n)).join(', ')}]`;
}

/** `_ml_columns(d, [...], exclude=…, kind=…)`: the params' columns, or the kind's default at run time. */
function columnsExpr(ctx: PyGenContext<string, string>, frame: string, names: string[], o: { exclude?: string; kind?: 'numeric' | 'categorical' | 'any' } = {}): string {
  const args = [frame, list(names, ctx), ...(o.exclude !== undefined ? [`exclude=${ctx.str(o.exclude)}`] : []), ...(o.kind && o.kind !== 'numeric' ? [`kind=${ctx.str(o.kind)}`] : [])];
  return `${helper(ctx, '_ml_columns')}(${args.join(', ')})`;
}

function targetExpr(ctx: PyGenContext<string, string>, frame: string, target: string): string {
  return `${helper(ctx, '_ml_columns')}(${frame}, [${ctx.str(target)}])[0]`;
}

/** A fitted-then-applied transform: the fit line(s), then `out = _ml_apply(model, in)`. */
function transformLines(ctx: PyGenContext<string, string>, imports: string[], fit: string[]): PyCode {
  const apply = helper(ctx, '_ml_apply');
  return { lines: [...imports, ...fit, `${ctx.outputs['out']} = ${apply}(${ctx.outputs['model']}, ${ctx.inputs['in']})`] };
}

function unsupportedOthers<I extends string, O extends string, P>(what: string, pandas: Codegen<I, O, P>['pandas'], pyspark: Codegen<I, O, P>['pyspark']): Codegen<I, O, P> {
  return { pandas, pyspark, beam: { unsupported: beamReason(what) }, sql: { unsupported: sqlFitReason(what) } };
}

type Gen<P> = (p: P, ctx: PyGenContext<string, string>) => PyCode;

// ---- features.scale ---------------------------------------------------------------------------

interface ScaleParams {
  columns: string[];
  method: 'standard' | 'minmax';
}

const scalePandas: Gen<ScaleParams> = (p, ctx) => {
  const cls = p.method === 'standard' ? 'StandardScaler' : 'MinMaxScaler';
  const frame = ctx.inputs['in']!;
  return transformLines(ctx, [`from sklearn.preprocessing import ${cls}`], [`${ctx.outputs['model']} = ${helper(ctx, '_ml_fit')}(${cls}(), ${frame}, ${columnsExpr(ctx, frame, p.columns)})`]);
};

const scaleSpark: Gen<ScaleParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  return {
    lines: [
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_spark_fit_scale')}(${frame}, ${helper(ctx, '_ml_spark_columns')}(${frame}, ${list(p.columns, ctx)}), ${ctx.str(p.method)})`,
      `${ctx.outputs['out']} = ${helper(ctx, '_ml_spark_apply')}(${ctx.outputs['model']}, ${frame})`,
    ],
  };
};

export const scaleCodegen = unsupportedOthers<'in', 'out' | 'model', ScaleParams>('fit a scaler', scalePandas, scaleSpark);

// ---- features.onehot --------------------------------------------------------------------------

interface OneHotParams {
  columns: string[];
  dropFirst: boolean;
}

const onehotPandas: Gen<OneHotParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  const encoder = `OneHotEncoder(${p.dropFirst ? 'drop="first", ' : ''}handle_unknown="ignore", sparse_output=False)`;
  return transformLines(ctx, ['from sklearn.preprocessing import OneHotEncoder'], [
    `${ctx.outputs['model']} = ${helper(ctx, '_ml_fit')}(${encoder}, ${frame}, ${columnsExpr(ctx, frame, p.columns, { kind: 'categorical' })}, categorical=True)`,
  ]);
};

const onehotSpark: Gen<OneHotParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  return {
    lines: [
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_spark_fit_onehot')}(${frame}, ${helper(ctx, '_ml_spark_columns')}(${frame}, ${list(p.columns, ctx)}, kind="categorical"), ${p.dropFirst ? 'True' : 'False'})`,
      `${ctx.outputs['out']} = ${helper(ctx, '_ml_spark_apply')}(${ctx.outputs['model']}, ${frame})`,
    ],
  };
};

export const onehotCodegen = unsupportedOthers<'in', 'out' | 'model', OneHotParams>('fit an encoder', onehotPandas, onehotSpark);

// ---- features.impute --------------------------------------------------------------------------

interface ImputeParams {
  columns: string[];
  strategy: 'mean' | 'median' | 'most_frequent' | 'constant';
  fillValue?: string | number | boolean | undefined;
}

const imputeKind = (p: ImputeParams) => (p.strategy === 'mean' || p.strategy === 'median' ? 'numeric' : 'any');

const imputePandas: Gen<ImputeParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  return transformLines(ctx, [], [
    `${ctx.outputs['model']} = ${helper(ctx, '_ml_impute')}(${frame}, ${columnsExpr(ctx, frame, p.columns, { kind: imputeKind(p) })}, ${ctx.str(p.strategy)}, ${pyValue(p.fillValue, ctx)})`,
  ]);
};

const imputeSpark: Gen<ImputeParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  return {
    lines: [
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_spark_fit_impute')}(${frame}, ${helper(ctx, '_ml_spark_columns')}(${frame}, ${list(p.columns, ctx)}, kind=${ctx.str(imputeKind(p))}), ${ctx.str(p.strategy)}, ${pyValue(p.fillValue, ctx)})`,
      `${ctx.outputs['out']} = ${helper(ctx, '_ml_spark_apply')}(${ctx.outputs['model']}, ${frame})`,
    ],
  };
};

export const imputeCodegen = unsupportedOthers<'in', 'out' | 'model', ImputeParams>('fit an imputer', imputePandas, imputeSpark);

// ---- features.select --------------------------------------------------------------------------

interface SelectParams {
  target: string;
  features: string[];
  k: number;
  method: 'f-test' | 'mutual-info';
  task: 'auto' | 'regression' | 'classification';
  seed: number;
}

const selectPandas: Gen<SelectParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  const v = `${ctx.outputs['model']}_`;
  const lines: string[] = [];
  const classes =
    p.task === 'auto'
      ? `${v}classes`
      : p.task === 'classification'
        ? 'True'
        : 'False';
  lines.push(`${v}target = ${targetExpr(ctx, frame, p.target)}`);
  if (p.task === 'auto') {
    lines.push(`# task auto: classes for a text or boolean target, a regression for a numeric one`);
    lines.push(`${v}classes = not pd.api.types.is_numeric_dtype(${frame}[${v}target].dtype) or pd.api.types.is_bool_dtype(${frame}[${v}target].dtype)`);
  }
  let score: string;
  if (p.method === 'f-test') {
    lines.unshift('from sklearn.feature_selection import SelectKBest, f_classif, f_regression');
    score = `(f_classif if ${classes} else f_regression)`;
  } else {
    lines.unshift('import functools', 'from sklearn.feature_selection import SelectKBest, mutual_info_classif, mutual_info_regression');
    score = `functools.partial(mutual_info_classif if ${classes} else mutual_info_regression, random_state=${p.seed})`;
  }
  lines.push(
    `${ctx.outputs['model']} = ${helper(ctx, '_ml_fit')}(SelectKBest(${score}, k=${p.k}), ${frame}, ${columnsExpr(ctx, frame, p.features, { exclude: p.target })}, target=${v}target, classes=${classes})`,
    `${ctx.outputs['out']} = ${helper(ctx, '_ml_apply')}(${ctx.outputs['model']}, ${frame})`,
    `${ctx.outputs['scores']} = ${helper(ctx, '_ml_select_scores')}(${ctx.outputs['model']})`,
  );
  return { lines };
};

export const selectCodegen: Codegen<'in', 'out' | 'model' | 'scores', SelectParams> = {
  pandas: selectPandas,
  pyspark: {
    unsupported:
      'MLlib has no mutual-information estimator, and its UnivariateFeatureSelector ranks features by p-value (ties broken differently from SelectKBest): export to pandas',
  },
  beam: { unsupported: beamReason('score features') },
  sql: { unsupported: sqlFitReason('select features by score') },
};

// ---- model.linear -----------------------------------------------------------------------------

interface LinearParams {
  target: string;
  features: string[];
  penalty: 'none' | 'l2' | 'l1' | 'elasticnet';
  alpha: number;
  l1Ratio: number;
}

/** The scikit-learn estimator with model.linear's objective (coordinate descent run as tightly as Kanvas runs it). */
export function linearEstimator(p: Pick<LinearParams, 'penalty' | 'alpha' | 'l1Ratio'>): { imports: string[]; estimator: string } {
  const cd = 'tol=1e-12, max_iter=1_000_000';
  if (p.penalty === 'none' || p.alpha === 0) return { imports: ['from sklearn.linear_model import LinearRegression'], estimator: 'LinearRegression()' };
  if (p.penalty === 'l2') return { imports: ['from sklearn.linear_model import Ridge'], estimator: `Ridge(alpha=${pyFloat(p.alpha)})` };
  if (p.penalty === 'l1') return { imports: ['from sklearn.linear_model import Lasso'], estimator: `Lasso(alpha=${pyFloat(p.alpha)}, ${cd})` };
  return { imports: ['from sklearn.linear_model import ElasticNet'], estimator: `ElasticNet(alpha=${pyFloat(p.alpha)}, l1_ratio=${pyFloat(p.l1Ratio)}, ${cd})` };
}

const linearPandas: Gen<LinearParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  const est = linearEstimator(p);
  const v = `${ctx.outputs['model']}_`;
  return {
    lines: [
      ...est.imports,
      `${v}target = ${targetExpr(ctx, frame, p.target)}`,
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_fit')}(${est.estimator}, ${frame}, ${columnsExpr(ctx, frame, p.features, { exclude: p.target })}, target=${v}target)`,
    ],
  };
};

const linearSpark: Gen<LinearParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  const v = `${ctx.outputs['model']}_`;
  // In the form ‖y − Xw‖²/(2n) + l1·‖w‖₁ + l2·‖w‖²/2, scikit-learn's objectives are:
  const [l1, l2] =
    p.penalty === 'none' || p.alpha === 0
      ? ['0.0', '0.0']
      : p.penalty === 'l2'
        ? ['0.0', `${pyFloat(p.alpha)} / ${frame}.count()`]
        : p.penalty === 'l1'
          ? [pyFloat(p.alpha), '0.0']
          : [pyFloat(p.alpha * p.l1Ratio), pyFloat(p.alpha * (1 - p.l1Ratio))];
  return {
    lines: [
      `${v}target = ${helper(ctx, '_ml_spark_columns')}(${frame}, [${ctx.str(p.target)}])[0]`,
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_spark_fit_linear')}(${frame}, ${helper(ctx, '_ml_spark_columns')}(${frame}, ${list(p.features, ctx)}, exclude=${v}target), ${v}target, ${l1}, ${l2})`,
    ],
  };
};

export const linearCodegen: Codegen<'in', 'model', LinearParams> = {
  pandas: linearPandas,
  pyspark: linearSpark,
  beam: { unsupported: beamReason('fit a linear model') },
  sql: { unsupported: sqlFitReason('fit a linear model') },
};

// ---- model.logistic ---------------------------------------------------------------------------

interface LogisticParams {
  target: string;
  features: string[];
  C: number;
}

/**
 * LogisticRegression with model.logistic's objective. newton-cg rather than the default lbfgs: the
 * same objective, but lbfgs stops on a relative objective change of 64 machine epsilons whatever
 * `tol` says, leaving coefficients ~1e-3 off the optimum Kanvas converges to. newton-cg's tol
 * bounds the gradient: 1e-8 reaches Kanvas' coefficients; 1e-10 is below what doubles resolve on
 * some data and then runs to max_iter.
 */
export function logisticEstimator(C: number): { imports: string[]; estimator: string } {
  return { imports: ['from sklearn.linear_model import LogisticRegression'], estimator: `LogisticRegression(C=${pyFloat(C)}, solver="newton-cg", tol=1e-8, max_iter=10_000)` };
}

const logisticPandas: Gen<LogisticParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  const est = logisticEstimator(p.C);
  const v = `${ctx.outputs['model']}_`;
  return {
    lines: [
      ...est.imports,
      `${v}target = ${targetExpr(ctx, frame, p.target)}`,
      '# the objective of lbfgs (scikit-learn\'s default solver), solved by newton-cg to a tight tolerance, as Kanvas does',
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_fit')}(${est.estimator}, ${frame}, ${columnsExpr(ctx, frame, p.features, { exclude: p.target })}, target=${v}target, classes=True)`,
    ],
  };
};

const logisticSpark: Gen<LogisticParams> = (p, ctx) => {
  const frame = ctx.inputs['in']!;
  const v = `${ctx.outputs['model']}_`;
  return {
    lines: [
      `${v}target = ${helper(ctx, '_ml_spark_columns')}(${frame}, [${ctx.str(p.target)}])[0]`,
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_spark_fit_logistic')}(${frame}, ${helper(ctx, '_ml_spark_columns')}(${frame}, ${list(p.features, ctx)}, exclude=${v}target), ${v}target, ${pyFloat(p.C)})`,
    ],
  };
};

export const logisticCodegen: Codegen<'in', 'model', LogisticParams> = {
  pandas: logisticPandas,
  pyspark: logisticSpark,
  beam: { unsupported: beamReason('fit a logistic model') },
  sql: { unsupported: sqlFitReason('fit a logistic model') },
};

// ---- model.predict ----------------------------------------------------------------------------

/** The artifact the run fed into `model` (SQL/Beam exports made after a run), if the export has it. */
function runArtifact(ctx: object) {
  const value = (ctx as RunInputContext).input?.('model');
  return value?.type === 'model' && isArtifact(value.artifact) ? value.artifact : undefined;
}

const noArtifactReason =
  'applying a model in DuckDB SQL needs its fitted coefficients, which only a run has: export after a run (the model kinds themselves export to pandas)';

export const predictCodegen: Codegen<'model' | 'data', 'out', Record<string, never>> = {
  pandas: (_p, ctx) => ({ lines: [`${ctx.outputs.out} = ${helper(ctx, '_ml_apply')}(${ctx.inputs.model}, ${ctx.inputs.data})`] }),
  pyspark: (_p, ctx) => ({ lines: [`${ctx.outputs.out} = ${helper(ctx, '_ml_spark_apply')}(${ctx.inputs.model}, ${ctx.inputs.data})`] }),
  beam: { unsupported: beamReason('apply a fitted model') },
  sql: (_p: Record<string, never>, ctx: SqlGenContext<'model' | 'data'>): SqlCode => {
    const artifact = runArtifact(ctx);
    if (!artifact) return { unsupported: noArtifactReason };
    if (artifact.preprocessing?.length) return { unsupported: 'the model carries preprocessing artifacts, which the SQL export does not chain' };
    const applier = applierFor(artifact.kind);
    if (!applier?.sql) return { unsupported: `an artifact of kind ${artifact.kind} has no SQL form` };
    return { query: applier.sql(artifact, ctx.inputs.data, ctx.columns('data')) };
  },
};

// ---- model.evaluate ---------------------------------------------------------------------------

interface EvaluateParams {
  target: string;
  prediction: string;
  probability: string;
  task: 'auto' | 'regression' | 'classification';
  positive?: string | undefined;
}

export const evaluateCodegen: Codegen<'data', 'metrics' | 'report', EvaluateParams> = {
  pandas: (p, ctx) => ({
    lines: [
      `${ctx.outputs.metrics}, ${ctx.outputs.report} = ${helper(ctx, '_ml_evaluate')}(${ctx.inputs.data}, ${ctx.str(p.target)}, ${ctx.str(p.prediction)}, ${ctx.str(p.probability)}, ${ctx.str(p.task)}, ${pyValue(p.positive, ctx)})`,
    ],
  }),
  pyspark: {
    unsupported:
      "MLlib's evaluators differ from scikit-learn's metrics (BinaryClassificationEvaluator bins scores, so ROC AUC is approximate; MulticlassClassificationEvaluator's F1 is label-weighted): export to pandas",
  },
  beam: { unsupported: 'the metrics need all predictions together and scikit-learn: export to pandas' },
  sql: { unsupported: 'the evaluation report (confusion matrix, ROC curve) is not a query: export to pandas' },
};

// ---- model.cross_validate ---------------------------------------------------------------------

interface CrossValidateParams {
  model: 'model.linear' | 'model.logistic';
  target: string;
  features: string[];
  params: Record<string, unknown>;
  k: number;
  stratified: boolean;
  seed: number;
}

export const crossValidateCodegen: Codegen<'in', 'metrics', CrossValidateParams> = {
  pandas: (p, ctx) => {
    const frame = ctx.inputs.in;
    const classes = p.model === 'model.logistic';
    const merged = { penalty: 'none', alpha: 1, l1Ratio: 0.5, C: 1, ...p.params } as { penalty: LinearParams['penalty']; alpha: number; l1Ratio: number; C: number };
    const est = classes ? logisticEstimator(merged.C) : linearEstimator(merged);
    const v = `${ctx.outputs.metrics}_`;
    return {
      lines: [
        ...est.imports,
        `${v}target = ${targetExpr(ctx, frame, p.target)}`,
        `${ctx.outputs.metrics} = ${helper(ctx, '_ml_cross_validate')}(${est.estimator}, ${frame}, ${columnsExpr(ctx, frame, p.features, { exclude: p.target })}, ${v}target, ${p.k}, ${p.seed}, stratified=${p.stratified ? 'True' : 'False'}, classes=${classes ? 'True' : 'False'})`,
      ],
    };
  },
  pyspark: {
    unsupported: "MLlib's CrossValidator assigns folds by a random column, not scikit-learn's KFold, so the folds (and scores) would differ: export to pandas",
  },
  beam: { unsupported: beamReason('cross-validate') },
  sql: { unsupported: sqlFitReason('cross-validate a model') },
};

