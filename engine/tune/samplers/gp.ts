import { backSubst, cholesky, forwardSubst } from '../../ml/linalg.ts';
import { minimizeLbfgs } from '../lbfgs.ts';
import { logExpectedImprovement } from '../normal.ts';
import type { Rng } from '../rng.ts';
import { choiceIndex, contains, fromSamplingSpace, isSingle, sampleUniform, samplingBounds, toSamplingSpace, type Distribution, type Params, type ParamValue, type SearchSpace } from '../space.ts';
import type { Sampler, StudyView } from '../study.ts';

export interface GpOptions {
  /** Random trials before the first model. */
  nStartupTrials?: number;
  /** Random candidates scored by expected improvement each trial. */
  nCandidates?: number;
  /** Random restarts of the hyperparameter fit (besides a fixed start). */
  restarts?: number;
}

/**
 * Bayesian optimization with a Gaussian process. Params are mapped to the unit cube (log scales
 * first; ints widened by half a step; categoricals one-hot), the objective is standardized (and
 * negated when maximizing), and a GP with a constant zero mean and an ARD Matérn-5/2 kernel is
 * fitted: length scale per dimension, signal and noise variance, chosen by maximizing the log
 * marginal likelihood plus weak log-normal priors (L-BFGS with analytic gradients from a fixed
 * start and `restarts` random ones). The next point maximizes expected improvement over the best
 * value seen: scored on random candidates and perturbations of the best trials, then the best few
 * refined by L-BFGS over their float coordinates. Everything random comes from the trial's
 * stream, so the same finished trials and seed give the same suggestion.
 */
export class GpSampler implements Sampler {
  readonly name = 'gp';
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly restarts: number;

  constructor(o: GpOptions = {}) {
    this.nStartup = o.nStartupTrials ?? 10;
    this.nCandidates = o.nCandidates ?? 2000;
    this.restarts = o.restarts ?? 2;
  }

  sampleIndependent(_study: StudyView, _name: string, dist: Distribution, rng: Rng): ParamValue {
    return sampleUniform(dist, rng);
  }

  sampleRelative(study: StudyView, rng: Rng): Params {
    const space = relativeSpace(study);
    if (Object.keys(space).length === 0) return {};
    const complete = study.trials.filter(
      (t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value) && Object.entries(space).every(([n, d]) => n in t.params && contains(d, t.params[n]!)),
    );
    if (complete.length < this.nStartup) return {};
    const enc = new CubeEncoding(space);
    const X = complete.map((t) => enc.encode(t.params));
    const sign = study.direction === 'minimize' ? 1 : -1;
    const raw = complete.map((t) => sign * t.value!);
    const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / raw.length) || 1;
    const y = raw.map((v) => (v - mean) / sd);
    const gp = fitGp(X, y, rng, this.restarts);
    const best = Math.min(...y);
    const acq = (u: number[]) => {
      const { mu, variance } = gp.predict(u);
      return logExpectedImprovement(mu, Math.sqrt(variance), best);
    };

    // Candidates: uniform ones, and perturbations of the best trials at two scales.
    const candidates: number[][] = [];
    const nLocal = Math.floor(this.nCandidates / 2);
    for (let i = 0; i < this.nCandidates - nLocal; i++) candidates.push(enc.random(rng));
    const top = y.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).slice(0, 5).map(([, i]) => X[i]!);
    for (let i = 0; i < nLocal; i++) candidates.push(enc.perturb(top[i % top.length]!, i % 2 === 0 ? 0.1 : 0.02, rng));
    const scored = candidates.map((u) => ({ u: enc.snap(u), score: 0 }));
    for (const c of scored) c.score = acq(c.u);
    scored.sort((a, b) => b.score - a.score);

    // Local refinement of the float coordinates of the best few.
    let winner = scored[0]!;
    const free = enc.floatDims;
    if (free.length) {
      for (const start of scored.slice(0, 3)) {
        const base = [...start.u];
        const objective = (z: number[]) => {
          const u = [...base];
          free.forEach((d, i) => (u[d] = z[i]!));
          const value = -acq(u);
          const grad = z.map((zi, i) => {
            const h = 1e-6;
            const up = [...u];
            const dn = [...u];
            up[free[i]!] = Math.min(1, zi + h);
            dn[free[i]!] = Math.max(0, zi - h);
            return (-acq(up) + acq(dn)) / (up[free[i]!]! - dn[free[i]!]! || 1);
          });
          return { value: Number.isFinite(value) ? value : 1e300, grad: grad.map((g) => (Number.isFinite(g) ? g : 0)) };
        };
        const r = minimizeLbfgs(objective, free.map((d) => base[d]!), { lower: free.map(() => 0), upper: free.map(() => 1), maxIter: 30 });
        const u = [...base];
        free.forEach((d, i) => (u[d] = r.x[i]!));
        const score = acq(u);
        if (score > winner.score) winner = { u, score };
      }
    }
    return enc.decode(winner.u);
  }
}

