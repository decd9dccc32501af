import { type Label, sortedLabels } from './labels.ts';

/** Regression metrics as scikit-learn computes them. */
export function regressionMetrics(y: Float64Array, pred: Float64Array): { mse: number; rmse: number; mae: number; r2: number } {
  const n = y.length;
  let se = 0;
  let ae = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i]! - pred[i]!;
    se += d * d;
    ae += Math.abs(d);
    ss += (y[i]! - mean) ** 2;
  }
  const mse = se / n;
  // scikit-learn's r2_score: 1 − SSres/SStot, and 1.0 (perfect) or 0.0 when y is constant.
  const r2 = ss === 0 ? (se === 0 ? 1 : 0) : 1 - se / ss;
  return { mse, rmse: Math.sqrt(mse), mae: ae / n, r2 };
}

export interface ClassificationMetrics {
  accuracy: number;
  /** Binary: of the positive class; more classes: the unweighted mean over labels (average='macro'). */
  precision: number;
  recall: number;
  f1: number;
  /** Null without probabilities (or with fewer than two classes). */
  logLoss: number | null;
  /** Null without probabilities, or when the target has a single class (undefined there). */
  rocAuc: number | null;
  /** Sorted labels of the target and the predictions together (scikit-learn's `unique_labels`). */
  labels: Label[];
  /** confusion[i][j]: rows whose target is labels[i] predicted as labels[j]. */
  confusion: number[][];
  perClass: { label: Label; precision: number; recall: number; f1: number; support: number }[];
}

/**
 * Classification metrics as scikit-learn computes them (accuracy_score, precision/recall/f1
 * with zero_division=0, log_loss with eps = machine epsilon, roc_auc_score, confusion_matrix).
 * `positive` is the positive label of a binary problem (default: the second of the sorted
 * labels). Probabilities: `positiveProba` (P(positive) per row) for binary, or one column per
 * class (`proba.values[c]` for `proba.classes[c]`) for more.
 */
export function classificationMetrics(
  y: Label[],
  pred: Label[],
  o: { positive?: Label; positiveProba?: Float64Array; proba?: { classes: Label[]; values: Float64Array[] } } = {},
): ClassificationMetrics {
  const n = y.length;
  const labels = sortedLabels([...y, ...pred]);
  const index = new Map(labels.map((l, i) => [l, i]));
  const L = labels.length;
  const confusion = Array.from({ length: L }, () => new Array<number>(L).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    confusion[index.get(y[i]!)!]![index.get(pred[i]!)!]!++;
    if (y[i] === pred[i]) correct++;
  }
  const perClass = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const predicted = confusion.reduce((s, row) => s + row[c]!, 0);
    const support = confusion[c]!.reduce((s, v) => s + v, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const binary = L <= 2 && !o.proba;
  const positive = o.positive ?? labels[L - 1]!;
  const mean = (f: (c: (typeof perClass)[number]) => number) => perClass.reduce((s, c) => s + f(c), 0) / L;
  const pos = perClass.find((c) => c.label === positive);
  const trueLabels = sortedLabels(y);
  let logLoss: number | null = null;
  let rocAuc: number | null = null;
  if (o.positiveProba) {
    const p = o.positiveProba;
    const isPos = y.map((v) => v === positive);
    logLoss = binaryLogLoss(isPos, p);
    if (isPos.some(Boolean) && !isPos.every(Boolean)) rocAuc = rocAucScore(isPos, p);
  } else if (o.proba) {
    const { classes, values } = o.proba;
    const at = new Map(classes.map((c, i) => [c, i]));
    if (classes.length >= 2 && y.every((v) => at.has(v))) logLoss = multiLogLoss(y.map((v) => at.get(v)!), values);
    if (classes.every((c) => trueLabels.includes(c)) && classes.length >= 2) {
      rocAuc = classes.reduce<number>((s, c, i) => s + rocAucScore(y.map((v) => v === c), values[i]!), 0) / classes.length;
    }
  }
  return {
    accuracy: correct / n,
    precision: binary ? (pos?.precision ?? 0) : mean((c) => c.precision),
    recall: binary ? (pos?.recall ?? 0) : mean((c) => c.recall),
    f1: binary ? (pos?.f1 ?? 0) : mean((c) => c.f1),
    logLoss,
    rocAuc,
    labels,
    confusion,
    perClass,
  };
}

const EPS = Number.EPSILON;

function clip(p: number): number {
  return Math.min(Math.max(p, EPS), 1 - EPS);
}

/** log_loss for one probability column: clipped, as [1 − p, p] renormalized. */
function binaryLogLoss(isPos: boolean[], p: Float64Array): number {
  let s = 0;
  for (let i = 0; i < isPos.length; i++) {
    const q = clip(p[i]!);
    const total = 1 - q + q;
    s -= Math.log((isPos[i] ? q : 1 - q) / total);
  }
  return s / isPos.length;
}

/** log_loss for one probability column per class: each clipped, each row renormalized. */
function multiLogLoss(truth: number[], values: Float64Array[]): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) {
    let total = 0;
    for (const col of values) total += clip(col[i]!);
    s -= Math.log(clip(values[truth[i]!]![i]!) / total);
  }
  return s / truth.length;
}

/** scikit-learn's `_binary_clf_curve`: cumulative true and false positives at each distinct score, descending. */
function clfCurve(isPos: boolean[], score: Float64Array): { tps: number[]; fps: number[]; thresholds: number[] } {
  const order = Array.from(score.keys()).sort((a, b) => score[b]! - score[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    if (isPos[i]) tp++;
    else fp++;
    if (r === order.length - 1 || score[order[r + 1]!] !== score[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(score[i]!);
    }
  }
  return { tps, fps, thresholds };
}

/** roc_auc_score for a binary target: the area under the ROC curve; tied scores count a pair as half. */
export function rocAucScore(isPos: boolean[], score: Float64Array): number {
  const { tps, fps } = clfCurve(isPos, score);
  const P = tps[tps.length - 1]!;
  const N = fps[fps.length - 1]!;
  if (P === 0 || N === 0) return NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < tps.length; i++) {
    area += ((fps[i]! - prevFp) * (tps[i]! + prevTp)) / 2;
    prevTp = tps[i]!;
    prevFp = fps[i]!;
  }
  return area / (P * N);
}

/** roc_curve with drop_intermediate: the corners of the curve, from (0, 0), with their thresholds (the first is max + 1). */
export function rocCurve(isPos: boolean[], score: Float64Array): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  let { tps, fps, thresholds } = clfCurve(isPos, score);
  if (fps.length > 2) {
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 || fps[i - 1]! - 2 * fps[i]! + fps[i + 1]! !== 0 || tps[i - 1]! - 2 * tps[i]! + tps[i + 1]! !== 0);
    tps = tps.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  const P = tps[tps.length - 1] ?? 0;
  const N = fps[fps.length - 1] ?? 0;
  return {
    fpr: [0, ...fps.map((f) => f / N)],
    tpr: [0, ...tps.map((t) => t / P)],
    thresholds: [(thresholds[0] ?? 0) + 1, ...thresholds],
  };
}
