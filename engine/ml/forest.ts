/**
 * Random forests as scikit-learn 1.2's RandomForestRegressor/Classifier build them: each tree a
 * CART tree (best split over a random subset of `maxFeatures` features at each node, squared
 * error or Gini, thresholds halfway between float32 feature values) grown depth-first on a
 * bootstrap sample whose counts weight the rows. The random numbers are scikit-learn's: per-tree
 * seeds drawn from `RandomState(seed)`, the bootstrap rows from `RandomState(treeSeed)`, and the
 * features each node tries from the splitter's xorshift generator, visiting features in the same
 * Fisher–Yates order; samples are sorted by scikit-learn's introsort and the criterion's sums
 * updated in its order. So with the same seed the trees are scikit-learn's trees: the tests find
 * the forests' predictions identical to scikit-learn's.
 */
import { abortError } from '../errors.ts';
import type { FitControl } from './control.ts';
import { RandomState } from './random.ts';

export type MaxFeatures = 'auto' | 'sqrt' | 'log2' | 'all' | 'fraction';

export interface ForestOptions {
  nEstimators: number;
  /** 0 for no limit. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried at each split: auto is all for regression, sqrt for classification (scikit-learn's defaults). */
  maxFeatures: MaxFeatures;
  /** With `maxFeatures: 'fraction'`: this fraction of the features (at least one). */
  maxFeaturesFraction: number;
  bootstrap: boolean;
  seed: number;
}

export const forestDefaults: ForestOptions = {
  nEstimators: 100,
  maxDepth: 0,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 'auto',
  maxFeaturesFraction: 0.5,
  bootstrap: true,
  seed: 42,
};

/**
 * One tree in pre-order: node i splits on `feature[i]` (−1 for a leaf) at `threshold[i]` (rows
 * with x ≤ threshold go left, to node i + 1; the others to `right[i]`). `value` holds, per node,
 * the mean (regression) or the class probabilities (K numbers per node, classification).
 */
export interface ForestTree {
  feature: number[];
  threshold: number[];
  right: number[];
  value: number[];
}

export interface ForestFit {
  task: 'regression' | 'classification';
  /** Classes (classification): the length of each node's value. */
  classes: number;
  trees: ForestTree[];
  /** Features tried at each split. */
  maxFeatures: number;
}

export type ForestTarget = { task: 'regression'; y: Float64Array } | { task: 'classification'; y: Int32Array; classes: number };

const FEATURE_THRESHOLD = 1e-7;
const EPSILON = Number.EPSILON;
const RAND_R_MAX = 0x7fffffff;

/** The splitter's generator (`our_rand_r`): xorshift32. */
class RandR {
  constructor(public state: number) {}
  /** rand_int(low, high): low + next % (high − low). */
  int(low: number, high: number): number {
    let s = this.state >>> 0;
    if (s === 0) s = 1;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.state = s;
    return low + ((s % (RAND_R_MAX + 1)) % (high - low));
  }
}

export function resolveMaxFeatures(o: Pick<ForestOptions, 'maxFeatures' | 'maxFeaturesFraction'>, task: 'regression' | 'classification', F: number): number {
  const mode = o.maxFeatures === 'auto' ? (task === 'regression' ? 'all' : 'sqrt') : o.maxFeatures;
  if (mode === 'all') return F;
  if (mode === 'sqrt') return Math.max(1, Math.trunc(Math.sqrt(F)));
  if (mode === 'log2') return Math.max(1, Math.trunc(Math.log2(F)));
  return Math.max(1, Math.trunc(o.maxFeaturesFraction * F));
}

// ---- scikit-learn's introsort of (Xf, samples) ------------------------------------------------

function swap(Xf: Float32Array, samples: Uint32Array, i: number, j: number): void {
  const x = Xf[i]!;
  Xf[i] = Xf[j]!;
  Xf[j] = x;
  const s = samples[i]!;
  samples[i] = samples[j]!;
  samples[j] = s;
}

