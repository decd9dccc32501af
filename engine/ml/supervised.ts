/**
 * What the JS-scored model kinds (model.gbdt, model.random_forest, model.mlp, model.ensemble)
 * share: reading and encoding the training data, training metrics, scoring a fitted artifact in
 * JS (theirs, and model.linear's and model.logistic's, which ensembles may hold), and turning
 * scores into the columns model.predict appends.
 */
import type { ModelValue, TableValue } from '../catalog/define-node.ts';
import type { ColumnInfo, Primitive } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { isNumericType } from '../sql/types.ts';
import type { ModelArtifact } from './artifact.ts';
import { featureColumns, numericTarget, readDataset } from './dataset.ts';
import { forestPredict, type ForestFit } from './forest.ts';
import { gbdtPredict, type GbdtFit } from './gbdt.ts';
import { encodeLabels, type Label, labelsOf, labelText, sortedLabels } from './labels.ts';
import { linearPredict, type LinearState } from './linear.ts';
import { logisticPredict, type LogisticState } from './logistic.ts';
import { classificationMetrics, regressionMetrics } from './metrics.ts';
import { mlpPredict, type MlpState } from './mlp.ts';

/** A model's scores for rows: values, or one probability column per class (in `classes` order). */
export type Scores = { task: 'regression'; value: Float64Array } | { task: 'classification'; proba: Float64Array[] };

/** Training data as the model kinds fit it. */
export type Supervised =
  | { task: 'regression'; X: Float64Array[]; y: Float64Array }
  | { task: 'classification'; X: Float64Array[]; y: Int32Array; classes: Label[]; labels: Label[]; targetType: string };

export type TaskParam = 'auto' | 'regression' | 'classification';

/** The task: as given, or (auto) a regression for a numeric target and classification for text or booleans. */
export function resolveTask(task: TaskParam, targetType: string): 'regression' | 'classification' {
  if (task !== 'auto') return task;
  return isNumericType(targetType) ? 'regression' : 'classification';
}

/** Reads the features and target of a training table and encodes them for `task`. */
export async function readSupervised(
  readRows: (sql: string) => Promise<{ columns: ColumnInfo[]; rows: Primitive[][] }>,
  input: TableValue,
  p: { target: string; features: string[]; task: TaskParam },
  node: string,
): Promise<{ data: Supervised; features: ColumnInfo[]; rows: number; hash: string }> {
  const targetColumn = input.columns.find((c) => c.name.toLowerCase() === p.target.toLowerCase());
  if (!targetColumn) throw new PipelineError({ code: 'param', node, param: 'target', message: `column "${p.target}" not found; columns: ${input.columns.map((c) => c.name).join(', ')}` });
  const features = featureColumns(input, p.features, p.target, node);
  const d = await readDataset(readRows, input, features, p.target, node);
  const task = resolveTask(p.task, targetColumn.type);
  if (task === 'regression') return { data: { task, X: d.X, y: numericTarget(d.y!, node) }, features, rows: d.rows, hash: d.hash };
  const labels = labelsOf(d.y!, node);
  const classes = sortedLabels(labels);
  if (classes.length < 2) {
    throw new PipelineError({ code: 'data', node, param: 'target', message: `the target has ${classes.length === 0 ? 'no values' : `only one class (${JSON.stringify(classes[0])})`}: a classifier needs at least two` });
  }
  return { data: { task, X: d.X, y: encodeLabels(labels, classes), classes, labels, targetType: targetColumn.type }, features, rows: d.rows, hash: d.hash };
}