/** The declared space, or else the params every complete trial has (Optuna's intersection space). */
function relativeSpace(study: StudyView): SearchSpace {
  const space: SearchSpace = {};
  if (study.space) {
    for (const [n, d] of Object.entries(study.space)) if (!isSingle(d)) space[n] = d;
    return space;
  }
  const complete = study.trials.filter((t) => t.state === 'complete');
  if (complete.length === 0) return space;
  for (const [n, d] of study.distributions) {
    if (!isSingle(d) && complete.every((t) => n in t.params)) space[n] = d;
  }
  return space;
}

/** Params ↔ points of the unit cube. */
class CubeEncoding {
  private readonly parts: { name: string; dist: Distribution; offset: number; width: number }[] = [];
  readonly dims: number;
  readonly floatDims: number[] = [];
  private readonly intDims: number[] = [];

  constructor(space: SearchSpace) {
    let offset = 0;
    for (const [name, dist] of Object.entries(space)) {
      const width = dist.type === 'categorical' ? dist.choices.length : 1;
      this.parts.push({ name, dist, offset, width });
      if (dist.type === 'float') this.floatDims.push(offset);
      if (dist.type === 'int') this.intDims.push(offset);
      offset += width;
    }
    this.dims = offset;
  }

  encode(params: Params): number[] {
    const u = Array<number>(this.dims).fill(0);
    for (const p of this.parts) {
      const v = params[p.name]!;
      if (p.dist.type === 'categorical') u[p.offset + choiceIndex(p.dist.choices, v)] = 1;
      else {
        const [lo, hi] = samplingBounds(p.dist);
        u[p.offset] = (toSamplingSpace(p.dist, v as number) - lo) / (hi - lo);
      }
    }
    return u;
  }

  decode(u: number[]): Params {
    const params: Params = {};
    for (const p of this.parts) {
      if (p.dist.type === 'categorical') {
        let best = 0;
        for (let k = 1; k < p.width; k++) if (u[p.offset + k]! > u[p.offset + best]!) best = k;
        params[p.name] = p.dist.choices[best]!;
      } else {
        const [lo, hi] = samplingBounds(p.dist);
        params[p.name] = fromSamplingSpace(p.dist, lo + Math.min(1, Math.max(0, u[p.offset]!)) * (hi - lo));
      }
    }
    return params;
  }

  /** Ints moved to their grid point and categoricals to a vertex, so scores are of real points. */
  snap(u: number[]): number[] {
    return this.encode(this.decode(u));
  }

  random(rng: Rng): number[] {
    const u = Array<number>(this.dims).fill(0);
    for (const p of this.parts) {
      if (p.dist.type === 'categorical') u[p.offset + rng.int(p.width)] = 1;
      else u[p.offset] = rng.random();
    }
    return u;
  }

  perturb(base: number[], scale: number, rng: Rng): number[] {
    const u = [...base];
    for (const p of this.parts) {
      if (p.dist.type === 'categorical') {
        if (rng.random() < 0.2) {
          for (let k = 0; k < p.width; k++) u[p.offset + k] = 0;
          u[p.offset + rng.int(p.width)] = 1;
        }
      } else u[p.offset] = Math.min(1, Math.max(0, base[p.offset]! + scale * rng.normal()));
    }
    return u;
  }
}

const SQRT5 = Math.sqrt(5);
const JITTER = 1e-9;

export interface GpModel {
  lengthScales: number[];
  signal: number;
  noise: number;
  predict(u: number[]): { mu: number; variance: number };
}