function median3(Xf: Float32Array, lo: number, n: number): number {
  const a = Xf[lo]!;
  const b = Xf[lo + Math.trunc(n / 2)]!;
  const c = Xf[lo + n - 1]!;
  if (a < b) {
    if (b < c) return b;
    if (a < c) return c;
    return a;
  }
  if (b < c) return a < c ? a : c;
  return b;
}

function siftDown(Xf: Float32Array, samples: Uint32Array, lo: number, start: number, end: number): void {
  let root = start;
  for (;;) {
    const child = root * 2 + 1;
    let max = root;
    if (child < end && Xf[lo + max]! < Xf[lo + child]!) max = child;
    if (child + 1 < end && Xf[lo + max]! < Xf[lo + child + 1]!) max = child + 1;
    if (max === root) return;
    swap(Xf, samples, lo + root, lo + max);
    root = max;
  }
}

function heapsort(Xf: Float32Array, samples: Uint32Array, lo: number, n: number): void {
  for (let start = Math.trunc((n - 2) / 2); ; start--) {
    siftDown(Xf, samples, lo, start, n);
    if (start === 0) break;
  }
  for (let end = n - 1; end > 0; end--) {
    swap(Xf, samples, lo, lo + end);
    siftDown(Xf, samples, lo, 0, end);
  }
}

/** Introsort with a median-of-three pivot and a three-way partition (`sklearn.tree._splitter.introsort`). */
function introsort(Xf: Float32Array, samples: Uint32Array, lo: number, n: number, maxd: number): void {
  while (n > 1) {
    if (maxd <= 0) {
      heapsort(Xf, samples, lo, n);
      return;
    }
    maxd--;
    const pivot = median3(Xf, lo, n);
    let i = 0;
    let l = 0;
    let r = n;
    while (i < r) {
      const x = Xf[lo + i]!;
      if (x < pivot) {
        swap(Xf, samples, lo + i, lo + l);
        i++;
        l++;
      } else if (x > pivot) {
        r--;
        swap(Xf, samples, lo + i, lo + r);
      } else i++;
    }
    introsort(Xf, samples, lo, l, maxd);
    lo += r;
    n -= r;
  }
}

function sortSamples(Xf: Float32Array, samples: Uint32Array, lo: number, n: number): void {
  if (n === 0) return;
  introsort(Xf, samples, lo, n, 2 * Math.trunc(Math.log(n)));
}

interface BuildOptions {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: number;
}

/**
 * One CART tree (DepthFirstTreeBuilder with BestSplitter): `weights` are the bootstrap counts
 * (rows with weight 0 take no part), `randState` the splitter's xorshift seed.
 */
