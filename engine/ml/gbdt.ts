/**
 * Histogram gradient boosting as scikit-learn 1.2's HistGradientBoostingRegressor/Classifier
 * computes it: features binned by quantiles (midpoints of up to 255 percentiles), trees grown
 * leaf-wise (the split with the largest gain first, XGBoost's gain formula with scikit-learn's
 * `value = −G / (H + λ + 1e-15)`), histograms of the larger child by subtraction, leaves shrunk
 * by the learning rate, the baseline the loss's optimal constant, early stopping on a held-out
 * validation fraction (scikit-learn's seeded split, stratified for classifiers). Gradients and
 * hessians are float32 and histograms float64, as there. With the same seed the validation split
 * (and the binning subsample above 200,000 rows) is the one scikit-learn draws with
 * `random_state=seed`, so the models agree up to floating-point summation order.
 */
import { abortError } from '../errors.ts';
import type { FitControl } from './control.ts';
import { RandomState } from './random.ts';

export type GbdtTask = 'regression' | 'binary' | 'multiclass';

export interface GbdtOptions {
  learningRate: number;
  maxIter: number;
  /** Leaves per tree; null for no limit. */
  maxLeafNodes: number | null;
  /** Depth limit (edges from the root); null for none. */
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2Regularization: number;
  maxBins: number;
  /** 'auto': on when there are more than 10,000 rows (scikit-learn's default). */
  earlyStopping: 'auto' | 'on' | 'off';
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  seed: number;
}

export const gbdtDefaults: GbdtOptions = {
  learningRate: 0.1,
  maxIter: 100,
  maxLeafNodes: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  l2Regularization: 0,
  maxBins: 255,
  earlyStopping: 'auto',
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 1e-7,
  seed: 42,
};

/**
 * One tree in pre-order (as scikit-learn's predictor arrays): node i splits on `feature[i]` at
 * `threshold[i]` (rows with x ≤ threshold go left) or is a leaf (`feature[i]` = −1) worth `value[i]`.
 * `missingLeft[i]`: where NaN goes (the larger child, since training data has no missing values).
 */
export interface GbdtTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  missingLeft: number[];
}

export interface GbdtFit {
  task: GbdtTask;
  /** Raw-score baseline per tree of an iteration (one for regression and binary, K for multiclass). */
  baseline: number[];
  /** trees[iteration][k]. */
  trees: GbdtTree[][];
  /** Iterations fitted (fewer than maxIter when early stopping stopped them). */
  nIter: number;
  /** Loss on the validation rows (negated, as scikit-learn's `validation_score_`), baseline first; empty without early stopping. */
  validationScore: number[];
  /** Rows trained on and held out for early stopping. */
  trainRows: number;
  validationRows: number;
}

/** The targets a fit takes: numbers (regression), or class indices 0..K−1 with K classes. */
export type GbdtTarget = { task: 'regression'; y: Float64Array } | { task: 'classification'; y: Int32Array; classes: number };

const ALMOST_INF = 1e300;
const MIN_HESSIAN_TO_SPLIT = 1e-3;
/** scikit-learn's `_BinMapper.subsample`: thresholds are found on at most this many rows. */
const BIN_SUBSAMPLE = 200_000;

// ---- binning ----------------------------------------------------------------------------------

/**
 * `_find_binning_thresholds`: the midpoints between distinct values when there are at most
 * `maxBins` of them, else numpy's `percentile(..., method="midpoint")` at linspace(0, 100, maxBins + 1)[1:-1].
 */
export function binThresholds(values: Float64Array, maxBins: number): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  let mids: Float64Array;
  if (distinct <= maxBins) {
    const d = new Float64Array(distinct);
    let k = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) d[k++] = sorted[i]!;
    mids = new Float64Array(Math.max(0, distinct - 1));
    for (let i = 0; i + 1 < distinct; i++) mids[i] = (d[i]! + d[i + 1]!) * 0.5;
  } else {
    mids = new Float64Array(maxBins - 1);
    const step = 100 / maxBins;
    for (let i = 1; i < maxBins; i++) {
      const q = (i * step) / 100;
      const v = q * (n - 1);
      const lo = Math.floor(v);
      const hi = Math.ceil(v);
      const index = 0.5 * (lo + hi);
      const prev = Math.floor(index);
      if (index % 1 === 0 || prev >= n - 1) {
        mids[i - 1] = sorted[Math.min(prev, n - 1)]!;
      } else {
        const a = sorted[prev]!;
        const b = sorted[prev + 1]!;
        mids[i - 1] = b - (b - a) * 0.5;
      }
    }
  }
  for (let i = 0; i < mids.length; i++) if (mids[i]! > ALMOST_INF) mids[i] = ALMOST_INF;
  return mids;
}

