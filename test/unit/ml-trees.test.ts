import { afterAll, describe, expect, it } from 'vitest';
import type { Primitive } from '../../engine/index.ts';
import { applierFor } from '../../engine/ml/appliers.ts';
import type { ModelArtifact } from '../../engine/ml/artifact.ts';
import { fitForest, forestPredict } from '../../engine/ml/forest.ts';
import { binThresholds, fitGbdt, gbdtPredict, trainValidationSplit } from '../../engine/ml/gbdt.ts';
import { rocAucScore } from '../../engine/ml/metrics.ts';
import { gbdtCodegen, forestCodegen, ensembleCodegen } from '../../engine/ml/model-codegen.ts';
import { RandomState } from '../../engine/ml/random.ts';
import { scoreArtifact } from '../../engine/ml/supervised.ts';
import { tunableKinds, tunableModel } from '../../engine/tune/models.ts';
import { engineKinds, fixtureDir, openEngine, pipeline, resolve, runDoc } from '../support/engines.ts';
import { artifactOf, col } from '../support/ml.ts';
import { loadSplit, maxAbsDiff, models, r2, type Split } from '../support/models.ts';

/**
 * model.gbdt and model.random_forest against scikit-learn 1.2's HistGradientBoosting* and
 * RandomForest* on committed datasets (test/fixtures/sklearn/models.json, made by
 * make_model_fixtures.py): the same iterations, tree sizes and bin thresholds, test predictions
 * to 1e-9 and test R² / AUC within 0.02 (the stated tolerance; the measured gap is printed).
 * model.ensemble's averages, model.predict's JS scoring, save → load, progress and cancel.
 */

