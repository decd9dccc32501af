import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applierFor } from '../../engine/ml/appliers.ts';
import type { ModelArtifact } from '../../engine/ml/artifact.ts';
import { rocAucScore } from '../../engine/ml/metrics.ts';
import { fitMlp, mlpPredict, type MlpOptions, type MlpState } from '../../engine/ml/mlp.ts';
import { mlpCodegen } from '../../engine/ml/model-codegen.ts';
import { useNodeTensorFlow } from '../../engine/node/tf-wasm.ts';
import { fixtureDir, openEngine, pipeline, runDoc } from '../support/engines.ts';
import { artifactOf, col } from '../support/ml.ts';
import { loadSplit, models, r2 } from '../support/models.ts';

/**
 * model.mlp (TensorFlow.js, wasm backend) on committed datasets with scikit-learn's MLP scores
 * as the reference (test/fixtures/sklearn/models.json):
 *
 * - `function`: y = sin(2·x1) + x2²/2 − x3·x4 + N(0, 0.05²) on x ~ U(−2, 2)⁴. The noise bounds R²
 *   at 1 − 0.0025/2.43 ≈ 0.999 and a linear model reaches only 0.008 on the test rows (each term is
 *   nearly uncorrelated with the features), so R² above 0.98 means the network learned the
 *   function; scikit-learn's MLPRegressor with the same layers, learning rate and batch size gets
 *   0.995 for each of three seeds.
 * - `moons`: two interleaved half circles with noise 0.2; accuracy above 0.95 and ROC AUC above
 *   0.99 need a curved boundary (logistic regression gets 0.835 accuracy on the test rows).
 */

beforeAll(() => useNodeTensorFlow());

const agreement: Record<string, string> = {};
afterAll(() => console.info(`model.mlp vs scikit-learn's MLP:\n${Object.entries(agreement).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`));

function options(name: string, seed = 0): Partial<MlpOptions> {
  const p = models.mlp[name].params;
  return { ...p, alpha: 0, seed };
}

const fn = loadSplit('function');
const moons = loadSplit('moons');
const fnTarget = { task: 'regression' as const, y: Float64Array.from(fn.train.y, Number) };
const moonsTarget = { task: 'classification' as const, y: Int32Array.from(moons.train.y, Number), classes: 2 };

describe('model.mlp learns', () => {
  it('a known function: test R² above 0.98, within 0.01 of scikit-learn’s MLPRegressor', async () => {
    const state = await fitMlp(fn.train.X, fnTarget, options('function'));
    expect(state.backend).toBe('wasm');
    const score = r2(Float64Array.from(fn.test.y, Number), (mlpPredict(state, fn.test.X) as { value: Float64Array }).value);
    const sklearn = models.mlp['function'].seeds.map((s: { r2: number }) => s.r2);
    expect(score).toBeGreaterThan(0.98);
    expect(score).toBeGreaterThan(Math.min(...sklearn) - 0.01);
    // Early stopping kept the best epoch, before the last.
    expect(state.bestEpoch).toBeLessThan(state.epochs);
    expect(state.validationLoss).toHaveLength(state.epochs);
    agreement['function'] = `R² ${score.toFixed(4)} (scikit-learn ${Math.min(...sklearn).toFixed(4)}–${Math.max(...sklearn).toFixed(4)}), ${state.epochs} epochs, best ${state.bestEpoch}`;
  });

  it('a curved class boundary: accuracy above 0.95 and AUC above 0.99, near scikit-learn’s MLPClassifier', async () => {
    const state = await fitMlp(moons.train.X, moonsTarget, options('moons'));
    const p1 = (mlpPredict(state, moons.test.X) as { proba: Float64Array[] }).proba[1]!;
    const truth = moons.test.y.map(Number);
    const accuracy = truth.filter((y, i) => (p1[i]! > 0.5 ? 1 : 0) === y).length / truth.length;
    const auc = rocAucScore(truth.map((y) => y === 1), p1);
    const sklearn = models.mlp['moons'].seeds;
    expect(accuracy).toBeGreaterThan(0.95);
    expect(auc).toBeGreaterThan(0.99);
    expect(accuracy).toBeGreaterThan(Math.min(...sklearn.map((s: { accuracy: number }) => s.accuracy)) - 0.02);
    agreement['moons'] = `accuracy ${accuracy.toFixed(3)}, AUC ${auc.toFixed(4)} (scikit-learn accuracy ${sklearn.map((s: { accuracy: number }) => s.accuracy).join(', ')})`;
  });
});