/** Metrics of scores on the training rows: mse, rmse, mae, r2; or accuracy, log_loss, roc_auc. */
export function trainingMetrics(data: Supervised, scores: Scores): Record<string, number> {
  if (data.task === 'regression' && scores.task === 'regression') return regressionMetrics(data.y, scores.value);
  if (data.task === 'classification' && scores.task === 'classification') {
    const predicted = argmaxClasses(scores.proba);
    const K = data.classes.length;
    const m = classificationMetrics(
      data.labels,
      Array.from(predicted, (k) => data.classes[k]!),
      K === 2 ? { positive: data.classes[1]!, positiveProba: scores.proba[1]! } : { proba: { classes: data.classes, values: scores.proba } },
    );
    return { accuracy: m.accuracy, log_loss: m.logLoss ?? NaN, roc_auc: m.rocAuc ?? NaN };
  }
  throw new Error('scores do not match the task');
}

/** The most probable class of each row (the first on ties, as numpy's argmax). */
export function argmaxClasses(proba: Float64Array[]): Int32Array {
  const n = proba[0]?.length ?? 0;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < proba.length; k++) if (proba[k]![i]! > proba[best]![i]!) best = k;
    out[i] = best;
  }
  return out;
}

// ---- artifact states --------------------------------------------------------------------------

export type GbdtState = GbdtFit;
export type ForestState = ForestFit;

/** An ensemble's members (fitted artifacts, scored on the columns each was fitted on) and their weights. */
export interface EnsembleState {
  members: ModelArtifact[];
  weights: number[];
}

function asScores(p: { value: Float64Array } | { proba: Float64Array[] }): Scores {
  return 'value' in p ? { task: 'regression', value: p.value } : { task: 'classification', proba: p.proba };
}

/** Columns of `X` (laid out as `from`) in the order of `to`, matched by name as DuckDB matches them. */
export function selectColumns(X: Float64Array[], from: ColumnInfo[], to: ColumnInfo[]): Float64Array[] {
  const at = new Map(from.map((c, j) => [c.name.toLowerCase(), j]));
  return to.map((c) => {
    const j = at.get(c.name.toLowerCase());
    if (j === undefined) throw new Error(`no column "${c.name}" among the features`);
    return X[j]!;
  });
}

/**
 * Scores of a fitted model for rows given as columns in the order of `artifact.features`: the JS
 * form of every model kind an ensemble can hold. Undefined for kinds it does not know.
 */
export function scoreArtifact(artifact: ModelArtifact, X: Float64Array[]): Scores | undefined {
  switch (artifact.kind) {
    case 'model.linear':
      return { task: 'regression', value: linearPredict(artifact.state as LinearState, X) };
    case 'model.logistic': {
      const state = artifact.state as LogisticState;
      const { proba } = logisticPredict(state, X);
      const K = state.classes.length;
      const n = X[0]?.length ?? 0;
      return { task: 'classification', proba: state.classes.map((_, k) => Float64Array.from({ length: n }, (_, i) => proba[i * K + k]!)) };
    }
    case 'model.gbdt':
      return asScores(gbdtPredict(artifact.state as GbdtState, X));
    case 'model.random_forest':
      return asScores(forestPredict(artifact.state as ForestState, X));
    case 'model.mlp':
      return asScores(mlpPredict(artifact.state as MlpState, X));
    case 'model.ensemble': {
      const { members, weights } = artifact.state as EnsembleState;
      const total = weights.reduce((a, b) => a + b, 0);
      let acc: Scores | undefined;
      members.forEach((m, i) => {
        const s = scoreArtifact(m, selectColumns(X, artifact.features, m.features));
        if (!s) throw new Error(`cannot score an ensemble member of kind ${m.kind}`);
        const w = weights[i]!;
        if (s.task === 'regression') {
          const value = acc?.task === 'regression' ? acc.value : new Float64Array(s.value.length);
          for (let r = 0; r < value.length; r++) value[r] = value[r]! + w * s.value[r]!;
          acc = { task: 'regression', value };
        } else {
          const proba = acc?.task === 'classification' ? acc.proba : s.proba.map((p) => new Float64Array(p.length));
          s.proba.forEach((p, k) => {
            const out = proba[k]!;
            for (let r = 0; r < out.length; r++) out[r] = out[r]! + w * p[r]!;
          });
          acc = { task: 'classification', proba };
        }
      });
      if (!acc) return undefined;
      if (acc.task === 'regression') for (let r = 0; r < acc.value.length; r++) acc.value[r] = acc.value[r]! / total;
      else for (const p of acc.proba) for (let r = 0; r < p.length; r++) p[r] = p[r]! / total;
      return acc;
    }
    default:
      return undefined;
  }
}