function buildTree(X: Float32Array[], y: Float64Array, K: number, weights: Float64Array, randState: number, o: BuildOptions): ForestTree {
  const F = X.length;
  const n = X[0]?.length ?? 0;
  const classification = K > 0;
  const V = classification ? K : 1;
  const rng = new RandR(randState);
  const samplesList: number[] = [];
  for (let i = 0; i < n; i++) if (weights[i] !== 0) samplesList.push(i);
  const samples = Uint32Array.from(samplesList);
  const N = samples.length;
  const features = Int32Array.from({ length: F }, (_, i) => i);
  const constantFeatures = new Int32Array(F);
  const Xf = new Float32Array(N);
  const sumTotal = new Float64Array(V);
  const sumLeft = new Float64Array(V);
  const sumRight = new Float64Array(V);
  let wNode = 0;
  /**
   * The criterion's left-hand statistics, updated as scikit-learn updates them: forward from the
   * last position, or back from the end when that is shorter (the rounding of sums is theirs too).
   */
  const criterion = {
    pos: 0,
    wLeft: 0,
    reset(start: number): void {
      sumLeft.fill(0);
      this.wLeft = 0;
      this.pos = start;
    },
    update(newPos: number, end: number): void {
      if (newPos - this.pos <= end - newPos) {
        for (let q = this.pos; q < newPos; q++) {
          const i = samples[q]!;
          const wi = weights[i]!;
          if (classification) sumLeft[y[i]!] = sumLeft[y[i]!]! + wi;
          else sumLeft[0] = sumLeft[0]! + wi * y[i]!;
          this.wLeft += wi;
        }
      } else {
        sumLeft.set(sumTotal);
        this.wLeft = wNode;
        for (let q = end - 1; q >= newPos; q--) {
          const i = samples[q]!;
          const wi = weights[i]!;
          if (classification) sumLeft[y[i]!] = sumLeft[y[i]!]! - wi;
          else sumLeft[0] = sumLeft[0]! - wi * y[i]!;
          this.wLeft -= wi;
        }
      }
      this.pos = newPos;
    },
  };
  const tree: ForestTree = { feature: [], threshold: [], right: [], value: [] };
  const maxDepth = o.maxDepth > 0 ? o.maxDepth : 2147483647;

  /** Node statistics over samples[start, end): weighted sums (or class counts) and their weight. */
  const nodeStats = (start: number, end: number, sums: Float64Array): { w: number; sq: number } => {
    sums.fill(0);
    let w = 0;
    let sq = 0;
    for (let p = start; p < end; p++) {
      const i = samples[p]!;
      const wi = weights[i]!;
      if (classification) sums[y[i]!] = sums[y[i]!]! + wi;
      else {
        const wy = wi * y[i]!;
        sums[0] = sums[0]! + wy;
        sq += wy * y[i]!;
      }
      w += wi;
    }
    return { w, sq };
  };
  const impurityOf = (sums: Float64Array, w: number, sq: number): number => {
    if (classification) {
      let s = 0;
      for (let k = 0; k < K; k++) s += sums[k]! * sums[k]!;
      return 1 - s / (w * w);
    }
    return sq / w - (sums[0]! / w) ** 2;
  };

  const stack: { start: number; end: number; depth: number; parent: number; isRight: boolean; impurity: number; nConstant: number }[] = [
    { start: 0, end: N, depth: 0, parent: -1, isRight: false, impurity: Infinity, nConstant: 0 },
  ];
  let first = true;
  while (stack.length) {
    const rec = stack.pop()!;
    const { start, end, depth } = rec;
    const nNode = end - start;
    const stats = nodeStats(start, end, sumTotal);
    wNode = stats.w;
    const sq = stats.sq;
    let impurity = rec.impurity;
    if (first) {
      impurity = impurityOf(sumTotal, wNode, sq);
      first = false;
    }
    let isLeaf = depth >= maxDepth || nNode < o.minSamplesSplit || nNode < 2 * o.minSamplesLeaf;
    isLeaf = isLeaf || impurity <= EPSILON;
    let split: { feature: number; threshold: number; pos: number; impurityLeft: number; impurityRight: number } | null = null;
    let nConstant = rec.nConstant;
    if (!isLeaf) {
      // ---- BestSplitter.node_split --------------------------------------------------------
      let fI = F;
      let nVisited = 0;
      let nFound = 0;
      let nDrawn = 0;
      const nKnown = nConstant;
      let nTotal = nKnown;
      let bestProxy = -Infinity;
      let bestPos = end;
      let bestFeature = -1;
      let bestThreshold = 0;
      while (fI > nTotal && (nVisited < o.maxFeatures || nVisited <= nFound + nDrawn)) {
        nVisited++;
        let fJ = rng.int(nDrawn, fI - nFound);
        if (fJ < nKnown) {
          const t = features[nDrawn]!;
          features[nDrawn] = features[fJ]!;
          features[fJ] = t;
          nDrawn++;
          continue;
        }
        fJ += nFound;
        const f = features[fJ]!;
        // Sort the node's samples by the feature.
        const col = X[f]!;
        for (let p = start; p < end; p++) Xf[p] = col[samples[p]!]!;
        sortSamples(Xf, samples, start, end - start);
        if (Xf[end - 1]! <= Xf[start]! + FEATURE_THRESHOLD) {
          features[fJ] = features[nTotal]!;
          features[nTotal] = f;
          nFound++;
          nTotal++;
          continue;
        }
        fI--;
        features[fJ] = features[fI]!;
        features[fI] = f;
        // Evaluate every split between distinct values.
        criterion.reset(start);
        let p = start;
        while (p < end) {
          while (p + 1 < end && Xf[p + 1]! <= Xf[p]! + FEATURE_THRESHOLD) p++;
          p++;
          if (p < end) {
            if (p - start < o.minSamplesLeaf || end - p < o.minSamplesLeaf) continue;
            criterion.update(p, end);
            const wLeft = criterion.wLeft;
            const wRight = wNode - wLeft;
            let proxy: number;
            if (classification) {
              let sl = 0;
              let sr = 0;
              for (let k = 0; k < K; k++) {
                const r = sumTotal[k]! - sumLeft[k]!;
                sl += sumLeft[k]! * sumLeft[k]!;
                sr += r * r;
              }
              proxy = -wRight * (1 - sr / (wRight * wRight)) - wLeft * (1 - sl / (wLeft * wLeft));
            } else {
              const r = sumTotal[0]! - sumLeft[0]!;
              proxy = (sumLeft[0]! * sumLeft[0]!) / wLeft + (r * r) / wRight;
            }
            if (proxy > bestProxy) {
              bestProxy = proxy;
              bestPos = p;
              bestFeature = f;
              let threshold = Xf[p - 1]! / 2 + Xf[p]! / 2;
              if (threshold === Xf[p]! || !Number.isFinite(threshold)) threshold = Xf[p - 1]!;
              bestThreshold = threshold;
            }
          }
        }
      }
      if (bestPos < end) {
        // Partition samples[start, end) around the threshold (scikit-learn's swaps).
        const col = X[bestFeature]!;
        let partitionEnd = end;
        let q = start;
        while (q < partitionEnd) {
          if (col[samples[q]!]! <= bestThreshold) q++;
          else {
            partitionEnd--;
            const t = samples[q]!;
            samples[q] = samples[partitionEnd]!;
            samples[partitionEnd] = t;
          }
        }
        // Children's impurities (for their pure-node check), as children_impurity computes them.
        criterion.reset(start);
        criterion.update(bestPos, end);
        const wLeft = criterion.wLeft;
        const wRight = wNode - wLeft;
        for (let k = 0; k < V; k++) sumRight[k] = sumTotal[k]! - sumLeft[k]!;
        let impurityLeft: number;
        let impurityRight: number;
        if (classification) {
          impurityLeft = impurityOf(sumLeft, wLeft, 0);
          impurityRight = impurityOf(sumRight, wRight, 0);
        } else {
          let sqLeft = 0;
          for (let q2 = start; q2 < bestPos; q2++) {
            const i = samples[q2]!;
            sqLeft += weights[i]! * y[i]! * y[i]!;
          }
          impurityLeft = sqLeft / wLeft - (sumLeft[0]! / wLeft) ** 2;
          impurityRight = (sq - sqLeft) / wRight - (sumRight[0]! / wRight) ** 2;
        }
        split = { feature: bestFeature, threshold: bestThreshold, pos: bestPos, impurityLeft, impurityRight };
      }
      // Constant features found here are known to the children (in the order found).
      for (let i = 0; i < nKnown; i++) features[i] = constantFeatures[i]!;
      for (let i = nKnown; i < nTotal; i++) constantFeatures[i] = features[i]!;
      nConstant = nTotal;
      isLeaf = split === null;
    }
    const id = tree.feature.length;
    // A right child: its parent points at it (left children follow their parent directly).
    if (rec.isRight) tree.right[rec.parent] = id;
    tree.feature.push(isLeaf ? -1 : split!.feature);
    tree.threshold.push(isLeaf ? 0 : split!.threshold);
    tree.right.push(0);
    if (classification) {
      const total = sumTotal.reduce((a, b) => a + b, 0) || 1;
      for (let k = 0; k < K; k++) tree.value.push(sumTotal[k]! / total);
    } else tree.value.push(sumTotal[0]! / wNode);
    if (!isLeaf) {
      const s = split!;
      stack.push({ start: s.pos, end, depth: depth + 1, parent: id, isRight: true, impurity: s.impurityRight, nConstant });
      stack.push({ start, end: s.pos, depth: depth + 1, parent: id, isRight: false, impurity: s.impurityLeft, nConstant });
    }
  }
  return tree;
}

