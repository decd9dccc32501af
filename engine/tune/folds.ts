import { foldIndices, kFold, stratifiedKFold } from '../ml/cv.ts';
import type { Label } from '../ml/labels.ts';

/**
 * Cross-validation folds, as scikit-learn makes them for the same seed (engine/ml/cv.ts):
 * `KFold(k, shuffle=True, random_state=seed)` for regression, `StratifiedKFold(k, shuffle=True,
 * random_state=seed)` for classes (scikit-learn's default for classifiers). The exported code
 * passes the same splitter to scikit-learn and gets the same folds.
 */
export function cvSplits(n: number, k: number, seed: number, labels?: Label[]): { train: Int32Array; test: Int32Array }[] {
  return foldIndices(labels ? stratifiedKFold(labels, k, seed) : kFold(n, k, seed), k);
}

/** Each fold's test rows, ascending (KFold). */
export function kFoldTestSets(n: number, k: number, seed: number): Int32Array[] {
  return cvSplits(n, k, seed).map((s) => s.test);
}

export { takeRows } from '../ml/cv.ts';
