import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRows, type Engine } from '../../engine/index.ts';
import { applierFor } from '../../engine/ml/appliers.ts';
import type { ModelArtifact } from '../../engine/ml/artifact.ts';
import { encodeLabels, sortedLabels } from '../../engine/ml/labels.ts';
import { fitLogistic, logisticPredict, type LogisticState } from '../../engine/ml/logistic.ts';
import { fitScale } from '../../engine/ml/scale.ts';
import { engineKinds, openEngine, pipeline, runDoc } from '../support/engines.ts';
import { artifactOf, col, expectClose, maxRelDiff, ml, numbers, sampleData } from '../support/ml.ts';

/**
 * model.logistic against scikit-learn's LogisticRegression (lbfgs run to convergence, and
 * newton-cg at tol 1e-10) on the sample datasets: binary and multinomial, text and numeric labels.
 */

interface Case {
  dataset: string;
  target: string;
  C: number;
  standardize: boolean;
  features: string[];
  classes: (string | number)[];
  coef: number[][];
  intercept: number[];
  newton_cg: { coef: number[][]; intercept: number[] };
  first_proba: number[][];
  first_pred: (string | number)[];
}

const cases = ml.logistic as Record<string, Case>;

function design(c: Case) {
  const d = sampleData(c.dataset);
  let X = c.features.map((f) => d.column(f));
  if (c.standardize) {
    const s = fitScale(X, c.features, 'standard');
    X = X.map((col, j) => col.map((v) => (v - s.columns[j]!.shift) / s.columns[j]!.scale));
  }
  const labels = d.labels(c.target);
  const classes = sortedLabels(labels);
  return { X, labels, classes, y: encodeLabels(labels, classes) };
}

/** Measured agreement, reported at the end (the numbers quoted in docs and reviews). */
const agreement: Record<string, { lbfgs: number; newtonCg: number; proba: number }> = {};