const agreement: Record<string, string> = {};
afterAll(() => {
  console.info(`model agreement with scikit-learn 1.2:\n${Object.entries(agreement).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
});

function classesOf(labels: string[]): string[] {
  return [...new Set(labels)].sort((a, b) => (Number.isNaN(Number(a)) ? (a < b ? -1 : a > b ? 1 : 0) : Number(a) - Number(b)));
}

function target(d: Split, split: 'train' | 'test' = 'train') {
  const y = d[split].y;
  if (d.task === 'regression') return { task: 'regression' as const, y: Float64Array.from(y, Number) };
  const classes = classesOf(d.train.y);
  return { task: 'classification' as const, y: Int32Array.from(y, (v) => classes.indexOf(v)), classes: classes.length };
}

/** Kanvas params of a fixture case (the python script's names and defaults). */
function gbdtOptions(p: Record<string, unknown>) {
  return {
    ...p,
    maxLeafNodes: p['maxLeafNodes'] === 0 ? null : ((p['maxLeafNodes'] as number | undefined) ?? 31),
    maxDepth: (p['maxDepth'] as number | undefined) || null,
    earlyStopping: (p['earlyStopping'] as 'on' | 'off' | undefined) ?? 'off',
  };
}

function auc(d: Split, proba: Float64Array[]): number {
  const classes = classesOf(d.train.y);
  const y = d.test.y.map((v) => classes.indexOf(v));
  if (proba.length === 2) return rocAucScore(y.map((k) => k === 1), proba[1]!);
  return proba.reduce((s, p, k) => s + rocAucScore(y.map((c) => c === k), p), 0) / proba.length;
}

describe('model.gbdt matches scikit-learn HistGradientBoosting', () => {
  it.each(Object.keys(models.gbdt))('%s', async (name) => {
    const c = models.gbdt[name];
    const d = loadSplit(c.dataset);
    const fit = await fitGbdt(d.train.X, target(d), gbdtOptions(c.params));
    expect(fit.nIter).toBe(c.n_iter);
    expect(fit.trees.flat().slice(0, 20).map((t) => t.feature.filter((f) => f < 0).length)).toEqual(c.leaves_per_tree);
    if (c.params.earlyStopping !== 'on') expect(Array.from(binThresholds(d.train.X[0]!, c.params.maxBins ?? 255))).toEqual(c.thresholds0);
    const pred = gbdtPredict(fit, d.test.X);
    if (d.task === 'regression') {
      const value = (pred as { value: Float64Array }).value;
      const diff = maxAbsDiff(value, c.test_pred);
      expect(diff).toBeLessThan(1e-9);
      const gap = Math.abs(r2(Float64Array.from(d.test.y, Number), value) - c.test_r2);
      expect(gap).toBeLessThanOrEqual(0.02);
      agreement[`gbdt ${name}`] = `R² ${c.test_r2.toFixed(4)}, gap ${gap.toExponential(1)}, max |Δ prediction| ${diff.toExponential(1)}, ${fit.nIter} rounds`;
    } else {
      const proba = (pred as { proba: Float64Array[] }).proba;
      const diff = Math.max(...c.test_proba.map((row: number[], i: number) => Math.max(...row.map((p, k) => Math.abs(p - proba[k]![i]!)))));
      expect(diff).toBeLessThan(1e-9);
      const gap = Math.abs(auc(d, proba) - c.test_auc);
      expect(gap).toBeLessThanOrEqual(0.02);
      agreement[`gbdt ${name}`] = `AUC ${c.test_auc.toFixed(4)}, gap ${gap.toExponential(1)}, max |Δ probability| ${diff.toExponential(1)}, ${fit.nIter} rounds`;
    }
  });

  it('draws the validation split scikit-learn draws (ShuffleSplit, and StratifiedShuffleSplit by class)', () => {
    // train_test_split(np.arange(10), test_size=0.3, random_state=0) → test [2, 8, 4], train [9, 1, 6, 7, 3, 0, 5]
    const plain = trainValidationSplit(10, 0.3, 0);
    expect(Array.from(plain.test)).toEqual([2, 8, 4]);
    expect(Array.from(plain.train)).toEqual([9, 1, 6, 7, 3, 0, 5]);
    // Stratified (stratify=y, 80 zeros then 20 ones, random_state=3), as scikit-learn 1.2 draws it.
    const y = Int32Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const strat = trainValidationSplit(100, 0.1, 3, y);
    expect(Array.from(strat.test)).toEqual([90, 96, 24, 21, 3, 41, 19, 72, 56, 0]);
    expect(Array.from(strat.train.slice(0, 10))).toEqual([75, 6, 92, 74, 65, 12, 35, 29, 58, 97]);
  });

  it('reports progress after every round and stops when cancelled', async () => {
    const d = loadSplit('friedman');
    const steps: number[] = [];
    await fitGbdt(d.train.X, target(d), { maxIter: 7 }, { progress: (done) => steps.push(done) });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const controller = new AbortController();
    const seen: number[] = [];
    const fit = fitGbdt(d.train.X, target(d), { maxIter: 50 }, { signal: controller.signal, progress: (done) => (seen.push(done), done === 3 && controller.abort()) });
    await expect(fit).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives NaN features the larger child, as scikit-learn does for features without missing values in training', async () => {
    const d = loadSplit('friedman');
    const fit = await fitGbdt(d.train.X, target(d), { maxIter: 1, maxLeafNodes: 2 });
    const tree = fit.trees[0]![0]!;
    const root = tree.feature[0]!;
    const X = d.test.X.map((c, j) => (j === root ? c.map(() => NaN) : c));
    const nan = (gbdtPredict(fit, X) as { value: Float64Array }).value[0]!;
    const bigger = tree.missingLeft[0] ? tree.left[0]! : tree.right[0]!;
    expect(nan).toBe(fit.baseline[0]! + tree.value[bigger]!);
  });
});

describe('model.random_forest matches scikit-learn RandomForest', () => {
  it.each(Object.keys(models.forest))('%s: the same trees (seed 0) and a test score within 0.02 of scikit-learn’s over five seeds', async (name) => {
    const c = models.forest[name];
    const d = loadSplit(c.dataset);
    const fit = await fitForest(d.train.X, target(d), { ...c.params, seed: 0 });
    expect(fit.trees.slice(0, 10).map((t) => t.feature.length)).toEqual(c.seed0.node_counts);
    const pred = forestPredict(fit, d.test.X);
    const key = d.task === 'regression' ? 'r2' : 'auc';
    let ours: number;
    let diff: number;
    if (d.task === 'regression') {
      const value = (pred as { value: Float64Array }).value;
      diff = maxAbsDiff(value, c.seed0.test_pred);
      ours = r2(Float64Array.from(d.test.y, Number), value);
    } else {
      const proba = (pred as { proba: Float64Array[] }).proba;
      diff = Math.max(...c.seed0.test_proba.map((row: number[], i: number) => Math.max(...row.map((p, k) => Math.abs(p - proba[k]![i]!)))));
      ours = auc(d, proba);
    }
    expect(diff).toBeLessThan(1e-12);
    const scores = c.seeds.map((s: Record<string, number>) => s[key]!);
    const mean = scores.reduce((a: number, b: number) => a + b, 0) / scores.length;
    expect(Math.abs(ours - scores[0])).toBeLessThan(1e-12);
    expect(Math.abs(ours - mean)).toBeLessThanOrEqual(0.02);
    agreement[`forest ${name}`] = `${key} ${ours.toFixed(4)} (scikit-learn seeds ${Math.min(...scores).toFixed(4)}–${Math.max(...scores).toFixed(4)}), max |Δ| at seed 0 ${diff.toExponential(1)}`;
  });

  it('reports progress per tree and stops when cancelled', async () => {
    const d = loadSplit('diabetes');
    const controller = new AbortController();
    const seen: number[] = [];
    const fit = fitForest(d.train.X, target(d), { nEstimators: 30 }, { signal: controller.signal, progress: (done) => (seen.push(done), done === 2 && controller.abort()) });
    await expect(fit).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2]);
  });
});

// ---- through the engine: fit, predict (JS scoring joined back by row), save → load ----------

function csvFiles(d: Split): Record<string, string> {
  const header = d.header.join(',');
  return { 'train.csv': [header, ...d.train.lines].join('\n'), 'test.csv': [header, ...d.test.lines].join('\n') };
}

function fitAndPredict(kind: string, params: Record<string, unknown>) {
  return pipeline(
    [
      { id: 'train', kind: 'source.csv', params: { path: 'train.csv' } },
      { id: 'test', kind: 'source.csv', params: { path: 'test.csv' } },
      { id: 'fit', kind, params },
      { id: 'pred', kind: 'model.predict' },
    ],
    ['train->fit', { from: 'fit', to: 'pred', toPort: 'model' }, { from: 'test', to: 'pred', toPort: 'data' }],
  );
}

const numbers = (v: Primitive[]) => v.map((x) => x as number);

describe.each(engineKinds)('fit and predict through the engine on %s', (engineKind) => {
  it('model.gbdt regression: predictions in row order equal the fit’s (and scikit-learn’s); the artifact survives JSON', async () => {
    const d = loadSplit('friedman');
    const engine = await openEngine(engineKind);
    const { record, rows, pipeline: p } = await runDoc(engine, fitAndPredict('model.gbdt', { target: 'y', maxIter: 30 }), fixtureDir(csvFiles(d)));
    expect(record.status).toBe('ok');
    const out = await rows('pred');
    expect(out.columns.map((c) => c.name)).toEqual([...d.header, 'prediction']);
    const direct = await fitGbdt(d.train.X, target(d), { maxIter: 30 });
    const expected = (gbdtPredict(direct, d.test.X) as { value: Float64Array }).value;
    expect(numbers(col(out, 'prediction'))).toEqual(Array.from(expected));
    expect(numbers(col(out, 'x1'))).toEqual(Array.from(d.test.X[0]!));
    const artifact = artifactOf(engine, p, 'fit');
    expect(artifact.task).toBe('regression');
    expect(artifact.metrics!['r2']).toBeGreaterThan(0.9);
    const loaded = JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
    expect(applierFor('model.gbdt')!.predict!(loaded, d.test.X).prediction).toEqual(Array.from(expected));
    await engine.close();
  });

  it('model.gbdt classification of a text target: labels, probabilities and metrics', async () => {
    const d = loadSplit('breast_cancer');
    const c = models.gbdt['breast_cancer'];
    const engine = await openEngine(engineKind);
    const { record, rows, pipeline: p } = await runDoc(engine, fitAndPredict('model.gbdt', { target: d.target, ...c.params }), fixtureDir(csvFiles(d)));
    expect(record.status).toBe('ok');
    const out = await rows('pred');
    const proba = numbers(col(out, 'probability'));
    expect(maxAbsDiff(proba, c.test_proba.map((r: number[]) => r[1]))).toBeLessThan(1e-9);
    expect(col(out, 'prediction')).toEqual(proba.map((q) => c.classes[q > 0.5 ? 1 : 0]));
    const artifact = artifactOf(engine, p, 'fit');
    expect(artifact.task).toBe('binary');
    expect(artifact.classes).toEqual(c.classes);
    expect(artifact.metrics!['accuracy']).toBeGreaterThan(0.95);
    expect(Object.keys(artifact.metrics!)).toEqual(['accuracy', 'log_loss', 'roc_auc']);
    await engine.close();
  });

  it('model.random_forest with three classes: prediction typed as the target, probability and probability_<class>', async () => {
    const d = loadSplit('multiclass');
    const engine = await openEngine(engineKind);
    const { record, rows, pipeline: p } = await runDoc(engine, fitAndPredict('model.random_forest', { target: 'label', task: 'classification', nEstimators: 20, seed: 0 }), fixtureDir(csvFiles(d)));
    expect(record.status).toBe('ok');
    const out = await rows('pred');
    expect(out.columns.slice(-5).map((c) => `${c.name} ${c.type}`)).toEqual(['prediction BIGINT', 'probability DOUBLE', 'probability_0 DOUBLE', 'probability_1 DOUBLE', 'probability_2 DOUBLE']);
    const direct = forestPredict(await fitForest(d.train.X, target(d), { nEstimators: 20, seed: 0 }), d.test.X) as { proba: Float64Array[] };
    expect(numbers(col(out, 'probability_2'))).toEqual(Array.from(direct.proba[2]!));
    const artifact = artifactOf(engine, p, 'fit');
    const loaded = JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
    expect(scoreArtifact(loaded, d.test.X)).toEqual(scoreArtifact(artifact, d.test.X));
    await engine.close();
  });
});

describe('model.ensemble', () => {
  const d = loadSplit('friedman');
  const doc = (weights: number[], extra: { c?: string } = {}) =>
    pipeline(
      [
        { id: 'train', kind: 'source.csv', params: { path: 'train.csv' } },
        { id: 'test', kind: 'source.csv', params: { path: 'test.csv' } },
        { id: 'gb', kind: 'model.gbdt', params: { target: 'y', maxIter: 20 } },
        { id: 'rf', kind: 'model.random_forest', params: { target: 'y', nEstimators: 10, seed: 1 } },
        { id: 'lin', kind: 'model.linear', params: { target: 'y' } },
        { id: 'ens', kind: 'model.ensemble', params: { weights } },
        { id: 'pred', kind: 'model.predict' },
        ...['gb', 'rf', 'lin'].map((m) => ({ id: `p_${m}`, kind: 'model.predict' })),
      ],
      [
        'train->gb',
        'train->rf',
        'train->lin',
        { from: 'gb', to: 'ens', toPort: 'a' },
        { from: 'rf', to: 'ens', toPort: 'b' },
        ...(extra.c ? [{ from: extra.c, to: 'ens', toPort: 'c' }] : []),
        { from: 'train', to: 'ens', toPort: 'in' },
        { from: 'ens', to: 'pred', toPort: 'model' },
        { from: 'test', to: 'pred', toPort: 'data' },
        ...['gb', 'rf', 'lin'].flatMap((m) => [
          { from: m, to: `p_${m}`, toPort: 'model' },
          { from: 'test', to: `p_${m}`, toPort: 'data' },
        ]),
      ],
    );

  it('predicts the weighted mean of its members’ predictions, exactly', async () => {
    const engine = await openEngine('native');
    const { record, rows, pipeline: p } = await runDoc(engine, doc([3, 1]), fixtureDir(csvFiles(d)));
    expect(record.status).toBe('ok');
    const gb = numbers(col(await rows('p_gb'), 'prediction'));
    const rf = numbers(col(await rows('p_rf'), 'prediction'));
    const expected = gb.map((g, i) => (0 + 3 * g + 1 * rf[i]!) / 4);
    expect(numbers(col(await rows('pred'), 'prediction'))).toEqual(expected);
    const artifact = artifactOf(engine, p, 'ens');
    expect((artifact.state as { members: ModelArtifact[] }).members.map((m) => m.kind)).toEqual(['model.gbdt', 'model.random_forest']);
    expect(artifact.metrics!['r2']).toBeGreaterThan(0.9);
    // Saved and loaded, the ensemble (and the members it carries) scores the same.
    const loaded = JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
    expect(applierFor('model.ensemble')!.predict!(loaded, d.test.X).prediction).toEqual(expected);
    await engine.close();
  });

  it('holds a third model on the optional port c, with equal weights; a linear member scores as its SQL applier does', async () => {
    const engine = await openEngine('native');
    const { record, rows } = await runDoc(engine, doc([], { c: 'lin' }), fixtureDir(csvFiles(d)));
    expect(record.status).toBe('ok');
    const gb = numbers(col(await rows('p_gb'), 'prediction'));
    const rf = numbers(col(await rows('p_rf'), 'prediction'));
    const lin = numbers(col(await rows('p_lin'), 'prediction'));
    const expected = gb.map((g, i) => (g + rf[i]! + lin[i]!) / 3);
    expect(maxAbsDiff(numbers(col(await rows('pred'), 'prediction')), expected)).toBeLessThan(1e-12);
    await engine.close();
  });

  it('soft-votes classifiers: the mean of the members’ class probabilities', async () => {
    const b = loadSplit('binary');
    const engine = await openEngine('native');
    const cls = { target: 'label', task: 'classification' };
    const docB = pipeline(
      [
        { id: 'train', kind: 'source.csv', params: { path: 'train.csv' } },
        { id: 'test', kind: 'source.csv', params: { path: 'test.csv' } },
        { id: 'gb', kind: 'model.gbdt', params: { ...cls, maxIter: 20 } },
        { id: 'rf', kind: 'model.random_forest', params: { ...cls, nEstimators: 10 } },
        { id: 'ens', kind: 'model.ensemble' },
        { id: 'pred', kind: 'model.predict' },
      ],
      ['train->gb', 'train->rf', { from: 'gb', to: 'ens', toPort: 'a' }, { from: 'rf', to: 'ens', toPort: 'b' }, { from: 'ens', to: 'pred', toPort: 'model' }, { from: 'test', to: 'pred', toPort: 'data' }],
    );
    const { record, rows } = await runDoc(engine, docB, fixtureDir(csvFiles(b)));
    expect(record.status).toBe('ok');
    const gb = (gbdtPredict(await fitGbdt(b.train.X, target(b), { maxIter: 20 }), b.test.X) as { proba: Float64Array[] }).proba[1]!;
    const rf = (forestPredict(await fitForest(b.train.X, target(b), { nEstimators: 10 }), b.test.X) as { proba: Float64Array[] }).proba[1]!;
    const out = await rows('pred');
    expect(numbers(col(out, 'probability'))).toEqual(Array.from(gb, (g, i) => (0 + 1 * g + 1 * rf[i]!) / 2));
    expect(col(out, 'prediction')).toEqual(numbers(col(out, 'probability')).map((q) => (q > 0.5 ? 1 : 0)));
    await engine.close();
  });

  it('needs a and b connected, takes c and d optionally, and refuses mixed tasks or a wrong number of weights', async () => {
    const only = pipeline([{ id: 'm', kind: 'model.ensemble' }], []);
    expect(() => resolve(only)).toThrow(/input is not connected/);
    const engine = await openEngine('native');
    const files = fixtureDir({ ...csvFiles(d) });
    const bad = await runDoc(engine, doc([1, 2, 3]), files);
    expect(bad.record.status).toBe('error');
    expect(JSON.stringify(bad.record.nodes['ens'])).toMatch(/expected 2 weights/);
    const mixedDoc = pipeline(
      [
        { id: 'train', kind: 'source.csv', params: { path: 'train.csv' } },
        { id: 'reg', kind: 'model.gbdt', params: { target: 'y', maxIter: 5 } },
        { id: 'cls', kind: 'model.gbdt', params: { target: 'y', task: 'classification', maxIter: 5 } },
        { id: 'ens', kind: 'model.ensemble' },
      ],
      ['train->reg', 'train->cls', { from: 'reg', to: 'ens', toPort: 'a' }, { from: 'cls', to: 'ens', toPort: 'b' }],
    );
    const small = fixtureDir({ 'train.csv': 'x,y\n' + Array.from({ length: 60 }, (_, i) => `${i},${i % 3}`).join('\n') });
    const mixed = await runDoc(engine, mixedDoc, small);
    expect(JSON.stringify(mixed.record.nodes['ens'])).toMatch(/cannot combine a multiclass model with a regression model/);
    await engine.close();
  });
});

describe('cancel through the engine', () => {
  it('stops model.gbdt between rounds and marks the run cancelled', async () => {
    const d = loadSplit('friedman');
    const engine = await openEngine('native');
    const controller = new AbortController();
    const steps: number[] = [];
    const doc = pipeline([{ id: 'train', kind: 'source.csv', params: { path: 'train.csv' } }, { id: 'fit', kind: 'model.gbdt', params: { target: 'y' } }], ['train->fit']);
    const record = await engine.run(resolve(doc), {
      baseDir: fixtureDir(csvFiles(d)),
      signal: controller.signal,
      onProgress: (e) => {
        if (e.node === 'fit' && e.phase === 'step') {
          steps.push(e.step!.done);
          if (e.step!.done === 3) controller.abort();
        }
      },
    });
    expect(record.status).toBe('cancelled');
    expect(steps).toEqual([1, 2, 3]);
    await engine.close();
  });
});

describe('tuning registry and code export', () => {
  it('registers each kind once per task', () => {
    for (const kind of ['model.gbdt', 'model.random_forest', 'model.mlp']) {
      expect(tunableKinds).toContain(kind);
      expect(tunableModel(kind, 'regression')!.task).toBe('regression');
      expect(tunableModel(kind, 'classification')!.task).toBe('classification');
      expect(tunableModel(kind, 'classification')!.params({}, 't', []).task).toBe('classification');
    }
    expect(tunableModel('model.gbdt', 'classification')!.sklearn(tunableModel('model.gbdt', 'classification')!.params({ learningRate: 0.05 }, 't', [])).estimator).toBe(
      'HistGradientBoostingClassifier(learning_rate=0.05, max_iter=100, max_leaf_nodes=31, max_depth=None, min_samples_leaf=20, l2_regularization=0.0, max_bins=255, early_stopping="auto", validation_fraction=0.1, n_iter_no_change=10, random_state=42)',
    );
  });

  it('an entry found by kind alone follows the data’s task (tuners that do not pass one)', async () => {
    const b = loadSplit('breast_cancer');
    const m = tunableModel('model.gbdt')!;
    const classes = classesOf(b.train.y);
    const data = { task: 'classification' as const, X: b.train.X, y: Int32Array.from(b.train.y, (v) => classes.indexOf(v)), classes, targetType: 'VARCHAR' };
    const params = m.params({ maxIter: 10 }, b.target, b.features);
    const state = await m.fit(data, params, {});
    expect(m.predict(state, b.test.X).task).toBe('classification');
    const artifact = m.artifact(state, data, params, [], b.target);
    expect(artifact.task).toBe('binary');
    expect(artifact.params['task']).toBe('classification');
    expect(artifact.metrics!['accuracy']).toBeGreaterThan(0.95);
  });

  it('tunable fits score as the kinds do', async () => {
    const d = loadSplit('diabetes');
    const m = tunableModel('model.random_forest', 'regression')!;
    const params = m.params({ nEstimators: 50 }, d.target, d.features);
    const state = await m.fit({ task: 'regression', X: d.train.X, y: Float64Array.from(d.train.y, Number) }, params, {});
    const pred = m.predict(state, d.test.X);
    const direct = forestPredict(await fitForest(d.train.X, target(d), { nEstimators: 50 }), d.test.X) as { value: Float64Array };
    expect(pred).toEqual({ task: 'regression', value: direct.value });
  });

  const ctx = (columns: { name: string; type: string }[], inputs: Record<string, string> = { in: 'df' }) =>
    ({
      node: 'n',
      title: 't',
      inputs,
      outputs: { model: 'model' },
      columns: () => columns,
      outputColumns: () => [],
      str: (s: string) => JSON.stringify(s),
      helper: (name: string) => name,
      expr: () => ({ code: '', type: 'number' }),
      path: (p: string) => JSON.stringify(p),
      csvDelimiter: undefined,
      ordered: () => false,
      label: () => 'l',
    }) as never;

  it('exports to scikit-learn with the same params and seed, saying the model is close but not identical', () => {
    const p = { target: 'y', features: [], task: 'auto' as const, learningRate: 0.2, maxIter: 50, maxLeafNodes: 0, maxDepth: 3, minSamplesLeaf: 10, l2Regularization: 1, maxBins: 32, earlyStopping: 'on' as const, validationFraction: 0.2, nIterNoChange: 5, seed: 7 };
    const code = (gbdtCodegen.pandas as (p: unknown, c: unknown) => { lines: string[] })(p, ctx([{ name: 'y', type: 'DOUBLE' }])).lines.join('\n');
    expect(code).toContain(
      '(HistGradientBoostingClassifier if model_classes else HistGradientBoostingRegressor)(learning_rate=0.2, max_iter=50, max_leaf_nodes=None, max_depth=3, min_samples_leaf=10, l2_regularization=1.0, max_bins=32, early_stopping=True, validation_fraction=0.2, n_iter_no_change=5, random_state=7)',
    );
    expect(code).toMatch(/not guaranteed identical/);
    const spark = (gbdtCodegen.pyspark as (p: unknown, c: unknown) => { lines: string[] })(p, ctx([{ name: 'x', type: 'DOUBLE' }, { name: 'y', type: 'DOUBLE' }])).lines.join('\n');
    expect(spark).toContain('GBTRegressor(maxIter=50, stepSize=0.2, maxDepth=3, maxBins=32, minInstancesPerNode=10, seed=7)');
    expect(spark).toContain('_ml_spark_fit_pipeline(df, ["x"], "y",');
    const rf = (forestCodegen.pandas as (p: unknown, c: unknown) => { lines: string[] })(
      { target: 'y', features: ['a'], task: 'classification', nEstimators: 10, maxDepth: 0, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 'auto', maxFeaturesFraction: 0.5, bootstrap: true, seed: 3 },
      ctx([]),
    ).lines.join('\n');
    expect(rf).toContain('max_features=("sqrt" if model_classes else 1.0)');
    const ens = (ensembleCodegen.pandas as (p: unknown, c: unknown) => { lines: string[] })({ weights: [2, 1] }, ctx([], { a: 'gb', b: 'rf' })).lines.join('\n');
    expect(ens).toContain('_ml_ensemble([gb, rf], [2.0, 1.0])');
    for (const g of [gbdtCodegen, forestCodegen, ensembleCodegen]) {
      expect((g.beam as { unsupported: string }).unsupported.length).toBeGreaterThan(20);
      expect((g.sql as { unsupported: string }).unsupported.length).toBeGreaterThan(20);
    }
  });
});

it('fixtures: the split and the seed scikit-learn derives from random_state', () => {
  const d = loadSplit('friedman');
  expect(d.train.X[0]!.length + d.test.X[0]!.length).toBe(2500);
  expect(models.gbdt['friedman'].test_pred).toHaveLength(500);
  // np.random.RandomState(7).randint(np.iinfo(np.uint32).max, dtype="u8") == 327741615
  expect(new RandomState(7).interval(0xfffffffe)).toBe(327741615);
});