/**
 * Fits the forest. `X` is column-major; the target numbers or class indices. Reports progress
 * after each tree and stops (AbortError) when the signal is aborted.
 */
export async function fitForest(X: Float64Array[], target: ForestTarget, options: Partial<ForestOptions> = {}, control: FitControl = {}): Promise<ForestFit> {
  const o = { ...forestDefaults, ...options };
  // Features as float32, as scikit-learn's trees read them.
  const X32 = X.map((c) => Float32Array.from(c));
  const n = X32[0]?.length ?? 0;
  const K = target.task === 'classification' ? target.classes : 0;
  const y = target.task === 'regression' ? target.y : Float64Array.from(target.y);
  const maxFeatures = resolveMaxFeatures(o, target.task, X32.length);
  const rng = new RandomState(o.seed);
  const treeSeeds = Array.from({ length: o.nEstimators }, () => rng.interval(2147483646));
  const trees: ForestTree[] = [];
  let lastYield = Date.now();
  for (let t = 0; t < o.nEstimators; t++) {
    if (control.signal?.aborted) throw abortError();
    const weights = new Float64Array(n);
    if (o.bootstrap) {
      const r = new RandomState(treeSeeds[t]!);
      for (let i = 0; i < n; i++) {
        const row = r.interval(n - 1);
        weights[row] = weights[row]! + 1;
      }
    } else weights.fill(1);
    // The tree's own RandomState(seed): its first draw seeds the splitter.
    const randState = new RandomState(treeSeeds[t]!).interval(RAND_R_MAX - 1);
    trees.push(buildTree(X32, y, K, weights, randState, { maxDepth: o.maxDepth, minSamplesSplit: o.minSamplesSplit, minSamplesLeaf: o.minSamplesLeaf, maxFeatures }));
    control.progress?.(t + 1, o.nEstimators, `tree ${t + 1} of ${o.nEstimators}`);
    if (Date.now() - lastYield >= 50) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = Date.now();
      if (control.signal?.aborted) throw abortError();
    }
  }
  return { task: target.task, classes: K, trees, maxFeatures };
}

