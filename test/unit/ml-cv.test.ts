import { describe, expect, it } from 'vitest';
import { foldClassCounts, foldIndices, kFold, kFoldSizes, stratifiedKFold } from '../../engine/ml/cv.ts';
import type { Label } from '../../engine/ml/labels.ts';
import { RandomState } from '../../engine/ml/random.ts';
import { ml, sampleData } from '../support/ml.ts';

/** numpy's RandomState and scikit-learn's KFold / StratifiedKFold folds, reproduced exactly. */

describe('RandomState is numpy’s legacy MT19937 stream', () => {
  const rs = ml.random_state;
  it('random_sample and shuffle are bit-identical', () => {
    const r = new RandomState(rs.seed);
    expect(Array.from({ length: 5 }, () => r.random())).toEqual(rs.random);
    const normals = Array.from({ length: 7 }, () => r.standardNormal());
    // Box–Muller uses log and sqrt: V8's log may differ from glibc's in the last bit.
    normals.forEach((v, i) => expect(Math.abs(v - rs.normal[i])).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(rs.normal[i])));
    const a = Array.from({ length: 20 }, (_, i) => i);
    r.shuffle(a);
    expect(a).toEqual(rs.shuffle20);
    const top = new RandomState(2 ** 32 - 1);
    expect(Array.from({ length: 3 }, () => top.random())).toEqual(rs.max_seed_random);
  });
  it('rejects seeds numpy rejects', () => {
    expect(() => new RandomState(-1)).toThrow(RangeError);
    expect(() => new RandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new RandomState(1.5)).toThrow(RangeError);
  });
});

interface KFoldCase {
  n: number;
  k: number;
  seed: number;
  fold: number[];
  sizes: number[];
}
interface StratifiedCase {
  dataset: string;
  target: string;
  k: number;
  seed: number;
  fold: number[];
  sizes: { rows: number; classes: Record<string, number> }[];
}

describe('KFold(shuffle=True, random_state=seed)', () => {
  const cases = (ml.cv.kfold as KFoldCase[]).map((c): [string, KFoldCase] => [`n=${c.n} k=${c.k} seed=${c.seed}`, c]);
  it.each(cases)('%s: the same fold for every row', (_name, c) => {
    const fold = kFold(c.n, c.k, c.seed);
    expect(Array.from(fold)).toEqual(c.fold);
    expect(kFoldSizes(c.n, c.k)).toEqual(c.sizes);
    expect(foldIndices(fold, c.k).map((f) => f.test.length)).toEqual(c.sizes);
  });
  it('train and test of each fold partition the rows', () => {
    const folds = foldIndices(kFold(23, 4, 9), 4);
    for (const { train, test } of folds) {
      expect(train.length + test.length).toBe(23);
      expect(new Set([...train, ...test]).size).toBe(23);
    }
    expect(folds.flatMap((f) => [...f.test]).sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });
  it('refuses fewer rows than folds, or fewer than 2 folds', () => {
    expect(() => kFold(3, 4, 0)).toThrow(/at least 4 rows/);
    expect(() => kFold(10, 1, 0)).toThrow(/at least 2/);
  });
});

describe('StratifiedKFold(shuffle=True, random_state=seed)', () => {
  const cases = (ml.cv.stratified as StratifiedCase[]).map((c): [string, StratifiedCase] => [`${c.dataset} k=${c.k} seed=${c.seed}`, c]);
  it.each(cases)('%s: folds, fold sizes and class counts', (_name, c) => {
    const y = sampleData(c.dataset).labels(c.target) as Label[];
    const fold = stratifiedKFold(y, c.k, c.seed);
    expect(Array.from(fold)).toEqual(c.fold);
    const counts = foldClassCounts(y, fold, c.k);
    expect(counts.map((f) => ({ rows: f.rows, classes: Object.fromEntries([...f.classes].map(([l, n]) => [String(l), n])) }))).toEqual(c.sizes);
  });
  it('classes are numbered by first appearance, as scikit-learn numbers them', () => {
    const s = ml.cv.small;
    expect(Array.from(stratifiedKFold(s.y, s.k, s.seed))).toEqual(s.fold);
  });
  it('refuses more folds than the largest class has rows', () => {
    expect(() => stratifiedKFold(['a', 'a', 'b', 'b'], 3, 0)).toThrow(/largest class has 2/);
  });
});
