import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cvSplits, kFoldTestSets } from '../../engine/tune/folds.ts';
import { paramImportance } from '../../engine/tune/importance.ts';
import type { TrainData } from '../../engine/tune/models.ts';
import { applyPoly, fitPoly, fScores, selectK } from '../../engine/tune/preprocess.ts';
import { Rng } from '../../engine/tune/rng.ts';
import { binaryAuc, score } from '../../engine/tune/scoring.ts';
import { contains, distributionProblem, isSingle, sampleUniform, toInternal, type Distribution } from '../../engine/tune/space.ts';
import type { FrozenTrial } from '../../engine/tune/study.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optuna/tune.json', import.meta.url), 'utf8')) as {
  kfold: { n: number; k: number; seed: number; test: number[][] }[];
  select: { dataset: string; target: string; task: 'regression' | 'classification'; features: string[]; scores: number[]; support: Record<string, number[]> }[];
  poly: { inputs: string[]; names: string[]; row: number[] };
};

function draws(d: Distribution, n = 4000, seed = 1) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => sampleUniform(d, rng));
}

function csv(name: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(new URL(`../../engine/samples/${name}.csv`, import.meta.url), 'utf8').trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('search space sampling', () => {
  it('floats stay in [low, high] and spread uniformly', () => {
    const xs = draws({ type: 'float', low: -2, high: 6 }) as number[];
    for (const x of xs) expect(x >= -2 && x <= 6).toBe(true);
    const below2 = xs.filter((x) => x < 2).length / xs.length;
    expect(Math.abs(below2 - 0.5)).toBeLessThan(0.04);
  });

  it('log-scale floats are uniform in log space', () => {
    const xs = draws({ type: 'float', low: 1e-4, high: 1, log: true }) as number[];
    for (const x of xs) expect(x >= 1e-4 && x <= 1).toBe(true);
    // Each decade gets a quarter of the draws (a linear scale would put 90% in the top one).
    for (const [lo, hi] of [[1e-4, 1e-3], [1e-3, 1e-2], [1e-2, 1e-1], [1e-1, 1]]) {
      const share = xs.filter((x) => x >= lo! && x < hi!).length / xs.length;
      expect(Math.abs(share - 0.25), `[${lo}, ${hi})`).toBeLessThan(0.04);
    }
  });

  it('ints are integers in range, the end values as likely as the others', () => {
    const xs = draws({ type: 'int', low: 1, high: 4 }) as number[];
    for (const v of [1, 2, 3, 4]) expect(Math.abs(xs.filter((x) => x === v).length / xs.length - 0.25)).toBeLessThan(0.04);
    expect(xs.every((x) => Number.isInteger(x) && x >= 1 && x <= 4)).toBe(true);
  });

  it('int steps stay on the grid (high moved down to it) and log ints favour small values', () => {
    const stepped = draws({ type: 'int', low: 0, high: 10, step: 3 }) as number[];
    expect(new Set(stepped)).toEqual(new Set([0, 3, 6, 9]));
    const logs = draws({ type: 'int', low: 1, high: 1000, log: true }) as number[];
    expect(logs.every((x) => Number.isInteger(x) && x >= 1 && x <= 1000)).toBe(true);
    expect(logs.filter((x) => x <= 31).length / logs.length).toBeGreaterThan(0.4); // √1000 ≈ 31.6: about half
    expect(logs.filter((x) => x <= 31).length / logs.length).toBeLessThan(0.6);
  });

  it('categoricals draw every choice equally often, and keep their types', () => {
    const xs = draws({ type: 'categorical', choices: ['a', 2, true, null] });
    for (const c of ['a', 2, true, null]) expect(Math.abs(xs.filter((x) => x === c).length / xs.length - 0.25)).toBeLessThan(0.04);
    expect(toInternal({ type: 'categorical', choices: ['a', 2, true, null] }, true)).toBe(2);
  });

  it('validates ranges and checks membership', () => {
    expect(distributionProblem({ type: 'float', low: 0, high: 1, log: true })).toMatch(/low > 0/);
    expect(distributionProblem({ type: 'float', low: 2, high: 1 })).toMatch(/must not exceed/);
    expect(distributionProblem({ type: 'int', low: 0.5, high: 3 })).toMatch(/integer/);
    expect(distributionProblem({ type: 'categorical', choices: [] })).toMatch(/at least one/);
    expect(distributionProblem({ type: 'categorical', choices: ['a', 'a'] })).toMatch(/distinct/);
    expect(distributionProblem({ type: 'int', low: 1, high: 9, log: true })).toBeNull();
    expect(contains({ type: 'int', low: 0, high: 10, step: 3 }, 9)).toBe(true);
    expect(contains({ type: 'int', low: 0, high: 10, step: 3 }, 10)).toBe(false);
    expect(contains({ type: 'float', low: 0, high: 1 }, 1.5)).toBe(false);
    expect(isSingle({ type: 'int', low: 3, high: 5, step: 3 })).toBe(true);
    expect(sampleUniform({ type: 'float', low: 2, high: 2 }, new Rng(1))).toBe(2);
  });
});

describe('cross-validation folds', () => {
  it.each(fixture.kfold.map((c) => [`${c.n} rows, ${c.k} folds, seed ${c.seed}`, c] as const))('%s: the test folds scikit-learn’s KFold(shuffle=True) makes', (_, c) => {
    expect(kFoldTestSets(c.n, c.k, c.seed).map((f) => [...f])).toEqual(c.test);
  });

  it('train sets are the complement of the test sets', () => {
    for (const { train, test } of cvSplits(23, 4, 5)) {
      expect(train.length + test.length).toBe(23);
      expect(new Set([...train, ...test]).size).toBe(23);
    }
    expect(() => kFoldTestSets(3, 5, 0)).toThrow(/5 folds need at least 5 rows; there are 3/);
  });
});

describe('preprocessing as scikit-learn', () => {
  it.each(fixture.select.map((c) => [c.dataset, c] as const))('%s: F scores and SelectKBest supports', (_, c) => {
    const { header, rows } = csv(c.dataset);
    const X = c.features.map((f) => Float64Array.from(rows, (r) => Number(r[header.indexOf(f)])));
    const raw = rows.map((r) => r[header.indexOf(c.target)]!);
    const classes = [...new Set(raw)].sort();
    const d: TrainData =
      c.task === 'regression'
        ? { task: 'regression', X, y: Float64Array.from(raw, Number) }
        : { task: 'classification', X, y: Int32Array.from(raw, (v) => classes.indexOf(v)), classes, targetType: 'VARCHAR' };
    const scores = fScores(d);
    scores.forEach((s, i) => expect(Math.abs(s - c.scores[i]!) / c.scores[i]!, c.features[i]).toBeLessThan(1e-9));
    for (const [k, support] of Object.entries(c.support)) expect(selectK(scores, Number(k))).toEqual(support);
  });

  it('ties in SelectKBest go to the later column; NaN scores rank last', () => {
    expect(selectK([1, 5, 5, 2], 1)).toEqual([2]);
    expect(selectK([NaN, 1, 0], 2)).toEqual([1, 2]);
  });

  it('polynomial terms are named and ordered as PolynomialFeatures(2, include_bias=False)', () => {
    const state = fitPoly(fixture.poly.inputs);
    expect([...state.inputs, ...state.terms.map((t) => t.name)]).toEqual(fixture.poly.names);
    const out = applyPoly(fixture.poly.row.slice(0, 3).map((v) => Float64Array.of(v)));
    expect(out.map((c) => c[0])).toEqual(fixture.poly.row);
  });
});

describe('scores', () => {
  it('computes regression and classification metrics as scikit-learn', () => {
    const y = Float64Array.of(3, -0.5, 2, 7);
    const pred = Float64Array.of(2.5, 0, 2, 8);
    // sklearn: mean_squared_error 0.375, mean_absolute_error 0.5, r2_score 0.9486081370449679
    expect(score('rmse', { task: 'regression', y }, { task: 'regression', value: pred })).toBeCloseTo(Math.sqrt(0.375), 14);
    expect(score('mae', { task: 'regression', y }, { task: 'regression', value: pred })).toBe(0.5);
    expect(score('r2', { task: 'regression', y }, { task: 'regression', value: pred })).toBeCloseTo(0.9486081370449679, 14);
    const labels = Int32Array.of(0, 0, 1, 1);
    const p1 = Float64Array.of(0.1, 0.4, 0.35, 0.8);
    const proba = [Float64Array.from(p1, (p) => 1 - p), p1];
    const truth = { task: 'classification' as const, y: labels, classes: 2 };
    // sklearn: roc_auc_score 0.75, accuracy_score 0.75, log_loss 0.47228795380917615
    expect(score('roc_auc', truth, { task: 'classification', proba })).toBe(0.75);
    expect(score('accuracy', truth, { task: 'classification', proba })).toBe(0.75);
    expect(score('log_loss', truth, { task: 'classification', proba })).toBeCloseTo(0.47228795380917615, 14);
    expect(binaryAuc([true, false, true, false], Float64Array.of(0.5, 0.5, 0.5, 0.1))).toBe(0.75);
    expect(() => score('accuracy', { task: 'regression', y }, { task: 'regression', value: pred })).toThrow(/does not apply/);
  });
});

describe('parameter importance (η²)', () => {
  it('gives the param that drives the value nearly all the importance', () => {
    const rng = new Rng(4);
    const trials: FrozenTrial[] = Array.from({ length: 60 }, (_, number) => {
      const a = rng.uniform(0, 1);
      const b = rng.uniform(0, 1);
      const kind = ['x', 'y'][rng.int(2)]!;
      return { number, state: 'complete', params: { a, b, kind }, value: 10 * a + 0.1 * b + (kind === 'x' ? 0.05 : 0), intermediate: [], durationMs: 0 };
    });
    const imp = paramImportance(trials, { a: { type: 'float', low: 0, high: 1 }, b: { type: 'float', low: 0, high: 1 }, kind: { type: 'categorical', choices: ['x', 'y'] } });
    expect(imp.map((i) => i.param)[0]).toBe('a');
    expect(imp[0]!.importance).toBeGreaterThan(0.8);
    expect(imp.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1, 12);
    expect(paramImportance(trials.slice(0, 2), { a: { type: 'float', low: 0, high: 1 } })).toEqual([]);
  });
});