/** The bin of each value: the number of thresholds below it (`_map_to_bins`); NaN to `missingBin`. */
export function mapToBins(values: Float64Array, thresholds: Float64Array, missingBin: number): Uint8Array {
  const out = new Uint8Array(values.length);
  const m = thresholds.length;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) {
      out[i] = missingBin;
      continue;
    }
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi - 1) >> 1;
      if (x <= thresholds[mid]!) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

// ---- losses -----------------------------------------------------------------------------------

function expit(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** scikit-learn's `log1pexp`: log(1 + e^x) without overflow or loss of precision. */
function log1pexp(x: number): number {
  if (x <= -37) return Math.exp(x);
  if (x <= -2) return Math.log1p(Math.exp(x));
  if (x <= 18) return Math.log(1 + Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x;
}

/** Mean loss of raw scores (n × K, column k at k·n): half squared error, half binomial or multinomial. */
function meanLoss(task: GbdtTask, y: Float64Array, raw: Float64Array, n: number, K: number): number {
  let s = 0;
  if (task === 'regression') {
    for (let i = 0; i < n; i++) {
      const d = y[i]! - raw[i]!;
      s += 0.5 * d * d;
    }
  } else if (task === 'binary') {
    for (let i = 0; i < n; i++) s += log1pexp(raw[i]!) - y[i]! * raw[i]!;
  } else {
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, raw[k * n + i]!);
      let e = 0;
      for (let k = 0; k < K; k++) e += Math.exp(raw[k * n + i]! - m);
      s += Math.log(e) + m - raw[y[i]! * n + i]!;
    }
  }
  return s / n;
}

/** The loss's best constant (`fit_intercept_only`), per tree of an iteration. */
function baselineOf(task: GbdtTask, y: Float64Array, K: number): number[] {
  const n = y.length;
  if (task === 'regression') {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i]!;
    return [s / n];
  }
  if (task === 'binary') {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i]!;
    const eps = 10 * Number.EPSILON;
    const p = Math.min(Math.max(s / n, eps), 1 - eps);
    return [Math.log(p / (1 - p))];
  }
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) counts[y[i]!]!++;
  const logs = Array.from(counts, (c) => Math.log(Math.min(Math.max(c / n, Number.EPSILON), 1 - Number.EPSILON)));
  const mean = logs.reduce((a, b) => a + b, 0) / K;
  return logs.map((l) => l - mean);
}

// ---- seeded splits (scikit-learn's train_test_split) ------------------------------------------

function permutation(rng: RandomState, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return rng.shuffle(p);
}

/** sklearn.model_selection._split._approximate_mode. */
function approximateMode(counts: number[], draws: number, rng: RandomState): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((c) => (c / total) * draws);
  const floored = continuous.map(Math.floor);
  let need = Math.trunc(draws - floored.reduce((a, b) => a + b, 0));
  if (need > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]!);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(inds.length, need);
      const perm = permutation(rng, inds.length);
      for (let j = 0; j < addNow; j++) floored[inds[perm[j]!]!]!++;
      need -= addNow;
      if (need === 0) break;
    }
  }
  return floored;
}

/**
 * `train_test_split(test_size=fraction, random_state=seed, stratify=classes)`: ShuffleSplit, or
 * StratifiedShuffleSplit when `classes` is given. Returns row indices in scikit-learn's order.
 */
