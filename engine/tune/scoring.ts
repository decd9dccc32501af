import { regressionMetrics } from '../ml/metrics.ts';
import type { Direction } from './study.ts';

/** What a model predicts for the rows it is scored on. */
export type Prediction =
  | { task: 'regression'; value: Float64Array }
  /** Per class (in the model's class order), the probability of each row. */
  | { task: 'classification'; proba: Float64Array[] };

/** The true target of the scored rows: numbers, or class indices into the model's classes. */
export type Truth = { task: 'regression'; y: Float64Array } | { task: 'classification'; y: Int32Array; classes: number };

export const metricNames = ['rmse', 'mae', 'r2', 'accuracy', 'log_loss', 'roc_auc'] as const;
export type MetricName = (typeof metricNames)[number];

/** Each metric's task, direction and scikit-learn `scoring` name (negated scorers for losses). */
export const metrics: Record<MetricName, { task: 'regression' | 'classification'; direction: Direction; sklearn: string; title: string }> = {
  rmse: { task: 'regression', direction: 'minimize', sklearn: 'neg_root_mean_squared_error', title: 'RMSE' },
  mae: { task: 'regression', direction: 'minimize', sklearn: 'neg_mean_absolute_error', title: 'MAE' },
  r2: { task: 'regression', direction: 'maximize', sklearn: 'r2', title: 'R²' },
  accuracy: { task: 'classification', direction: 'maximize', sklearn: 'accuracy', title: 'accuracy' },
  log_loss: { task: 'classification', direction: 'minimize', sklearn: 'neg_log_loss', title: 'log loss' },
  roc_auc: { task: 'classification', direction: 'maximize', sklearn: 'roc_auc', title: 'ROC AUC' },
};

/** The metric on one set of rows, as scikit-learn computes it. */
export function score(metric: MetricName, truth: Truth, pred: Prediction): number {
  if (truth.task === 'regression' && pred.task === 'regression') {
    const m = regressionMetrics(truth.y, pred.value);
    if (metric === 'rmse') return m.rmse;
    if (metric === 'mae') return m.mae;
    if (metric === 'r2') return m.r2;
  }
  if (truth.task === 'classification' && pred.task === 'classification') {
    if (metric === 'accuracy') return accuracy(truth.y, pred.proba);
    if (metric === 'log_loss') return logLoss(truth.y, pred.proba);
    if (metric === 'roc_auc') return rocAuc(truth.y, pred.proba);
  }
  throw new Error(`metric ${metric} does not apply to a ${pred.task} model`);
}

/** The predicted class: the most probable (the first on ties, as numpy's argmax). */
function argmaxClass(proba: Float64Array[], i: number): number {
  let best = 0;
  for (let k = 1; k < proba.length; k++) if (proba[k]![i]! > proba[best]![i]!) best = k;
  return best;
}

function accuracy(y: Int32Array, proba: Float64Array[]): number {
  let hit = 0;
  for (let i = 0; i < y.length; i++) if (argmaxClass(proba, i) === y[i]) hit++;
  return hit / y.length;
}

/** scikit-learn 1.2's log_loss: rows renormalized, probabilities clipped to [ε, 1 − ε] (ε of doubles). */
function logLoss(y: Int32Array, proba: Float64Array[]): number {
  const eps = 2.220446049250313e-16;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    let sum = 0;
    for (const p of proba) sum += Math.min(1 - eps, Math.max(eps, p[i]!));
    const p = Math.min(1 - eps, Math.max(eps, proba[y[i]!]![i]!)) / sum;
    total -= Math.log(p);
  }
  return total / y.length;
}

/** Binary: AUC of the positive class's probability; more classes: one-vs-rest, macro-averaged. */
function rocAuc(y: Int32Array, proba: Float64Array[]): number {
  if (proba.length === 2) return binaryAuc(Array.from(y, (c) => c === 1), proba[1]!);
  let total = 0;
  for (let k = 0; k < proba.length; k++) total += binaryAuc(Array.from(y, (c) => c === k), proba[k]!);
  return total / proba.length;
}

/** AUC by the rank-sum (Mann–Whitney) statistic, ties given their average rank. */
export function binaryAuc(positive: boolean[], scoreOf: Float64Array): number {
  const n = positive.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scoreOf[a]! - scoreOf[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scoreOf[order[j + 1]!] === scoreOf[order[i]!]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (positive[i]) {
      nPos++;
      rankSum += ranks[i]!;
    }
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
