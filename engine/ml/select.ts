import type { ColumnInfo } from '../db/database.ts';
import { ident } from '../sql/quote.ts';
import { Ticker, type FitControl } from './control.ts';
import { RandomState } from './random.ts';
import { digammaTable, fSurvival } from './stats.ts';

export type SelectMethod = 'f-test' | 'mutual-info';

export interface SelectState {
  method: SelectMethod;
  task: 'regression' | 'classification';
  k: number;
  /** Every candidate feature with its score (and p-value for the F-test), in input order. */
  scores: { name: string; score: number; pValue: number | null; selected: boolean }[];
}

/**
 * scikit-learn's f_regression: F = r²/(1 − r²)·(n − 2) from the Pearson correlation r of each
 * feature with the target, p from the F(1, n − 2) tail. As there (force_finite), a constant
 * feature or target gives F = 0, p = 1, and a perfect correlation F = the largest double, p = 0.
 * Sums are taken over centered values (scikit-learn uses raw moments; the two agree to rounding).
 */
export function fRegression(X: Float64Array[], y: Float64Array): { F: number[]; p: number[] } {
  const n = y.length;
  const my = mean(y);
  const yc = Float64Array.from(y, (v) => v - my);
  let syy = 0;
  for (const v of yc) syy += v * v;
  const F: number[] = [];
  const p: number[] = [];
  for (const col of X) {
    const mx = mean(col);
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      const d = col[i]! - mx;
      sxy += d * yc[i]!;
      sxx += d * d;
    }
    let r = sxy / Math.sqrt(sxx) / Math.sqrt(syy);
    if (!Number.isFinite(r)) r = 0;
    const df = n - 2;
    let f = ((r * r) / (1 - r * r)) * df;
    let pv = fSurvival(f, 1, df);
    if (f === Infinity) {
      f = Number.MAX_VALUE;
      pv = 0;
    } else if (Number.isNaN(f)) {
      f = 0;
      pv = 1;
    }
    F.push(f);
    p.push(pv);
  }
  return { F, p };
}

/**
 * scikit-learn's f_classif: the one-way ANOVA F of each feature across the classes, p from the
 * F(classes − 1, n − classes) tail. A feature constant within every class gives F = ∞ (or NaN if
 * constant overall), as there.
 */
export function fClassif(X: Float64Array[], y: Int32Array, classCount: number): { F: number[]; p: number[] } {
  const n = y.length;
  const counts = new Float64Array(classCount);
  for (const c of y) counts[c] = counts[c]! + 1;
  const F: number[] = [];
  const p: number[] = [];
  const dfb = classCount - 1;
  const dfw = n - classCount;
  for (const col of X) {
    const sums = new Float64Array(classCount);
    for (let i = 0; i < n; i++) sums[y[i]!] = sums[y[i]!]! + col[i]!;
    const means = Array.from(sums, (s, k) => s / counts[k]!);
    const grand = mean(col);
    let ssb = 0;
    for (let k = 0; k < classCount; k++) ssb += counts[k]! * (means[k]! - grand) ** 2;
    let ssw = 0;
    for (let i = 0; i < n; i++) ssw += (col[i]! - means[y[i]!]!) ** 2;
    const f = ssb / dfb / (ssw / dfw);
    F.push(f);
    p.push(fSurvival(f, dfb, dfw));
  }
  return { F, p };
}