export function trainValidationSplit(n: number, fraction: number, seed: number, classes?: Int32Array): { train: Int32Array; test: Int32Array } {
  const nTest = Math.ceil(fraction * n);
  const nTrain = n - nTest;
  const rng = new RandomState(seed);
  if (!classes) {
    const perm = permutation(rng, n);
    return { train: perm.slice(nTest, nTest + nTrain), test: perm.slice(0, nTest) };
  }
  const K = classes.reduce((m, c) => Math.max(m, c + 1), 0);
  const present: number[] = [];
  const countsAll = new Array<number>(K).fill(0);
  for (const c of classes) countsAll[c]!++;
  for (let k = 0; k < K; k++) if (countsAll[k]! > 0) present.push(k);
  const counts = present.map((k) => countsAll[k]!);
  // Rows of each class in row order (a stable argsort of the class indices).
  const byClass = present.map(() => [] as number[]);
  const slot = new Map(present.map((k, i) => [k, i]));
  for (let i = 0; i < n; i++) byClass[slot.get(classes[i]!)!]!.push(i);
  const nI = approximateMode(counts, nTrain, rng);
  const tI = approximateMode(counts.map((c, i) => c - nI[i]!), nTest, rng);
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < present.length; i++) {
    const perm = permutation(rng, counts[i]!);
    const rows = Array.from(perm, (p) => byClass[i]![p]!);
    train.push(...rows.slice(0, nI[i]!));
    test.push(...rows.slice(nI[i]!, nI[i]! + tI[i]!));
  }
  return { train: rng.shuffle(Int32Array.from(train)), test: rng.shuffle(Int32Array.from(test)) };
}

// ---- tree growing -----------------------------------------------------------------------------

interface SplitInfo {
  gain: number;
  feature: number;
  bin: number;
  sumGL: number;
  sumHL: number;
  sumGR: number;
  sumHR: number;
  nL: number;
  nR: number;
  valueL: number;
  valueR: number;
}

interface GrowNode {
  depth: number;
  start: number;
  stop: number;
  sumG: number;
  sumH: number;
  value: number;
  hist: Histogram | null;
  split: SplitInfo | null;
  isLeaf: boolean;
  left: GrowNode | null;
  right: GrowNode | null;
  /** Where NaN goes at predict time: to the child with more training rows. */
  missingLeft: boolean;
}

/** Binned training data shared by every tree of a fit. */
interface Binned {
  n: number;
  F: number;
  /** Bins per feature, column-major: cols[f][i]. */
  cols: Uint8Array[];
  /** Row-major copy: rows[i·F + f] (histograms gather a row's bins at once). */
  rows: Uint8Array;
  nBinsNonMissing: Int32Array;
  /** Histogram width per feature (maxBins + 1: the last bin holds missing values). */
  NB: number;
}

function computeNodeValue(g: number, h: number, l2: number): number {
  return -g / (h + l2 + 1e-15);
}

/**
 * A node's histogram: per feature f and bin b, at W·(f·NB + b), the sum of gradients, (when
 * hessians are not constant) the sum of hessians, and the row count: W = 3 numbers per bin, or 2
 * (gradient, count) when counts stand in for constant hessians. Interleaved so that one update
 * touches one cache line.
 */
type Histogram = Float64Array;

/** A pool of histogram buffers reused across nodes and trees. */
class HistogramPool {
  private free: Histogram[] = [];
  constructor(private readonly size: number) {}
  take(): Histogram {
    const h = this.free.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return new Float64Array(this.size);
  }
  give(h: Histogram | null): void {
    if (h) this.free.push(h);
  }
}

interface GrowOptions {
  maxLeafNodes: number | null;
  maxDepth: number | null;
  minSamplesLeaf: number;
  l2: number;
  shrinkage: number;
}

/**
 * One tree (scikit-learn's TreeGrower): grows leaf-wise from a heap of splittable nodes ordered
 * by gain (Python's heapq, so ties pop in the same order), then shrinks the leaf values.
 * `partition` holds row indices and is rearranged so that each leaf's rows are contiguous.
 */
class Grower {
  readonly leaves: GrowNode[] = [];
  readonly root: GrowNode;
  private heap: GrowNode[] = [];
  private readonly scratch: Uint32Array;

  constructor(
    private readonly data: Binned,
    private readonly g: Float32Array,
    /** Null when hessians are constant (squared error): counts stand in for them. */
    private readonly h: Float32Array | null,
    private readonly partition: Uint32Array,
    private readonly o: GrowOptions,
    private readonly pool: HistogramPool,
    /** Room for a node's right-hand rows while partitioning. */
    scratch: Uint32Array,
  ) {
    this.scratch = scratch;
    const n = data.n;
    for (let i = 0; i < n; i++) partition[i] = i;
    let sumG = 0;
    for (let i = 0; i < n; i++) sumG += g[i]!;
    let sumH: number;
    if (h) {
      sumH = 0;
      for (let i = 0; i < n; i++) sumH += h[i]!;
    } else sumH = n;
    this.root = this.node(0, 0, n, sumG, sumH, 0);
  }