/** Predictions: the mean over trees (regression), or the mean class probabilities (column k for class k). */
export function forestPredict(fit: Pick<ForestFit, 'task' | 'classes' | 'trees'>, X: Float64Array[]): { value: Float64Array } | { proba: Float64Array[] } {
  const n = X[0]?.length ?? 0;
  const X32 = X.map((c) => Float32Array.from(c));
  const leafOf = (tree: ForestTree, i: number): number => {
    let node = 0;
    const { feature, threshold, right } = tree;
    while (feature[node]! >= 0) {
      const x = X32[feature[node]!]![i]!;
      // NaN never goes left (scikit-learn 1.2's trees compare x <= threshold too).
      node = x <= threshold[node]! ? node + 1 : right[node]!;
    }
    return node;
  };
  const T = fit.trees.length;
  if (fit.task === 'regression') {
    const value = new Float64Array(n);
    for (const tree of fit.trees) for (let i = 0; i < n; i++) value[i] = value[i]! + tree.value[leafOf(tree, i)]!;
    for (let i = 0; i < n; i++) value[i] = value[i]! / T;
    return { value };
  }
  const K = fit.classes;
  const proba = Array.from({ length: K }, () => new Float64Array(n));
  for (const tree of fit.trees) {
    for (let i = 0; i < n; i++) {
      const at = leafOf(tree, i) * K;
      for (let k = 0; k < K; k++) proba[k]![i] = proba[k]![i]! + tree.value[at + k]!;
    }
  }
  for (const p of proba) for (let i = 0; i < n; i++) p[i] = p[i]! / T;
  return { proba };
}