describe('logistic regression matches scikit-learn', () => {
  it.each(Object.keys(cases))('%s: classes, coefficients, intercepts, probabilities and predictions', async (name) => {
    const c = cases[name]!;
    const { X, classes, y } = design(c);
    expect(classes).toEqual(c.classes);
    const fit = await fitLogistic(X, y, classes.length, c.C);
    const coef = fit.coef.flat();
    // scikit-learn's lbfgs (refitted until its coefficients stop moving) and newton-cg at tol 1e-10.
    const lbfgs = maxRelDiff(coef, c.coef.flat());
    const newtonCg = maxRelDiff(coef, c.newton_cg.coef.flat());
    expect(lbfgs).toBeLessThan(1e-3);
    expect(newtonCg).toBeLessThan(1e-6);
    expectClose(fit.intercept, c.newton_cg.intercept, 1e-6);
    expectClose(fit.intercept, c.intercept, 1e-3);
    const state: LogisticState = { ...fit, classes, targetType: 'VARCHAR' };
    const { proba, predicted } = logisticPredict(state, X);
    const K = classes.length;
    const first = c.first_proba.flatMap((row, i) => row.map((_, k) => proba[i * K + k]!));
    const proba5 = Math.max(...first.map((p, i) => Math.abs(p - c.first_proba.flat()[i]!)));
    expect(proba5).toBeLessThan(1e-5);
    expect(Array.from(predicted.slice(0, 5), (k) => classes[k])).toEqual(c.first_pred);
    agreement[name] = { lbfgs, newtonCg, proba: proba5 };
  });

  it('L-BFGS (used for many classes × features) reaches the same optimum as Newton', async () => {
    for (const name of ['breast_cancer:std', 'iris', 'wine:std']) {
      const c = cases[name]!;
      const { X, classes, y } = design(c);
      const newton = await fitLogistic(X, y, classes.length, c.C, { solver: 'newton' });
      const lbfgs = await fitLogistic(X, y, classes.length, c.C, { solver: 'lbfgs' });
      expect(newton.solver.method).toBe('newton');
      expect(lbfgs.solver.method).toBe('lbfgs');
      expect(maxRelDiff(lbfgs.coef.flat(), c.newton_cg.coef.flat())).toBeLessThan(1e-5);
    }
  });

  it('multinomial intercepts sum to zero, as scikit-learn’s', async () => {
    const c = cases['iris']!;
    const { X, classes, y } = design(c);
    const fit = await fitLogistic(X, y, classes.length, c.C);
    expect(Math.abs(fit.intercept.reduce((s, b) => s + b, 0))).toBeLessThan(1e-12);
  });

  it('stops on an aborted signal', async () => {
    const c = cases['iris']!;
    const { X, classes, y } = design(c);
    const controller = new AbortController();
    controller.abort();
    await expect(fitLogistic(X, y, classes.length, 1, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  afterAll(() => {
    // Printed for the record: max relative coefficient differences and max |Δp| of the first rows.
    console.log('logistic agreement with scikit-learn', JSON.stringify(agreement));
  });
});

describe.each(engineKinds)('model.logistic and model.predict in the engine (%s)', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(kind);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('binary, text labels: standardized breast cancer, probability of the positive (second) class', async () => {
    const c = cases['breast_cancer:std']!;
    const doc = pipeline(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'breast_cancer' } },
        { id: 'scaled', kind: 'features.scale', params: {} },
        { id: 'fit', kind: 'model.logistic', params: { target: 'diagnosis', C: c.C } },
        { id: 'pred', kind: 'model.predict' },
      ],
      ['src->scaled', { from: 'scaled', fromPort: 'out', to: 'fit' }, { from: 'fit', to: 'pred', toPort: 'model' }, { from: 'scaled', fromPort: 'out', to: 'pred', toPort: 'data' }],
    );
    const { record, rows, pipeline: p } = await runDoc(engine, doc, '.');
    expect(record.status, JSON.stringify(record.problems)).toBe('ok');
    const artifact = artifactOf(engine, p, 'fit') as ModelArtifact<LogisticState>;
    expect(artifact.task).toBe('binary');
    expect(artifact.classes).toEqual(['benign', 'malignant']);
    expect(maxRelDiff(artifact.state.coef.flat(), c.newton_cg.coef.flat())).toBeLessThan(1e-6);
    const out = await rows('pred');
    expect(out.columns.map((x) => x.name).slice(-2)).toEqual(['prediction', 'probability']);
    expect(out.columns.find((x) => x.name === 'prediction')!.type).toBe('VARCHAR');
    expect(col(out, 'prediction').slice(0, 5)).toEqual(c.first_pred);
    const p1 = numbers(col(out, 'probability')).slice(0, 5);
    p1.forEach((v, i) => expect(Math.abs(v - c.first_proba[i]![1]!)).toBeLessThan(1e-6));
  });

  it('multinomial: iris, with probability_<class> columns summing to 1', async () => {
    const c = cases['iris']!;
    const doc = pipeline(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'iris' } },
        { id: 'fit', kind: 'model.logistic', params: { target: 'species' } },
        { id: 'pred', kind: 'model.predict' },
      ],
      ['src->fit', { from: 'fit', to: 'pred', toPort: 'model' }, { from: 'src', to: 'pred', toPort: 'data' }],
    );
    const { record, rows, pipeline: p } = await runDoc(engine, doc, '.');
    expect(record.status, JSON.stringify(record.problems)).toBe('ok');
    const artifact = artifactOf(engine, p, 'fit') as ModelArtifact<LogisticState>;
    expect(artifact.task).toBe('multiclass');
    expect(maxRelDiff(artifact.state.coef.flat(), c.newton_cg.coef.flat())).toBeLessThan(1e-6);
    const out = await rows('pred');
    const names = ['probability_setosa', 'probability_versicolor', 'probability_virginica'];
    expect(out.columns.map((x) => x.name).slice(-5)).toEqual(['prediction', 'probability', ...names]);
    const P = names.map((n) => numbers(col(out, n)));
    for (let i = 0; i < 5; i++) P.forEach((pk, k) => expect(Math.abs(pk[i]! - c.first_proba[i]![k]!)).toBeLessThan(1e-6));
    const prob = numbers(col(out, 'probability'));
    const pred = col(out, 'prediction');
    for (let i = 0; i < out.rows.length; i++) {
      expect(Math.abs(P[0]![i]! + P[1]![i]! + P[2]![i]! - 1)).toBeLessThan(1e-12);
      const best = Math.max(P[0]![i]!, P[1]![i]!, P[2]![i]!);
      expect(prob[i]).toBe(best);
      expect(pred[i]).toBe(c.classes[[P[0]![i], P[1]![i], P[2]![i]].indexOf(best)]);
    }
  });

  it('numeric labels keep the target’s type; save → load → predict gives identical predictions', async () => {
    const c = cases['customers']!;
    const doc = pipeline(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'customers' } },
        { id: 'fit', kind: 'model.logistic', params: { target: 'churned', features: c.features } },
        { id: 'pred', kind: 'model.predict' },
      ],
      ['src->fit', { from: 'fit', to: 'pred', toPort: 'model' }, { from: 'src', to: 'pred', toPort: 'data' }],
    );
    const { record, rows, pipeline: p } = await runDoc(engine, doc, '.');
    expect(record.status, JSON.stringify(record.problems)).toBe('ok');
    const artifact = artifactOf(engine, p, 'fit') as ModelArtifact<LogisticState>;
    expect(artifact.classes).toEqual([0, 1]);
    expect(maxRelDiff(artifact.state.coef.flat(), c.newton_cg.coef.flat())).toBeLessThan(1e-5);
    const out = await rows('pred');
    expect(out.columns.find((x) => x.name === 'prediction')!.type).toBe('BIGINT');
    expect(col(out, 'prediction').slice(0, 5)).toEqual(c.first_pred);

    // The artifact as a file would hold it, read back and applied again: the same bits.
    const loaded = JSON.parse(JSON.stringify(artifact)) as ModelArtifact<LogisticState>;
    expect(loaded).toEqual(artifact);
    const source = await readRows(engine.db, `SELECT * FROM ${(engine.output(p, 'src', 'out') as { relation: string }).relation}`);
    const relation = (engine.output(p, 'src', 'out') as { relation: string }).relation;
    const again = await readRows(engine.db, applierFor('model.logistic')!.sql!(loaded, relation, source.columns));
    expect(again.rows).toEqual(out.rows);
    const X = artifact.features.map((f) => Float64Array.from(numbers(col(source, f.name))));
    const a = logisticPredict(artifact.state, X);
    const b = logisticPredict(loaded.state, X);
    expect(Array.from(b.proba)).toEqual(Array.from(a.proba));
  });

  it('a target with a single class is an error naming the param', async () => {
    const doc = pipeline(
      [
        { id: 'src', kind: 'source.sql', params: { query: "SELECT range::DOUBLE AS x, 'a' AS y FROM range(10)" } },
        { id: 'fit', kind: 'model.logistic', params: { target: 'y' } },
      ],
      ['src->fit'],
    );
    const { record } = await runDoc(engine, doc, '.');
    expect(record.nodes['fit']!.status).toBe('error');
    expect(record.problems[0]).toMatchObject({ node: 'fit', param: 'target' });
    expect(record.problems[0]!.message).toMatch(/only one class/);
  });
});