  private node(depth: number, start: number, stop: number, sumG: number, sumH: number, value: number): GrowNode {
    return { depth, start, stop, sumG, sumH, value, hist: null, split: null, isLeaf: false, left: null, right: null, missingLeft: false };
  }

  grow(): void {
    const root = this.root;
    if (root.stop - root.start < 2 * this.o.minSamplesLeaf || root.sumH < MIN_HESSIAN_TO_SPLIT) {
      this.finalize(root);
    } else {
      root.hist = this.rootHistogram();
      this.splitAndPush(root);
    }
    while (this.heap.length) this.splitNext();
    for (const leaf of this.leaves) leaf.value *= this.o.shrinkage;
  }

  private finalize(node: GrowNode): void {
    node.isLeaf = true;
    this.leaves.push(node);
  }

  // Python's heapq with `a < b` meaning a.gain > b.gain.
  private less(a: GrowNode, b: GrowNode): boolean {
    return a.split!.gain > b.split!.gain;
  }

  private siftDown(start: number, pos: number): void {
    const heap = this.heap;
    const item = heap[pos]!;
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parent = heap[parentPos]!;
      if (this.less(item, parent)) {
        heap[pos] = parent;
        pos = parentPos;
        continue;
      }
      break;
    }
    heap[pos] = item;
  }

  private siftUp(pos: number): void {
    const heap = this.heap;
    const end = heap.length;
    const start = pos;
    const item = heap[pos]!;
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !this.less(heap[child]!, heap[right]!)) child = right;
      heap[pos] = heap[child]!;
      pos = child;
      child = 2 * pos + 1;
    }
    heap[pos] = item;
    this.siftDown(start, pos);
  }

  private push(node: GrowNode): void {
    this.heap.push(node);
    this.siftDown(0, this.heap.length - 1);
  }

  private pop(): GrowNode {
    const last = this.heap.pop()!;
    if (this.heap.length) {
      const top = this.heap[0]!;
      this.heap[0] = last;
      this.siftUp(0);
      return top;
    }
    return last;
  }

  private splitAndPush(node: GrowNode): void {
    node.split = this.findSplit(node);
    if (node.split.gain <= 0) this.finalize(node);
    else this.push(node);
  }

  private splitNext(): void {
    const node = this.pop();
    const s = node.split!;
    const rightPos = this.splitRows(node, s.feature, s.bin);
    const depth = node.depth + 1;
    const leafCount = this.leaves.length + this.heap.length + 2;
    const left = this.node(depth, node.start, node.start + rightPos, s.sumGL, s.sumHL, s.valueL);
    const right = this.node(depth, node.start + rightPos, node.stop, s.sumGR, s.sumHR, s.valueR);
    node.left = left;
    node.right = right;
    // No missing values at fit time: at predict time they go to the child with more rows.
    node.missingLeft = left.stop - left.start > right.stop - right.start;
    const o = this.o;
    if (o.maxLeafNodes !== null && leafCount === o.maxLeafNodes) {
      this.finalize(left);
      this.finalize(right);
      while (this.heap.length) {
        const rest = this.heap.pop()!;
        this.pool.give(rest.hist);
        rest.hist = null;
        this.finalize(rest);
      }
      this.pool.give(node.hist);
      node.hist = null;
      return;
    }
    if (o.maxDepth !== null && depth === o.maxDepth) {
      this.finalize(left);
      this.finalize(right);
      this.pool.give(node.hist);
      node.hist = null;
      return;
    }
    if (left.stop - left.start < o.minSamplesLeaf * 2) this.finalize(left);
    if (right.stop - right.start < o.minSamplesLeaf * 2) this.finalize(right);
    if (!left.isLeaf || !right.isLeaf) {
      const [small, large] = left.stop - left.start < right.stop - right.start ? [left, right] : [right, left];
      small.hist = this.nodeHistogram(small);
      // The larger child's histogram by subtraction (the parent's buffer is reused in place).
      const parent = node.hist!;
      const sh = small.hist;
      for (let i = 0; i < parent.length; i++) parent[i] = parent[i]! - sh[i]!;
      large.hist = parent;
      node.hist = null;
      if (!left.isLeaf) this.splitAndPush(left);
      if (!right.isLeaf) this.splitAndPush(right);
      for (const child of [left, right]) {
        if (child.isLeaf) {
          this.pool.give(child.hist);
          child.hist = null;
        }
      }
    } else {
      this.pool.give(node.hist);
      node.hist = null;
    }
  }

  /** Stable partition of the node's rows: bin ≤ `bin` first. Returns the left child's size. */
  private splitRows(node: GrowNode, feature: number, bin: number): number {
    const col = this.data.cols[feature]!;
    const part = this.partition;
    const scratch = this.scratch;
    let l = node.start;
    let r = 0;
    for (let i = node.start; i < node.stop; i++) {
      const row = part[i]!;
      if (col[row]! <= bin) part[l++] = row;
      else scratch[r++] = row;
    }
    for (let j = 0; j < r; j++) part[l + j] = scratch[j]!;
    return l - node.start;
  }

  private rootHistogram(): Histogram {
    const hist = this.pool.take();
    for (let i = 0; i < this.data.n; i++) this.addRow(hist, i);
    return hist;
  }

  /** A child's histogram from its rows (the larger child's comes by subtraction instead). */
  private nodeHistogram(node: GrowNode): Histogram {
    const hist = this.pool.take();
    const part = this.partition;
    for (let i = node.start; i < node.stop; i++) this.addRow(hist, part[i]!);
    return hist;
  }

  /**
   * Adds one row to every feature's histogram. The row's bins are contiguous (row-major copy of
   * the binned data); four features at a time, their slots computed before any is updated.
   */
  private addRow(hist: Histogram, row: number): void {
    const { F, rows, NB } = this.data;
    const gi = this.g[row]!;
    let off = row * F;
    const end = off + F;
    if (this.h) {
      const hi = this.h[row]!;
      const S = NB * 3;
      let base = 0;
      for (; off + 4 <= end; off += 4, base += 4 * S) {
        const b0 = base + rows[off]! * 3;
        const b1 = base + S + rows[off + 1]! * 3;
        const b2 = base + 2 * S + rows[off + 2]! * 3;
        const b3 = base + 3 * S + rows[off + 3]! * 3;
        hist[b0] = hist[b0]! + gi;
        hist[b0 + 1] = hist[b0 + 1]! + hi;
        hist[b0 + 2] = hist[b0 + 2]! + 1;
        hist[b1] = hist[b1]! + gi;
        hist[b1 + 1] = hist[b1 + 1]! + hi;
        hist[b1 + 2] = hist[b1 + 2]! + 1;
        hist[b2] = hist[b2]! + gi;
        hist[b2 + 1] = hist[b2 + 1]! + hi;
        hist[b2 + 2] = hist[b2 + 2]! + 1;
        hist[b3] = hist[b3]! + gi;
        hist[b3 + 1] = hist[b3 + 1]! + hi;
        hist[b3 + 2] = hist[b3 + 2]! + 1;
      }
      for (; off < end; off++, base += S) {
        const b = base + rows[off]! * 3;
        hist[b] = hist[b]! + gi;
        hist[b + 1] = hist[b + 1]! + hi;
        hist[b + 2] = hist[b + 2]! + 1;
      }
    } else {
      const S = NB * 2;
      let base = 0;
      for (; off + 4 <= end; off += 4, base += 4 * S) {
        const b0 = base + rows[off]! * 2;
        const b1 = base + S + rows[off + 1]! * 2;
        const b2 = base + 2 * S + rows[off + 2]! * 2;
        const b3 = base + 3 * S + rows[off + 3]! * 2;
        hist[b0] = hist[b0]! + gi;
        hist[b0 + 1] = hist[b0 + 1]! + 1;
        hist[b1] = hist[b1]! + gi;
        hist[b1 + 1] = hist[b1 + 1]! + 1;
        hist[b2] = hist[b2]! + gi;
        hist[b2 + 1] = hist[b2 + 1]! + 1;
        hist[b3] = hist[b3]! + gi;
        hist[b3 + 1] = hist[b3 + 1]! + 1;
      }
      for (; off < end; off++, base += S) {
        const b = base + rows[off]! * 2;
        hist[b] = hist[b]! + gi;
        hist[b + 1] = hist[b + 1]! + 1;
      }
    }
  }

  /** The best split of the node over all features (`find_node_split`, left to right, no missing values). */
  private findSplit(node: GrowNode): SplitInfo {
    const { F, NB, nBinsNonMissing } = this.data;
    const constantHessians = this.h === null;
    const hist = node.hist!;
    const W = constantHessians ? 2 : 3;
    const n = node.stop - node.start;
    const { minSamplesLeaf, l2 } = this.o;
    const sumG = node.sumG;
    const sumH = node.sumH;
    const lossCurrent = sumG * node.value;
    const best: SplitInfo = { gain: -1, feature: 0, bin: 0, sumGL: 0, sumHL: 0, sumGR: 0, sumHR: 0, nL: 0, nR: 0, valueL: 0, valueR: 0 };
    for (let f = 0; f < F; f++) {
      const end = nBinsNonMissing[f]! - 1;
      const base = f * NB * W;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      let bestGain = -1;
      let bestBin = -1;
      let bestGL = 0;
      let bestHL = 0;
      let bestNL = 0;
      for (let b = 0; b < end; b++) {
        const k = base + b * W;
        const c = hist[k + W - 1]!;
        nl += c;
        const nr = n - nl;
        hl += constantHessians ? c : hist[k + 1]!;
        const hr = sumH - hl;
        gl += hist[k]!;
        const gr = sumG - gl;
        if (nl < minSamplesLeaf) continue;
        if (nr < minSamplesLeaf) break;
        if (hl < MIN_HESSIAN_TO_SPLIT) continue;
        if (hr < MIN_HESSIAN_TO_SPLIT) break;
        const vl = -gl / (hl + l2 + 1e-15);
        const vr = -gr / (hr + l2 + 1e-15);
        const gain = lossCurrent - gl * vl - gr * vr;
        if (gain > bestGain && gain > 0) {
          bestGain = gain;
          bestBin = b;
          bestGL = gl;
          bestHL = hl;
          bestNL = nl;
        }
      }
      // Features compare by gain; the first wins ties (`_find_best_feature_to_split_helper`).
      if (bestBin >= 0 && bestGain > best.gain) {
        best.gain = bestGain;
        best.feature = f;
        best.bin = bestBin;
        best.sumGL = bestGL;
        best.sumHL = bestHL;
        best.sumGR = sumG - bestGL;
        best.sumHR = sumH - bestHL;
        best.nL = bestNL;
        best.nR = n - bestNL;
      }
    }
    if (best.gain > 0) {
      best.valueL = computeNodeValue(best.sumGL, best.sumHL, l2);
      best.valueR = computeNodeValue(best.sumGR, best.sumHR, l2);
    }
    return best;
  }

  /** The tree in pre-order with numeric thresholds, and each node's bin threshold (for binned rows). */
  toTree(thresholds: Float64Array[]): { tree: GbdtTree; bins: number[] } {
    const tree: GbdtTree = { feature: [], threshold: [], left: [], right: [], value: [], missingLeft: [] };
    const bins: number[] = [];
    const visit = (node: GrowNode): number => {
      const id = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(node.value);
      tree.missingLeft.push(0);
      bins.push(0);
      if (!node.isLeaf && node.left && node.right) {
        const s = node.split!;
        tree.feature[id] = s.feature;
        tree.threshold[id] = thresholds[s.feature]![s.bin]!;
        tree.missingLeft[id] = node.missingLeft ? 1 : 0;
        bins[id] = s.bin;
        tree.left[id] = visit(node.left);
        tree.right[id] = visit(node.right);
      }
      return id;
    };
    visit(this.root);
    return { tree, bins };
  }
}

