/**
 * Code export of the tuner kinds. A tuner exports as the best params its run found: plain
 * scikit-learn code (no Optuna) that builds that model (or pipeline), scores it on the same
 * cross-validation folds (`KFold` / `StratifiedKFold` with `shuffle=True, random_state=seed`), and
 * fits it on all the input with the model kinds' runtime helper `_ml_fit` (engine/ml/
 * python-helpers.ts), so the exported model is applied by `_ml_apply` like any other. The best
 * params are only known after a run, so the generator needs the node's run result from the
 * exporter (`result(port)` on the context, see `RunResultContext`); without one, the node is left
 * out with that reason.
 */
import type { PortValue } from '../catalog/define-node.ts';
import { helper } from '../ml/codegen.ts';
import type { Codegen, PyCode, PyGenContext } from '../export/types.ts';
import { tunableModel, pyFloat } from './models.ts';
import { metrics, type MetricName } from './scoring.ts';
import type { Params, ParamValue } from './space.ts';
import { STUDY_SECTION } from './record.ts';

/** What an export made after a run may add to a generator's context: the node's outputs from that run. */
export interface RunResultContext {
  result?(port: string): PortValue | undefined;
}

export const noRunReason =
  'a tuner exports as the best params its run found, and there is no current run result for the node: run the pipeline (Run in the editor, or `kanvas run`), then export';
const otherTargets = (target: string) =>
  `a tuner exports as scikit-learn code fitted on a pandas DataFrame (its best params, same CV folds); ${target} has no scikit-learn — export to pandas`;

/** Settings a tuner stores in its report (`config`), as far as the export needs them. */
export interface TunedConfig {
  target: string;
  features: string[];
  folds: number;
  seed: number;
  metric: MetricName;
  task?: 'regression' | 'classification';
  model?: string;
}

/** The best pipeline to export: the model kind and its tuned params, and (AutoML) preprocessing. */
export interface TunedPipeline {
  model: string;
  tuned: Params;
  /** Selected features (SelectKBest k), when fewer than all. */
  k?: number;
  poly?: boolean;
  scale?: boolean;
}

/** Reads the settings and best params a tuner's report holds. */
export function readBest(report: PortValue | undefined): { config: Record<string, unknown>; best: Params; value: number; number: number } | undefined {
  if (report?.type !== 'report') return undefined;
  const section = report.sections.find((s) => s.kind === 'table' && s.title === STUDY_SECTION);
  if (section?.kind !== 'table') return undefined;
  const fact = (key: string) => section.rows.find((r) => r[0] === key)?.[1];
  const config = fact('config');
  const best = fact('best params');
  const trial = fact('best trial');
  const value = fact('best value');
  if (typeof config !== 'string' || typeof best !== 'string' || value === undefined) return undefined;
  return { config: JSON.parse(config), best: JSON.parse(best), value: Number(value), number: Number(trial) };
}

/** A JSON scalar as a Python literal. */
function pyValue(v: ParamValue, str: (s: string) => string): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloat(v);
  return str(v);
}

/**
 * Lines that build the pipeline, score it by cross-validation with the folds Kanvas used, and fit
 * it on all the input (with the model kinds' `_ml_fit`, so it is the same kind of value
 * model.linear and model.logistic export, which `_ml_apply` applies); then a one-row trials frame
 * (the best params and their CV score as scikit-learn computes it) and a summary dict.
 */