describe('model.mlp is deterministic', () => {
  it('the same seed gives the same weights; another seed other weights', async () => {
    const o = { ...options('moons'), epochs: 15 };
    const a = await fitMlp(moons.train.X, moonsTarget, o);
    const b = await fitMlp(moons.train.X, moonsTarget, o);
    const c = await fitMlp(moons.train.X, moonsTarget, { ...o, seed: 1 });
    expect(b.layers).toEqual(a.layers);
    expect(b.trainLoss).toEqual(a.trainLoss);
    expect(c.layers[0]!.weights).not.toEqual(a.layers[0]!.weights);
  });

  it('reports every epoch and stops between epochs when cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = fitMlp(moons.train.X, moonsTarget, { ...options('moons'), epochs: 50, patience: 0 }, { signal: controller.signal, progress: (done) => (seen.push(done), done === 2 && controller.abort()) });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2]);
    const all: number[] = [];
    const state = await fitMlp(moons.train.X, moonsTarget, { ...options('moons'), epochs: 4, patience: 0 }, { progress: (done) => all.push(done) });
    expect(all).toEqual([1, 2, 3, 4]);
    expect(state.epochs).toBe(4);
    expect(state.validationLoss).toEqual([]);
  });
});

describe('model.mlp through the engine', () => {
  it('fits, predicts with the stored weights, and predicts the same after save → load', async () => {
    const engine = await openEngine('native');
    const header = moons.header.join(',');
    const dir = fixtureDir({ 'train.csv': [header, ...moons.train.lines].join('\n'), 'test.csv': [header, ...moons.test.lines].join('\n') });
    const params = { target: 'label', task: 'classification', hiddenLayers: [16, 16], epochs: 40, learningRate: 0.01, batchSize: 32, seed: 3 };
    const doc = pipeline(
      [
        { id: 'train', kind: 'source.csv', params: { path: 'train.csv' } },
        { id: 'test', kind: 'source.csv', params: { path: 'test.csv' } },
        { id: 'fit', kind: 'model.mlp', params },
        { id: 'pred', kind: 'model.predict' },
      ],
      ['train->fit', { from: 'fit', to: 'pred', toPort: 'model' }, { from: 'test', to: 'pred', toPort: 'data' }],
    );
    const steps: number[] = [];
    const { record, rows, pipeline: p } = await runDoc(engine, doc, dir, { onProgress: (e) => e.node === 'fit' && e.phase === 'step' && steps.push(e.step!.done) });
    expect(record.status).toBe('ok');
    const artifact = artifactOf(engine, p, 'fit');
    const state = artifact.state as MlpState;
    expect(steps).toEqual(Array.from({ length: state.epochs }, (_, i) => i + 1));
    expect(artifact.task).toBe('binary');
    expect(artifact.metrics!['accuracy']).toBeGreaterThan(0.95);
    const out = await rows('pred');
    const probability = col(out, 'probability') as number[];
    const loaded = JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
    const again = applierFor('model.mlp')!.predict!(loaded, moons.test.X);
    expect(Array.from(again.probability!)).toEqual(probability);
    expect(again.prediction).toEqual(col(out, 'prediction'));
    // The same fit outside the engine gives the same weights.
    const direct = await fitMlp(moons.train.X, moonsTarget, { hiddenLayers: [16, 16], epochs: 40, learningRate: 0.01, batchSize: 32, seed: 3 });
    expect(direct.layers).toEqual(state.layers);
    await engine.close();
  });

  it('exports to a StandardScaler + MLP pipeline with the same params, saying it is not identical', () => {
    const p = { target: 'y', features: [], task: 'auto', hiddenLayers: [32, 16], activation: 'tanh', epochs: 300, learningRate: 0.003, batchSize: 64, alpha: 0.001, patience: 20, validationFraction: 0.1, seed: 5 };
    const ctx = { inputs: { in: 'df' }, outputs: { model: 'm' }, str: (s: string) => JSON.stringify(s), helper: (n: string) => n, columns: () => [{ name: 'y', type: 'DOUBLE' }] };
    const code = (mlpCodegen.pandas as (p: unknown, c: unknown) => { lines: string[] })(p, ctx).lines.join('\n');
    expect(code).toContain(
      'MLPRegressor(hidden_layer_sizes=(32, 16), activation="tanh", solver="adam", alpha=0.001, batch_size=64, learning_rate_init=0.003, max_iter=300, early_stopping=True, validation_fraction=0.1, n_iter_no_change=20, random_state=5)',
    );
    expect(code).toMatch(/close to the network Kanvas trained, not identical/);
    const spark = (mlpCodegen.pyspark as (p: unknown, c: unknown) => { unsupported?: string })(p, ctx);
    expect(spark.unsupported).toMatch(/no neural-network regressor/);
  });
});