/** Prior on log length scale: normal around log 0.5 (sd 1); signal: around 0 (sd 1.5); noise: around log 1e-4 (sd 2). */
const PRIOR = { ls: [Math.log(0.5), 1], signal: [0, 1.5], noise: [Math.log(1e-4), 2] } as const;
const BOUNDS = { ls: [Math.log(0.01), Math.log(20)], signal: [Math.log(0.01), Math.log(100)], noise: [Math.log(1e-6), Math.log(0.5)] } as const;

/** Fits the kernel hyperparameters by maximum a posteriori; returns the posterior predictor. */
export function fitGp(X: number[][], y: number[], rng: Rng, restarts: number): GpModel {
  const n = X.length;
  const d = X[0]?.length ?? 0;
  // Squared differences per dimension, shared by every likelihood evaluation.
  const diff2 = squaredDiffs(X, n, d);
  const lower = [...Array<number>(d).fill(BOUNDS.ls[0]), BOUNDS.signal[0], BOUNDS.noise[0]];
  const upper = [...Array<number>(d).fill(BOUNDS.ls[1]), BOUNDS.signal[1], BOUNDS.noise[1]];
  const objective = (theta: number[]) => negLogPosterior(theta, diff2, y, n, d);
  const starts = [[...Array<number>(d).fill(Math.log(0.5)), 0, Math.log(1e-3)]];
  for (let r = 0; r < restarts; r++) starts.push(lower.map((lo, i) => lo + (upper[i]! - lo) * (0.15 + 0.7 * rng.random())));
  let best: { x: number[]; value: number } | null = null;
  for (const s of starts) {
    // The hyperparameters need not be exact: stop once the log posterior gains < 1e-7 relative.
    const r = minimizeLbfgs(objective, s, { lower, upper, maxIter: 50, gradTol: 1e-4, valueTol: 1e-7 });
    if (Number.isFinite(r.value) && (!best || r.value < best.value)) best = r;
  }
  const theta = best?.x ?? starts[0]!;
  const ls = theta.slice(0, d).map(Math.exp);
  const signal = Math.exp(theta[d]!);
  const noise = Math.exp(theta[d + 1]!);
  const K = kernelMatrix(diff2, ls, signal, noise, n, d).K;
  const L = cholesky(K, n) ?? cholesky(addDiagonal(K, n, 1e-6), n)!;
  const alpha = cholSolve(L, Float64Array.from(y), n);
  return {
    lengthScales: ls,
    signal,
    noise,
    predict(u: number[]) {
      const ks = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let r2 = 0;
        for (let k = 0; k < d; k++) r2 += (u[k]! - X[i]![k]!) ** 2 / (ls[k]! * ls[k]!);
        ks[i] = signal * matern52(Math.sqrt(r2));
      }
      let mu = 0;
      for (let i = 0; i < n; i++) mu += ks[i]! * alpha[i]!;
      const v = forwardSubst(L, ks, n);
      let vv = 0;
      for (let i = 0; i < n; i++) vv += v[i]! * v[i]!;
      return { mu, variance: Math.max(1e-12, signal - vv) };
    },
  };
}

/** (xᵢₖ − xⱼₖ)² for i < j, stored pair-major: index (i·n + j)·d + k. */
export function squaredDiffs(X: number[][], n: number, d: number): Float64Array {
  const out = new Float64Array(n * n * d);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const base = (i * n + j) * d;
      for (let k = 0; k < d; k++) out[base + k] = (X[i]![k]! - X[j]![k]!) ** 2;
    }
  }
  return out;
}

function matern52(r: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

/**
 * K = σ_f²·M(r) + (σ_n² + jitter)·I, and for the gradient, per pair (i < j, row-major upper
 * triangle): M(r) and (5/3)(1 + √5r)e^{−√5r}, the factor of ∂K/∂log ℓ_k.
 */
function kernelMatrix(diff2: Float64Array, ls: number[], signal: number, noise: number, n: number, d: number) {
  const K = new Float64Array(n * n);
  const M = new Float64Array(n * n);
  const G = new Float64Array(n * n);
  const inv = ls.map((l) => 1 / (l * l));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const idx = i * n + j;
      let r2 = 0;
      const base = idx * d;
      for (let k = 0; k < d; k++) r2 += diff2[base + k]! * inv[k]!;
      const r = Math.sqrt(r2);
      const e = Math.exp(-SQRT5 * r);
      const m = (1 + SQRT5 * r + (5 / 3) * r2) * e;
      M[idx] = m;
      G[idx] = (5 / 3) * (1 + SQRT5 * r) * e;
      K[idx] = signal * m;
      K[j * n + i] = signal * m;
    }
    K[i * n + i] = signal + noise + JITTER;
  }
  return { K, M, G, inv };
}