function mean(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

function std(v: Float64Array): number {
  const m = mean(v);
  let s = 0;
  for (const x of v) s += (x - m) * (x - m);
  return Math.sqrt(s / v.length);
}

/**
 * scikit-learn's `_estimate_mi` with n_neighbors = 3 and every feature continuous: features
 * (and a continuous target) are divided by their standard deviation, then get noise of
 * 1e-10 · max(1, mean |x|) from numpy's RandomState(seed) — the same stream, in the same order
 * (features row by row, then the target), so the same seed gives the same estimate. Then the
 * Kraskov (KSG) estimator for a continuous target and Ross's for a discrete one, clipped at 0.
 */
export async function mutualInfo(
  X: Float64Array[],
  target: { continuous: Float64Array } | { classes: Int32Array; count: number },
  seed: number,
  control: FitControl = {},
): Promise<number[]> {
  const n = X[0]?.length ?? 0;
  const p = X.length;
  const rng = new RandomState(seed);
  const scaled = X.map((col) => {
    const s = std(col);
    const scale = s < 10 * Number.EPSILON ? 1 : s;
    return Float64Array.from(col, (v) => v / scale);
  });
  const means = scaled.map((col) => {
    let s = 0;
    for (const v of col) s += Math.abs(v);
    return Math.max(1, s / n);
  });
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) scaled[j]![i] = scaled[j]![i]! + 1e-10 * means[j]! * rng.standardNormal();
  let y: Float64Array | undefined;
  if ('continuous' in target) {
    const s = std(target.continuous);
    const scale = s < 10 * Number.EPSILON ? 1 : s;
    y = Float64Array.from(target.continuous, (v) => v / scale);
    let a = 0;
    for (const v of y) a += Math.abs(v);
    const m = Math.max(1, a / n);
    for (let i = 0; i < n; i++) y[i] = y[i]! + 1e-10 * m * rng.standardNormal();
  }
  const psi = digammaTable(n + 1);
  const ticker = new Ticker(control);
  const out: number[] = [];
  for (let j = 0; j < p; j++) {
    await ticker.tick(j, p, `mutual information of feature ${j + 1} of ${p}`);
    out.push(y ? miContinuous(scaled[j]!, y, 3, psi) : miDiscrete(scaled[j]!, (target as { classes: Int32Array }).classes, 3, psi));
  }
  return out;
}

/**
 * Points u of ascending `sorted` with |u − v| ≤ radius, the distance computed as a KD-tree does:
 * not by comparing u with v ± radius, whose rounding can take in a point just outside.
 */
export function countWithin(sorted: Float64Array, v: number, radius: number): number {
  return firstIndex(sorted, (u) => u - v > radius) - firstIndex(sorted, (u) => v - u <= radius);
}

/** The first index whose value satisfies a predicate that is monotone (false…false, true…true). */
function firstIndex(a: Float64Array, test: (u: number) => boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(a[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function lowerBound(a: Float64Array, x: number): number {
  return firstIndex(a, (u) => u >= x);
}

/** The largest double below a positive x (numpy's `nextafter(x, 0)`). */
function below(x: number): number {
  if (x <= 0) return 0;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] = bits[0]! - 1n;
  return buf[0]!;
}

/**
 * KSG estimate for two continuous variables: each point's distance to its k-th neighbour in
 * the joint space (max norm), and how many points lie strictly closer in each marginal.
 */
function miContinuous(x: Float64Array, y: Float64Array, k: number, psi: Float64Array): number {
  const n = x.length;
  const radius = kthNeighbourChebyshev(x, y, k);
  const xs = Float64Array.from(x).sort();
  const ys = Float64Array.from(y).sort();
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const r = below(radius[i]!);
    // counts include the point itself: nx = count − 1, and ψ(nx + 1) = ψ(count)
    sx += psi[countWithin(xs, x[i]!, r)]!;
    sy += psi[countWithin(ys, y[i]!, r)]!;
  }
  const mi = psi[n]! + psi[k]! - sx / n - sy / n;
  return Math.max(0, mi);
}

/**
 * Each point's max-norm distance to its k-th nearest other point in the plane: points sorted
 * along the coordinate with more distinct values, scanned outward until the strip is wider
 * than the current k-th distance.
 */
function kthNeighbourChebyshev(x: Float64Array, y: Float64Array, k: number): Float64Array {
  const n = x.length;
  const [a, b] = new Set(x).size >= new Set(y).size ? [x, y] : [y, x];
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]! - a[j]!);
  const as = Float64Array.from(order, (i) => a[i]!);
  const bs = Float64Array.from(order, (i) => b[i]!);
  const result = new Float64Array(n);
  const best = new Float64Array(k);
  for (let pos = 0; pos < n; pos++) {
    best.fill(Infinity);
    const av = as[pos]!;
    const bv = bs[pos]!;
    let lo = pos - 1;
    let hi = pos + 1;
    for (;;) {
      const dl = lo >= 0 ? av - as[lo]! : Infinity;
      const dh = hi < n ? as[hi]! - av : Infinity;
      const next = Math.min(dl, dh);
      if (next === Infinity || next > best[k - 1]!) break;
      const q = dl <= dh ? lo-- : hi++;
      const d = Math.max(next, Math.abs(bs[q]! - bv));
      if (d < best[k - 1]!) {
        let m = k - 1;
        while (m > 0 && best[m - 1]! > d) {
          best[m] = best[m - 1]!;
          m--;
        }
        best[m] = d;
      }
    }
    result[order[pos]!] = best[k - 1]!;
  }
  return result;
}