export function tunedPandasLines(
  pipeline: TunedPipeline,
  config: TunedConfig,
  o: { input: string; model: string; trials: string; report: string; str: (s: string) => string; helper: (name: string) => string; trial: number; paramColumns: Params },
): string[] {
  const model = tunableModel(pipeline.model, config.task);
  if (!model) throw new Error(`${pipeline.model} is not a tunable model`);
  const params = model.params(pipeline.tuned, config.target, config.features);
  const est = model.sklearn(params);
  const classes = model.task === 'classification';
  const m = metrics[config.metric];
  const s = o.str;
  const v = `${o.model}_`;
  const splitter = classes ? 'StratifiedKFold' : 'KFold';
  const imports = new Set<string>([`from sklearn.model_selection import ${splitter}, cross_val_score`, ...est.imports]);
  const steps: string[] = [];
  if (pipeline.k !== undefined && pipeline.k < config.features.length) {
    const test = classes ? 'f_classif' : 'f_regression';
    imports.add(`from sklearn.feature_selection import SelectKBest, ${test}`);
    steps.push(`("select", SelectKBest(${test}, k=${pipeline.k}))`);
  }
  if (pipeline.poly) {
    imports.add('from sklearn.preprocessing import PolynomialFeatures');
    steps.push('("poly", PolynomialFeatures(degree=2, include_bias=False))');
  }
  if (pipeline.scale) {
    imports.add('from sklearn.preprocessing import StandardScaler');
    steps.push('("scale", StandardScaler())');
  }
  if (steps.length) imports.add('from sklearn.pipeline import Pipeline');
  const estimator = steps.length ? `Pipeline([${[...steps, `("model", ${est.estimator})`].join(', ')}])` : est.estimator;
  const scoring = config.metric === 'roc_auc' ? `"roc_auc" if len(set(${v}y.tolist())) == 2 else "roc_auc_ovr"` : s(m.sklearn);
  const sign = m.sklearn.startsWith('neg_') ? '-' : '';
  const features = `[${config.features.map(s).join(', ')}]`;
  const columns = Object.entries(o.paramColumns).map(([name, value]) => `${s(`params_${name}`)}: [${pyValue(value, s)}]`);
  const bestParams = `{${Object.entries(pipeline.tuned).map(([k, val]) => `${s(k)}: ${pyValue(val, s)}`).join(', ')}}`;
  return [
    ...[...imports].sort(),
    `${v}X = ${o.helper('_ml_numeric')}(${o.input}, ${features})`,
    `${v}y = ${classes ? `${o.helper('_ml_labels')}(${o.input}[${s(config.target)}])` : `${o.input}[${s(config.target)}].to_numpy(dtype="float64")`}`,
    `${o.model} = ${estimator}`,
    `# ${m.title} by ${config.folds}-fold cross-validation on the folds Kanvas used (seed ${config.seed})`,
    `${v}cv = ${sign}cross_val_score(${o.model}, ${v}X, ${v}y, cv=${splitter}(n_splits=${config.folds}, shuffle=True, random_state=${config.seed}), scoring=${scoring}).mean()`,
    `${o.model} = ${o.helper('_ml_fit')}(${o.model}, ${o.input}, ${features}, target=${s(config.target)}${classes ? ', classes=True' : ''})`,
    `${o.trials} = pd.DataFrame({"number": [${o.trial}], "state": ["complete"], "value": [${v}cv]${columns.length ? `, ${columns.join(', ')}` : ''}})`,
    `${o.report} = {"best_params": ${bestParams}, "metric": ${s(config.metric)}, "value": float(${v}cv)}`,
  ];
}

/** The codegen of a tuner kind: pandas from its run result; other targets unsupported. */
export function tunedCodegen<P>(pipelineOf: (best: Params, config: Record<string, unknown>) => { pipeline: TunedPipeline; columns: Params }, trialsPort: string): Codegen<'in', string, P> {
  return {
    pandas: (_params: P, ctx: PyGenContext<'in', string>): PyCode => {
      const found = readBest((ctx as PyGenContext<'in', string> & RunResultContext).result?.('report'));
      if (!found) return { unsupported: noRunReason };
      const config = found.config as unknown as TunedConfig;
      const { pipeline, columns } = pipelineOf(found.best, found.config);
      return {
        lines: tunedPandasLines(pipeline, config, {
          input: ctx.inputs.in,
          model: ctx.outputs['model']!,
          trials: ctx.outputs[trialsPort]!,
          report: ctx.outputs['report']!,
          str: ctx.str,
          helper: (name) => helper(ctx, name),
          trial: found.number,
          paramColumns: columns,
        }),
      };
    },
    pyspark: { unsupported: otherTargets('PySpark') },
    beam: { unsupported: otherTargets('Beam') },
    sql: { unsupported: 'DuckDB SQL cannot fit models; a tuner exports as scikit-learn code (pandas target)' },
  };
}