// ---- boosting ---------------------------------------------------------------------------------

/** `values[rows[i]]` for each i (typed-array `from` with a mapping function is slow on big arrays). */
function take(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

function binnedData(X: Float64Array[], rows: Int32Array | null, thresholds: Float64Array[], NB: number): Binned {
  const F = X.length;
  const n = rows ? rows.length : (X[0]?.length ?? 0);
  const cols = X.map((col, f) => mapToBins(rows ? take(col, rows) : col, thresholds[f]!, NB - 1));
  const rowMajor = new Uint8Array(n * F);
  for (let f = 0; f < F; f++) {
    const c = cols[f]!;
    for (let i = 0, k = f; i < n; i++, k += F) rowMajor[k] = c[i]!;
  }
  return { n, F, cols, rows: rowMajor, nBinsNonMissing: Int32Array.from(thresholds, (t) => t.length + 1), NB };
}

/** Adds a tree's predictions on binned rows (bin thresholds: rows with bin ≤ it go left). */
function addBinned(tree: GbdtTree, bins: number[], data: Binned, out: Float64Array, offset: number): void {
  const { n, F, rows } = data;
  const { feature, left, right, value } = tree;
  for (let i = 0; i < n; i++) {
    let node = 0;
    const off = i * F;
    while (feature[node]! >= 0) node = rows[off + feature[node]!]! <= bins[node]! ? left[node]! : right[node]!;
    out[offset + i] = out[offset + i]! + value[node]!;
  }
}

/**
 * Fits the boosted trees. `X` is column-major; the target numbers (regression) or class indices.
 * Reports progress after each boosting round and stops (AbortError) when the signal is aborted.
 */
export async function fitGbdt(X: Float64Array[], target: GbdtTarget, options: Partial<GbdtOptions> = {}, control: FitControl = {}): Promise<GbdtFit> {
  const o = { ...gbdtDefaults, ...options };
  const nAll = X[0]?.length ?? 0;
  const F = X.length;
  const task: GbdtTask = target.task === 'regression' ? 'regression' : target.classes <= 2 ? 'binary' : 'multiclass';
  const K = task === 'multiclass' ? (target as { classes: number }).classes : 1;
  const yAll = target.task === 'regression' ? target.y : Float64Array.from(target.y);

  // The seed scikit-learn draws from random_state for the validation split and the binning subsample.
  const derivedSeed = new RandomState(o.seed).interval(0xfffffffe);
  const early = o.earlyStopping === 'on' || (o.earlyStopping === 'auto' && nAll > 10_000);
  let trainRows: Int32Array | null = null;
  let valRows: Int32Array | null = null;
  if (early && o.validationFraction > 0) {
    const split = trainValidationSplit(nAll, o.validationFraction, derivedSeed, target.task === 'classification' ? target.y : undefined);
    trainRows = split.train;
    valRows = split.test;
  }
  const y = trainRows ? take(yAll, trainRows) : yAll;
  const n = y.length;

  // Thresholds from the training rows (at most 200,000 of them, drawn as scikit-learn draws them).
  let sampleRows: Int32Array | null = null;
  if (n > BIN_SUBSAMPLE) sampleRows = permutation(new RandomState(derivedSeed), n).slice(0, BIN_SUBSAMPLE);
  const thresholds = X.map((col) => {
    const train = trainRows ? take(col, trainRows) : col;
    return binThresholds(sampleRows ? take(train, sampleRows) : train, o.maxBins);
  });
  const NB = o.maxBins + 1;
  const data = binnedData(X, trainRows, thresholds, NB);
  const val = valRows ? binnedData(X, valRows, thresholds, NB) : null;
  const yVal = valRows ? take(yAll, valRows) : null;

  const baseline = baselineOf(task, y, K);
  const raw = new Float64Array(n * K);
  for (let k = 0; k < K; k++) raw.fill(baseline[k]!, k * n, (k + 1) * n);
  const rawVal = val ? new Float64Array(val.n * K) : null;
  if (rawVal) for (let k = 0; k < K; k++) rawVal.fill(baseline[k]!, k * val!.n, (k + 1) * val!.n);

  const g = new Float32Array(n * K);
  const h = task === 'regression' ? null : new Float32Array(n * K);
  const pool = new HistogramPool(F * NB * (h ? 3 : 2));
  const scratch = new Uint32Array(n);
  const partition = new Uint32Array(n);
  const trees: GbdtTree[][] = [];
  const validationScore: number[] = [];
  const earlyStop = early && val !== null;
  if (earlyStop) validationScore.push(-meanLoss(task, yVal!, rawVal!, val!.n, K));

  let lastYield = Date.now();
  for (let iter = 0; iter < o.maxIter; iter++) {
    if (control.signal?.aborted) throw abortError();
    // Gradients and hessians of the loss at the current raw scores (float32, as scikit-learn keeps them).
    if (task === 'regression') {
      for (let i = 0; i < n; i++) g[i] = raw[i]! - y[i]!;
    } else if (task === 'binary') {
      for (let i = 0; i < n; i++) {
        const p = expit(raw[i]!);
        g[i] = p - y[i]!;
        h![i] = p * (1 - p);
      }
    } else {
      const p = new Float64Array(K);
      for (let i = 0; i < n; i++) {
        let m = -Infinity;
        for (let k = 0; k < K; k++) m = Math.max(m, raw[k * n + i]!);
        let s = 0;
        for (let k = 0; k < K; k++) {
          p[k] = Math.exp(raw[k * n + i]! - m);
          s += p[k]!;
        }
        for (let k = 0; k < K; k++) {
          const pk = p[k]! / s;
          g[k * n + i] = pk - (y[i] === k ? 1 : 0);
          h![k * n + i] = pk * (1 - pk);
        }
      }
    }
    const round: GbdtTree[] = [];
    for (let k = 0; k < K; k++) {
      const grower = new Grower(data, g.subarray(k * n, (k + 1) * n), h ? h.subarray(k * n, (k + 1) * n) : null, partition, {
        maxLeafNodes: o.maxLeafNodes,
        maxDepth: o.maxDepth,
        minSamplesLeaf: o.minSamplesLeaf,
        l2: o.l2Regularization,
        shrinkage: o.learningRate,
      }, pool, scratch);
      grower.grow();
      for (const leaf of grower.leaves) {
        const v = leaf.value;
        for (let i = leaf.start; i < leaf.stop; i++) {
          const at = k * n + partition[i]!;
          raw[at] = raw[at]! + v;
        }
        pool.give(leaf.hist);
        leaf.hist = null;
      }
      const { tree, bins } = grower.toTree(thresholds);
      round.push(tree);
      if (rawVal) addBinned(tree, bins, val!, rawVal, k * val!.n);
    }
    trees.push(round);
    let stop = false;
    if (earlyStop) {
      validationScore.push(-meanLoss(task, yVal!, rawVal!, val!.n, K));
      stop = shouldStop(validationScore, o.nIterNoChange, o.tol);
    }
    control.progress?.(iter + 1, o.maxIter, `boosting round ${iter + 1}${earlyStop ? `: validation loss ${(-validationScore.at(-1)!).toPrecision(6)}` : ''}`);
    if (stop) break;
    if (Date.now() - lastYield >= 50) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = Date.now();
    }
  }
  if (control.signal?.aborted) throw abortError();
  return { task, baseline, trees, nIter: trees.length, validationScore, trainRows: n, validationRows: val?.n ?? 0 };
}