/** −(log marginal likelihood + log prior) and its gradient in θ = (log ℓ₁…ℓ_d, log σ_f², log σ_n²). */
export function negLogPosterior(theta: number[], diff2: Float64Array, y: number[], n: number, d: number): { value: number; grad: number[] } {
  const ls = theta.slice(0, d).map(Math.exp);
  const signal = Math.exp(theta[d]!);
  const noise = Math.exp(theta[d + 1]!);
  const { K, M, G, inv } = kernelMatrix(diff2, ls, signal, noise, n, d);
  const L = cholesky(K, n);
  if (!L) return { value: Infinity, grad: theta.map(() => 0) };
  const alpha = cholSolve(L, Float64Array.from(y), n);
  let value = 0;
  for (let i = 0; i < n; i++) value += 0.5 * y[i]! * alpha[i]! + Math.log(L[i * n + i]!);
  value += 0.5 * n * Math.log(2 * Math.PI);
  // W = K⁻¹ − ααᵀ; ∂(−log ML)/∂θ = ½ Σ W ∘ ∂K/∂θ (pairs counted twice by symmetry).
  const W = cholInverse(L, n);
  const grad = Array<number>(d + 2).fill(0);
  let gSignal = 0;
  let gNoise = 0;
  const gLs = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wii = W[i * n + i]! - alpha[i]! * alpha[i]!;
    gSignal += 0.5 * wii * signal;
    gNoise += 0.5 * wii * noise;
    for (let j = i + 1; j < n; j++) {
      const idx = i * n + j;
      const w = W[idx]! - alpha[i]! * alpha[j]!;
      gSignal += w * signal * M[idx]!;
      const common = w * signal * G[idx]!;
      const base = idx * d;
      for (let k = 0; k < d; k++) gLs[k] = gLs[k]! + common * diff2[base + k]! * inv[k]!;
    }
  }
  for (let k = 0; k < d; k++) grad[k] = gLs[k]!;
  grad[d] = gSignal;
  grad[d + 1] = gNoise;
  // Log-normal priors.
  const prior = (x: number, [m, s]: readonly [number, number]) => [(x - m) ** 2 / (2 * s * s), (x - m) / (s * s)] as const;
  for (let k = 0; k < d; k++) {
    const [v, g] = prior(theta[k]!, PRIOR.ls);
    value += v;
    grad[k] = grad[k]! + g;
  }
  const [vs, gs] = prior(theta[d]!, PRIOR.signal);
  const [vn, gn] = prior(theta[d + 1]!, PRIOR.noise);
  value += vs + vn;
  grad[d] = grad[d]! + gs;
  grad[d + 1] = grad[d + 1]! + gn;
  return { value, grad };
}

function addDiagonal(K: Float64Array, n: number, v: number): Float64Array {
  const out = Float64Array.from(K);
  for (let i = 0; i < n; i++) out[i * n + i] = out[i * n + i]! + v;
  return out;
}

function cholSolve(L: Float64Array, b: Float64Array, n: number): Float64Array {
  return backSubst(L, forwardSubst(L, b, n), n);
}

/** (L Lᵀ)⁻¹ from the factor: U = (L⁻¹)ᵀ row by row, then K⁻¹ᵢⱼ = Σₖ Uᵢₖ Uⱼₖ (rows contiguous). */
function cholInverse(L: Float64Array, n: number): Float64Array {
  const U = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const row = j * n;
    U[row + j] = 1 / L[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      const li = i * n;
      for (let k = j; k < i; k++) s -= L[li + k]! * U[row + k]!;
      U[row + i] = s / L[li + i]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      const ri = i * n;
      const rj = j * n;
      for (let k = i; k < n; k++) s += U[ri + k]! * U[rj + k]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}
