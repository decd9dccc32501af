import { compareLabels, type Label } from './labels.ts';
import { RandomState } from './random.ts';

/**
 * Cross-validation folds, the same as scikit-learn's for the same seed: `KFold(k, shuffle=True,
 * random_state=seed)` and `StratifiedKFold(k, shuffle=True, random_state=seed)` (numpy's
 * RandomState is reproduced exactly, see random.ts). Rows are numbered in the order they are
 * read, so exported code that passes the same splitter to scikit-learn gets the same folds.
 */

/** The test fold (0..k−1) of each of `n` rows, as KFold with shuffling. */
export function kFold(n: number, k: number, seed: number): Int32Array {
  checkFolds(n, k);
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  new RandomState(seed).shuffle(indices);
  const fold = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let i = start; i < start + size; i++) fold[indices[i]!] = f;
    start += size;
  }
  return fold;
}

/** Fold sizes of KFold: the first n mod k folds have one row more. */
export function kFoldSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, f) => Math.floor(n / k) + (f < n % k ? 1 : 0));
}

/**
 * The test fold of each row, as StratifiedKFold with shuffling: classes numbered by first
 * appearance; the sorted class codes dealt round-robin to the folds give each fold's count per
 * class; each class's fold labels (in blocks) are shuffled and handed to its rows in order.
 */
export function stratifiedKFold(y: Label[], k: number, seed: number): Int32Array {
  const n = y.length;
  checkFolds(n, k);
  const firstSeen = new Map<Label, number>();
  for (const v of y) if (!firstSeen.has(v)) firstSeen.set(v, firstSeen.size);
  const encoded = Int32Array.from(y, (v) => firstSeen.get(v)!);
  const classCount = firstSeen.size;
  const counts = new Int32Array(classCount);
  for (const c of encoded) counts[c] = counts[c]! + 1;
  if (counts.every((c) => c < k)) {
    throw new RangeError(`${k} folds need at least ${k} rows of some class; the largest class has ${Math.max(...counts)}`);
  }
  const order = Int32Array.from(encoded).sort();
  const allocation = Array.from({ length: k }, () => new Int32Array(classCount));
  for (let i = 0; i < n; i++) allocation[i % k]![order[i]!] = allocation[i % k]![order[i]!]! + 1;
  const rng = new RandomState(seed);
  const fold = new Int32Array(n);
  for (let c = 0; c < classCount; c++) {
    const labels: number[] = [];
    for (let f = 0; f < k; f++) for (let m = 0; m < allocation[f]![c]!; m++) labels.push(f);
    rng.shuffle(labels);
    let next = 0;
    for (let i = 0; i < n; i++) if (encoded[i] === c) fold[i] = labels[next++]!;
  }
  return fold;
}

/** Rows of each fold: `test` the fold's rows, `train` the others, both ascending. */
export function foldIndices(fold: Int32Array, k: number): { train: Int32Array; test: Int32Array }[] {
  return Array.from({ length: k }, (_, f) => {
    const test: number[] = [];
    const train: number[] = [];
    fold.forEach((g, i) => (g === f ? test : train).push(i));
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

/** Rows of a column-major matrix, taken at `rows`. */
export function takeRows(X: Float64Array[], rows: Int32Array): Float64Array[] {
  return X.map((col) => Float64Array.from(rows, (i) => col[i]!));
}

/** Per fold and class (sorted labels), how many test rows: what the tests compare with scikit-learn. */
export function foldClassCounts(y: Label[], fold: Int32Array, k: number): { rows: number; classes: Map<Label, number> }[] {
  const labels = [...new Set(y)].sort(compareLabels);
  return Array.from({ length: k }, (_, f) => {
    const classes = new Map(labels.map((l) => [l, 0]));
    let rows = 0;
    fold.forEach((g, i) => {
      if (g !== f) return;
      rows++;
      classes.set(y[i]!, classes.get(y[i]!)! + 1);
    });
    return { rows, classes };
  });
}

function checkFolds(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer of at least 2, got ${k}`);
  if (k > n) throw new RangeError(`${k} folds need at least ${k} rows; there are ${n}`);
}