/** `_should_stop`: no score in the last `nIterNoChange` beats the one before them by more than `tol`. */
function shouldStop(scores: number[], nIterNoChange: number, tol: number): boolean {
  const ref = nIterNoChange + 1;
  if (scores.length < ref) return false;
  const reference = scores[scores.length - ref]! + tol;
  for (let i = scores.length - ref + 1; i < scores.length; i++) if (scores[i]! > reference) return false;
  return true;
}

// ---- prediction -------------------------------------------------------------------------------

/** Raw scores (n × K, column k at k·n) of rows (column-major X): the baseline plus every tree's leaf. */
export function gbdtRaw(fit: Pick<GbdtFit, 'baseline' | 'trees'>, X: Float64Array[]): Float64Array {
  const n = X[0]?.length ?? 0;
  const K = fit.baseline.length;
  const raw = new Float64Array(n * K);
  for (let k = 0; k < K; k++) raw.fill(fit.baseline[k]!, k * n, (k + 1) * n);
  for (const round of fit.trees) {
    for (let k = 0; k < K; k++) {
      const { feature, threshold, left, right, value, missingLeft } = round[k]!;
      const off = k * n;
      for (let i = 0; i < n; i++) {
        let node = 0;
        while (feature[node]! >= 0) {
          const x = X[feature[node]!]![i]!;
          node = x !== x ? (missingLeft[node] ? left[node]! : right[node]!) : x <= threshold[node]! ? left[node]! : right[node]!;
        }
        raw[off + i] = raw[off + i]! + value[node]!;
      }
    }
  }
  return raw;
}

/** Predictions: values (regression) or class probabilities per class (column k for class k). */
export function gbdtPredict(fit: Pick<GbdtFit, 'task' | 'baseline' | 'trees'>, X: Float64Array[]): { value: Float64Array } | { proba: Float64Array[] } {
  const n = X[0]?.length ?? 0;
  const raw = gbdtRaw(fit, X);
  if (fit.task === 'regression') return { value: raw };
  if (fit.task === 'binary') {
    const p1 = raw.map(expit);
    return { proba: [p1.map((p) => 1 - p), p1] };
  }
  const K = fit.baseline.length;
  const proba = Array.from({ length: K }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, raw[k * n + i]!);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(raw[k * n + i]! - m);
    for (let k = 0; k < K; k++) proba[k]![i] = Math.exp(raw[k * n + i]! - m) / s;
  }
  return { proba };
}
