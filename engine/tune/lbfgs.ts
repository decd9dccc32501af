/**
 * A small L-BFGS minimizer (two-loop recursion, backtracking Armijo line search) with box
 * bounds by projection: steps are clipped to the box, and the curvature pair is skipped when it
 * is not positive. Enough for a handful of smooth hyperparameters.
 */
export interface LbfgsOptions {
  lower?: number[];
  upper?: number[];
  maxIter?: number;
  memory?: number;
  /** Stop when the projected gradient's largest component is below this. */
  gradTol?: number;
  /** Stop when an iteration improves the value by less than this (relative to max(1, |f|)). */
  valueTol?: number;
}

export function minimizeLbfgs(
  f: (x: number[]) => { value: number; grad: number[] },
  x0: number[],
  o: LbfgsOptions = {},
): { x: number[]; value: number; iterations: number } {
  const n = x0.length;
  const lower = o.lower ?? Array<number>(n).fill(-Infinity);
  const upper = o.upper ?? Array<number>(n).fill(Infinity);
  const clip = (x: number[]) => x.map((v, i) => Math.min(upper[i]!, Math.max(lower[i]!, v)));
  const m = o.memory ?? 8;
  const maxIter = o.maxIter ?? 100;
  const gradTol = o.gradTol ?? 1e-6;
  const valueTol = o.valueTol ?? 1e-12;
  let x = clip(x0);
  let cur = f(x);
  if (!Number.isFinite(cur.value)) return { x, value: cur.value, iterations: 0 };
  const S: number[][] = [];
  const Y: number[][] = [];
  let iter = 0;
  for (; iter < maxIter; iter++) {
    // Projected gradient: components pushing against an active bound do not count.
    const pg = cur.grad.map((g, i) => ((x[i]! <= lower[i]! && g > 0) || (x[i]! >= upper[i]! && g < 0) ? 0 : g));
    if (Math.max(...pg.map(Math.abs)) < gradTol) break;
    // Two-loop recursion for the direction −H·g.
    const q = [...pg];
    const alphas: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const rho = 1 / dot(Y[k]!, S[k]!);
      const a = rho * dot(S[k]!, q);
      alphas[k] = a;
      for (let i = 0; i < n; i++) q[i] = q[i]! - a * Y[k]![i]!;
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) q[i] = q[i]! * gamma;
    } else {
      const norm = Math.sqrt(dot(pg, pg));
      for (let i = 0; i < n; i++) q[i] = q[i]! / Math.max(norm, 1);
    }
    for (let k = 0; k < S.length; k++) {
      const rho = 1 / dot(Y[k]!, S[k]!);
      const b = rho * dot(Y[k]!, q);
      for (let i = 0; i < n; i++) q[i] = q[i]! + S[k]![i]! * (alphas[k]! - b);
    }
    let dir = q.map((v) => -v);
    if (dot(dir, pg) >= 0) {
      // Not a descent direction (bounds, or a bad pair): fall back to steepest descent.
      dir = pg.map((g) => -g);
      S.length = 0;
      Y.length = 0;
    }
    let step = 1;
    let next: number[] | null = null;
    let nextVal = { value: Infinity, grad: cur.grad };
    for (let ls = 0; ls < 30; ls++) {
      const cand = clip(x.map((v, i) => v + step * dir[i]!));
      const val = f(cand);
      const decrease = dot(cur.grad, cand.map((v, i) => v - x[i]!));
      if (Number.isFinite(val.value) && val.value <= cur.value + 1e-4 * decrease) {
        next = cand;
        nextVal = val;
        break;
      }
      step *= 0.5;
    }
    if (!next) break;
    const s = next.map((v, i) => v - x[i]!);
    const y = nextVal.grad.map((g, i) => g - cur.grad[i]!);
    const improvement = cur.value - nextVal.value;
    x = next;
    cur = nextVal;
    if (dot(s, y) > 1e-12) {
      S.push(s);
      Y.push(y);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    if (Math.abs(improvement) <= valueTol * Math.max(1, Math.abs(cur.value))) break;
  }
  return { x, value: cur.value, iterations: iter };
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