/**
 * Ross's estimate for a continuous feature and a discrete target: each point's distance to its
 * k-th neighbour among points of its own class (k = min(3, class size − 1)), and how many points
 * of any class lie strictly closer. Points alone in their class are left out.
 */
function miDiscrete(c: Float64Array, d: Int32Array, kMax: number, psi: Float64Array): number {
  const n = c.length;
  const classCount = Math.max(...d) + 1;
  const members: number[][] = Array.from({ length: classCount }, () => []);
  d.forEach((cls, i) => members[cls]!.push(i));
  const radius = new Float64Array(n);
  const kAll = new Int32Array(n);
  const keep: number[] = [];
  for (const idx of members) {
    if (idx.length <= 1) continue;
    const k = Math.min(kMax, idx.length - 1);
    const values = Float64Array.from(idx, (i) => c[i]!).sort();
    for (const i of idx) {
      const v = c[i]!;
      // the k-th nearest other value in the class: merge outward from v's position
      let pos = lowerBound(values, v);
      while (pos < values.length - 1 && values[pos] !== v) pos++;
      let lo = pos - 1;
      let hi = pos + 1;
      let dist = 0;
      for (let taken = 0; taken < k; taken++) {
        const dl = lo >= 0 ? v - values[lo]! : Infinity;
        const dh = hi < values.length ? values[hi]! - v : Infinity;
        if (dl <= dh) {
          dist = dl;
          lo--;
        } else {
          dist = dh;
          hi++;
        }
      }
      radius[i] = below(dist);
      kAll[i] = k;
      keep.push(i);
    }
  }
  const m = keep.length;
  const sorted = Float64Array.from(keep, (i) => c[i]!).sort();
  let sumK = 0;
  let sumLabel = 0;
  let sumM = 0;
  for (const i of keep) {
    sumK += psi[kAll[i]!]!;
    sumLabel += psi[members[d[i]!]!.length]!;
    sumM += psi[countWithin(sorted, c[i]!, radius[i]!)]!;
  }
  const mi = psi[m]! + sumK / m - sumLabel / m - sumM / m;
  return Math.max(0, mi);
}

/**
 * SelectKBest's choice: the k best scores (NaN counts as the lowest); among equal scores the
 * later features win, as its stable argsort keeps the last k.
 */
export function selectBest(scores: number[], k: number): boolean[] {
  const clean = scores.map((s) => (Number.isNaN(s) ? -Number.MAX_VALUE : s));
  const order = clean.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const chosen = new Set(order.slice(Math.max(0, order.length - k)).map(([, i]) => i));
  return scores.map((_, i) => chosen.has(i));
}

/** The input without the features that were not selected. */
export function selectSql(state: SelectState, input: string, columns: ColumnInfo[]): string {
  const dropped = new Set(state.scores.filter((s) => !s.selected).map((s) => s.name.toLowerCase()));
  const kept = columns.filter((c) => !dropped.has(c.name.toLowerCase()));
  return `SELECT ${kept.map((c) => ident(c.name)).join(', ')} FROM ${input}`;
}
