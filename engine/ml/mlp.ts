/**
 * A multi-layer perceptron trained with TensorFlow.js, in the manner of scikit-learn's
 * MLPRegressor/MLPClassifier (solver adam): dense hidden layers, Glorot-uniform initial weights
 * (scikit-learn's bounds), shuffled mini-batches, half squared error or log loss plus
 * alpha/2·‖W‖²/batch, early stopping on a held-out fraction with a patience, the best epoch's
 * weights kept. Features are standardized (and, for regression, the target) with the training
 * rows' mean and standard deviation, as `StandardScaler` would.
 *
 * Everything random is seeded (the initial weights, the validation split, each epoch's shuffle),
 * and tfjs's float32 kernels on one thread are deterministic, so a seed gives the same weights on
 * every run. The fitted weights are plain numbers (float32 values); predictions are computed
 * here in JS from them, so they are identical after a save and load and need no tfjs.
 */
import { abortError } from '../errors.ts';
import type { FitControl } from './control.ts';
import { trainValidationSplit } from './gbdt.ts';
import { RandomState } from './random.ts';
import { loadTensorFlow, type Tf } from './tf.ts';

export type Activation = 'relu' | 'tanh' | 'logistic' | 'identity';
export type MlpTask = 'regression' | 'binary' | 'multiclass';

export interface MlpOptions {
  hiddenLayers: number[];
  activation: Activation;
  /** Most passes over the training rows. */
  epochs: number;
  learningRate: number;
  batchSize: number;
  /** L2 penalty on the weights (scikit-learn's alpha). */
  alpha: number;
  /** Early stopping: epochs without a better validation loss before training stops (0: no early stopping). */
  patience: number;
  validationFraction: number;
  seed: number;
}

export const mlpDefaults: MlpOptions = {
  hiddenLayers: [100],
  activation: 'relu',
  epochs: 200,
  learningRate: 0.001,
  batchSize: 200,
  alpha: 0.0001,
  patience: 10,
  validationFraction: 0.1,
  seed: 42,
};

export interface MlpState {
  task: MlpTask;
  activation: Activation;
  /** Per layer: weights (fanIn × fanOut, row-major) and biases; the last layer is the output. */
  layers: { weights: number[]; biases: number[]; fanIn: number; fanOut: number }[];
  /** Standardization of the features (and the target, regression). */
  xMean: number[];
  xScale: number[];
  yMean: number;
  yScale: number;
  /** Epochs run, the epoch whose weights were kept, and the loss curves. */
  epochs: number;
  bestEpoch: number;
  trainLoss: number[];
  validationLoss: number[];
  backend: string;
}

export type MlpTarget = { task: 'regression'; y: Float64Array } | { task: 'classification'; y: Int32Array; classes: number };

/** scikit-learn's StandardScaler statistics: mean and population standard deviation (1 when 0). */
function standardize(col: Float64Array): [number, number] {
  let s = 0;
  for (const v of col) s += v;
  const mean = s / col.length;
  let ss = 0;
  for (const v of col) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / col.length);
  return [mean, sd === 0 ? 1 : sd];
}

/**
 * Trains the network. `X` is column-major; the target numbers or class indices. Reports progress
 * after each epoch; a cancel stops it between epochs (AbortError).
 */