// ---- what model.predict appends ---------------------------------------------------------------

/** Columns model.predict appends for JS-scored models, with their DuckDB types. */
export interface PredictionColumns {
  prediction: Primitive[];
  /** The prediction's type: DOUBLE for a regression, the target's type for a classifier. */
  predictionType: string;
  /** Binary: P(classes[1]); more classes: the predicted class's probability. */
  probability?: Float64Array;
  /** More classes: `probability_<label>` per class. */
  classProbabilities?: { name: string; values: Float64Array }[];
}

/** The columns for scores, as model.logistic's SQL applier writes them for a classifier. */
export function predictionColumns(artifact: ModelArtifact, scores: Scores): PredictionColumns {
  if (scores.task === 'regression') return { prediction: Array.from(scores.value), predictionType: 'DOUBLE' };
  const classes = artifact.classes ?? [];
  const targetType = (artifact.state as { targetType?: string }).targetType ?? 'VARCHAR';
  const predicted = argmaxClasses(scores.proba);
  const prediction = Array.from(predicted, (k) => classes[k]!);
  if (classes.length === 2) return { prediction, predictionType: targetType, probability: scores.proba[1]! };
  return {
    prediction,
    predictionType: targetType,
    probability: Float64Array.from(predicted, (k, i) => scores.proba[k]![i]!),
    classProbabilities: classes.map((c, k) => ({ name: `probability_${labelText(c, targetType)}`, values: scores.proba[k]! })),
  };
}

/** model.predict's applier for the JS-scored kinds: the rows (in `artifact.features` order) scored here. */
export const jsModelApplier = {
  predict(artifact: ModelArtifact, X: Float64Array[]): PredictionColumns {
    const scores = scoreArtifact(artifact, X);
    if (!scores) throw new Error(`cannot score an artifact of kind ${artifact.kind}`);
    return predictionColumns(artifact, scores);
  },
};

/**
 * The run of a JS-scored model kind: reads and encodes the training table, fits, scores the
 * training rows for the artifact's metrics, and returns the artifact on port `model`.
 */
export async function runSupervised<S extends object>(
  ctx: {
    node: string;
    params: { target: string; features: string[]; task: TaskParam } & Record<string, unknown>;
    table(name: 'in'): TableValue;
    readRows(sql: string): Promise<{ columns: ColumnInfo[]; rows: Primitive[][] }>;
    signal: AbortSignal;
    progress(done: number, total: number, message?: string): void;
  },
  kind: string,
  fit: (data: Supervised, control: { signal: AbortSignal; progress(done: number, total: number, message?: string): void }) => Promise<S>,
): Promise<{ model: ModelValue }> {
  const p = ctx.params;
  const { data, features, rows, hash } = await readSupervised(ctx.readRows, ctx.table('in'), p, ctx.node);
  const fitted = await fit(data, { signal: ctx.signal, progress: (done, total, message) => ctx.progress(done, total, message) });
  const state = (data.task === 'classification' ? { ...fitted, targetType: data.targetType } : fitted) as S;
  const artifact: ModelArtifact<S> = {
    format: 'kanvas.model',
    version: 1,
    kind,
    task: data.task === 'regression' ? 'regression' : data.classes.length === 2 ? 'binary' : 'multiclass',
    features,
    target: p.target,
    ...(data.task === 'classification' ? { classes: data.classes } : {}),
    params: p,
    state,
    training: { rows, hash },
  };
  const scores = scoreArtifact(artifact, data.X)!;
  return { model: { type: 'model', artifact: { ...artifact, metrics: trainingMetrics(data, scores) } } };
}