export async function fitMlp(X: Float64Array[], target: MlpTarget, options: Partial<MlpOptions> = {}, control: FitControl = {}): Promise<MlpState> {
  const o = { ...mlpDefaults, ...options };
  const tf = await loadTensorFlow();
  const F = X.length;
  const nAll = X[0]?.length ?? 0;
  const task: MlpTask = target.task === 'regression' ? 'regression' : target.classes <= 2 ? 'binary' : 'multiclass';
  const K = task === 'multiclass' ? (target as { classes: number }).classes : 1;
  const rng = new RandomState(o.seed);

  // Validation rows for early stopping (stratified for classifiers), as scikit-learn splits.
  let trainRows: Int32Array = Int32Array.from({ length: nAll }, (_, i) => i);
  let valRows: Int32Array | null = null;
  if (o.patience > 0 && o.validationFraction > 0 && nAll >= 10) {
    const split = trainValidationSplit(nAll, o.validationFraction, rng.interval(0x7ffffffe), target.task === 'classification' ? target.y : undefined);
    trainRows = split.train;
    valRows = split.test;
  }
  const xStats = X.map((c) => standardize(Float64Array.from(trainRows, (r) => c[r]!)));
  const [yMean, yScale] = target.task === 'regression' ? standardize(Float64Array.from(trainRows, (r) => target.y[r]!)) : [0, 1];
  const design = (rows: Int32Array): Float32Array => {
    const out = new Float32Array(rows.length * F);
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < F; j++) out[i * F + j] = (X[j]![rows[i]!]! - xStats[j]![0]) / xStats[j]![1];
    return out;
  };
  const targets = (rows: Int32Array): Float32Array => {
    if (target.task === 'regression') return Float32Array.from(rows, (r) => (target.y[r]! - yMean) / yScale);
    if (K === 1) return Float32Array.from(rows, (r) => target.y[r]!);
    const out = new Float32Array(rows.length * K);
    rows.forEach((r, i) => (out[i * K + target.y[r]!] = 1));
    return out;
  };

  // Glorot-uniform weights with scikit-learn's bounds: √(6 / (fanIn + fanOut)), √2 times smaller for logistic units.
  const sizes = [F, ...o.hiddenLayers, K];
  const init = sizes.slice(1).map((fanOut, l) => {
    const fanIn = sizes[l]!;
    const factor = o.activation === 'logistic' ? 2 : 6;
    const bound = Math.sqrt(factor / (fanIn + fanOut));
    const w = Float32Array.from({ length: fanIn * fanOut }, () => -bound + 2 * bound * rng.random());
    const b = Float32Array.from({ length: fanOut }, () => -bound + 2 * bound * rng.random());
    return { w, b, fanIn, fanOut };
  });

  const n = trainRows.length;
  const batch = Math.max(1, Math.min(o.batchSize, n));
  const Xtr = tf.tensor2d(design(trainRows), [n, F]);
  const Ytr = tf.tensor2d(targets(trainRows), [n, K]);
  const Xval = valRows ? tf.tensor2d(design(valRows), [valRows.length, F]) : null;
  const Yval = valRows ? tf.tensor2d(targets(valRows), [valRows.length, K]) : null;
  const weights = init.map((l, i) => tf.variable(tf.tensor2d(l.w, [l.fanIn, l.fanOut]), true, `w${i}`));
  const biases = init.map((l, i) => tf.variable(tf.tensor1d(l.b), true, `b${i}`));
  const optimizer = tf.train.adam(o.learningRate, 0.9, 0.999, 1e-8);
  const act = (t: TF_Tensor): TF_Tensor =>
    o.activation === 'relu' ? tf.relu(t) : o.activation === 'tanh' ? tf.tanh(t) : o.activation === 'logistic' ? tf.sigmoid(t) : t;
  const forward = (x: TF_Tensor): TF_Tensor => {
    let h = x;
    weights.forEach((w, l) => {
      const z = tf.add(tf.matMul(h, w), biases[l]!);
      h = l < weights.length - 1 ? act(z) : z;
    });
    return h;
  };
  const dataLoss = (out: TF_Tensor, y: TF_Tensor): TF_Scalar => {
    if (task === 'regression') return tf.div(tf.mean(tf.square(tf.sub(out, y))), 2) as TF_Scalar;
    if (task === 'binary') return tf.losses.sigmoidCrossEntropy(y, out) as TF_Scalar;
    return tf.losses.softmaxCrossEntropy(y, out) as TF_Scalar;
  };

  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = { loss: Infinity, epoch: 0, weights: snapshot(weights, biases) };
  let sinceBest = 0;
  let epoch = 0;
  let final: { w: number[]; b: number[] }[];
  try {
    for (; epoch < o.epochs; epoch++) {
      if (control.signal?.aborted) throw abortError();
      const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
      let total = 0;
      for (let start = 0; start < n; start += batch) {
        const idx = tf.tensor1d(order.subarray(start, Math.min(n, start + batch)), 'int32');
        const size = Math.min(n, start + batch) - start;
        const cost = optimizer.minimize(() =>
          tf.tidy(() => {
            const xb = tf.gather(Xtr, idx);
            const yb = tf.gather(Ytr, idx);
            let loss = dataLoss(forward(xb), yb);
            if (o.alpha > 0) {
              const l2 = weights.reduce<TF_Scalar>((s, w) => tf.add(s, tf.sum(tf.square(w))) as TF_Scalar, tf.scalar(0));
              loss = tf.add(loss, tf.mul(l2, o.alpha / (2 * size))) as TF_Scalar;
            }
            return loss;
          }),
        true,
        [...weights, ...biases],
        )!;
        total += (await cost.data())[0]! * size;
        cost.dispose();
        idx.dispose();
      }
      trainLoss.push(total / n);
      let monitored = total / n;
      if (Xval && Yval) {
        const v = tf.tidy(() => dataLoss(forward(Xval), Yval));
        monitored = (await v.data())[0]!;
        v.dispose();
        validationLoss.push(monitored);
      }
      control.progress?.(epoch + 1, o.epochs, `epoch ${epoch + 1}: ${Xval ? 'validation' : 'training'} loss ${monitored.toPrecision(5)}`);
      if (monitored < best.loss) {
        best = { loss: monitored, epoch: epoch + 1, weights: snapshot(weights, biases) };
        sinceBest = 0;
      } else if (o.patience > 0 && ++sinceBest >= o.patience) {
        epoch++;
        break;
      }
      // Let a cancel (and progress messages) through between epochs.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (control.signal?.aborted) throw abortError();
    // Early stopping keeps the best epoch's weights; without it, the last epoch's.
    final = o.patience > 0 ? best.weights : snapshot(weights, biases);
  } finally {
    for (const t of [Xtr, Ytr, Xval, Yval, ...weights, ...biases]) t?.dispose();
    optimizer.dispose();
  }
  return {
    task,
    activation: o.activation,
    layers: init.map((l, i) => ({ weights: final[i]!.w, biases: final[i]!.b, fanIn: l.fanIn, fanOut: l.fanOut })),
    xMean: xStats.map((s) => s[0]),
    xScale: xStats.map((s) => s[1]),
    yMean,
    yScale,
    epochs: epoch,
    bestEpoch: o.patience > 0 ? best.epoch : epoch,
    trainLoss,
    validationLoss,
    backend: tf.getBackend(),
  };

  function snapshot(ws: TF_Variable[], bs: TF_Variable[]): { w: number[]; b: number[] }[] {
    return ws.map((w, i) => ({ w: Array.from(w.dataSync()), b: Array.from(bs[i]!.dataSync()) }));
  }
}

type TF_Tensor = ReturnType<Tf['tensor']>;
type TF_Scalar = ReturnType<Tf['scalar']>;
type TF_Variable = ReturnType<Tf['variable']>;

function activate(a: Activation, z: number): number {
  if (a === 'relu') return z > 0 ? z : 0;
  if (a === 'tanh') return Math.tanh(z);
  if (a === 'logistic') return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  return z;
}

/** The network's outputs per row (standardized inputs, the fitted weights), computed in float64. */
function outputs(state: MlpState, X: Float64Array[]): Float64Array[] {
  const n = X[0]?.length ?? 0;
  let h: Float64Array[] = X.map((col, j) => col.map((v) => (v - state.xMean[j]!) / state.xScale[j]!));
  state.layers.forEach((layer, l) => {
    const out = Array.from({ length: layer.fanOut }, (_, k) => new Float64Array(n).fill(layer.biases[k]!));
    for (let j = 0; j < layer.fanIn; j++) {
      const x = h[j]!;
      for (let k = 0; k < layer.fanOut; k++) {
        const w = layer.weights[j * layer.fanOut + k]!;
        if (w === 0) continue;
        const o = out[k]!;
        for (let i = 0; i < n; i++) o[i] = o[i]! + w * x[i]!;
      }
    }
    if (l < state.layers.length - 1) for (const o of out) for (let i = 0; i < n; i++) o[i] = activate(state.activation, o[i]!);
    h = out;
  });
  return h;
}

/** Predictions: values (regression) or class probabilities per class (column k for class k). */
export function mlpPredict(state: MlpState, X: Float64Array[]): { value: Float64Array } | { proba: Float64Array[] } {
  const out = outputs(state, X);
  if (state.task === 'regression') return { value: out[0]!.map((v) => v * state.yScale + state.yMean) };
  if (state.task === 'binary') {
    const p1 = out[0]!.map((z) => activate('logistic', z));
    return { proba: [p1.map((p) => 1 - p), p1] };
  }
  const n = out[0]!.length;
  const K = out.length;
  const proba = out.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, out[k]![i]!);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(out[k]![i]! - m);
    for (let k = 0; k < K; k++) proba[k]![i] = Math.exp(out[k]![i]! - m) / s;
  }
  return { proba };
}
