import { logGaussMass, normLogPdf, truncnormPpf } from '../normal.ts';
import type { Rng } from '../rng.ts';
import { fromSamplingSpace, samplingBounds, toSamplingSpace, type Distribution } from '../space.ts';

export interface ParzenOptions {
  /** Add a wide prior component (mean mid-range, sd the range width; uniform over choices). */
  considerPrior: boolean;
  priorWeight: number;
  /** Floor the bandwidths at range/min(100, components + 1). */
  considerMagicClip: boolean;
  /** Let the end components' bandwidth reach to the range's ends. */
  considerEndpoints: boolean;
  /** Component weights from the number of observations (chronological order). */
  weights: (n: number) => number[];
  /**
   * Optuna 3.1 leaves the 1/σ factor out of each truncated normal's density (optuna#5109; fixed
   * by optuna#5110, merged November 2023). True (the TPE sampler's default) reproduces 3.1;
   * false uses normalized densities, as later Optuna versions do.
   */
  optuna31Density: boolean;
}

/**
 * Optuna's default weights: all 1 for fewer than 25 observations; beyond, the 25 most recent
 * keep 1 and older ones ramp linearly from 1/n up.
 */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return Array(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

/**
 * A univariate Parzen estimator over one param, as Optuna's TPE builds it from the good (or the
 * bad) trials: one truncated normal per observation, in the param's sampling space (log for
 * log scales, half-step-widened for ints), each with a bandwidth from the distance to its
 * neighbours; or, for a categorical, one smoothed one-hot distribution per observation.
 */
export class ParzenEstimator {
  private readonly weights: number[];
  private readonly mus: number[] = [];
  private readonly sigmas: number[] = [];
  /** log of each component's mass inside [low, high] (its truncation normalizer). */
  private readonly logMass: number[] = [];
  private readonly low: number = 0;
  private readonly high: number = 0;
  /** Grid step of a (non-log) int param: densities become masses of ±q/2 cells. */
  private readonly q: number | null = null;
  /** Categoricals: per component, the probability of each choice. */
  private readonly probs: number[][] = [];

  /** `observations`: internal values (numbers, or choice indices), oldest first. */
  constructor(
    observations: number[],
    private readonly dist: Distribution,
    private readonly o: ParzenOptions,
  ) {
    const n = observations.length;
    const prior = o.considerPrior || n === 0;
    const w = o.weights(n).slice(0, n);
    if (prior) w.push(o.priorWeight);
    const total = w.reduce((s, x) => s + x, 0);
    this.weights = w.map((x) => x / total);

    if (dist.type === 'categorical') {
      const k = dist.choices.length;
      const base = o.priorWeight / (prior ? n + 1 : n);
      const rows = observations.map((c) => {
        const row = Array<number>(k).fill(base);
        row[c] = row[c]! + 1;
        return row;
      });
      if (prior) rows.push(Array<number>(k).fill(base));
      this.probs = rows.map((row) => {
        const s = row.reduce((a, b) => a + b, 0);
        return row.map((x) => x / s);
      });
      return;
    }

    [this.low, this.high] = samplingBounds(dist);
    if (dist.type === 'int' && !dist.log) this.q = dist.step ?? 1;
    const low = this.low;
    const high = this.high;
    const mus = observations.map((v) => toSamplingSpace(dist, v));
    if (prior) mus.push(0.5 * (low + high));
    // Bandwidth: the larger gap to a neighbour (the range's ends count as neighbours), except
    // that the outermost components look only inward unless `considerEndpoints`.
    const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
    const sorted = [low, ...order.map((i) => mus[i]!), high];
    const sortedSigmas = order.map((_, j) => Math.max(sorted[j + 1]! - sorted[j]!, sorted[j + 2]! - sorted[j + 1]!));
    if (!o.considerEndpoints && sorted.length >= 4) {
      sortedSigmas[0] = sorted[2]! - sorted[1]!;
      sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
    }
    const sigmas = Array<number>(mus.length);
    order.forEach((i, j) => (sigmas[i] = sortedSigmas[j]!));
    const maxSigma = high - low;
    const minSigma = o.considerMagicClip ? (high - low) / Math.min(100, 1 + mus.length) : 1e-12;
    for (let i = 0; i < sigmas.length; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]!));
    if (prior) sigmas[sigmas.length - 1] = high - low;
    this.mus = mus;
    this.sigmas = sigmas;
    this.logMass = mus.map((mu, i) => logGaussMass((low - mu) / sigmas[i]!, (high - mu) / sigmas[i]!));
  }

  /** `size` draws, as internal values (numbers rounded to the param's grid, or choice indices). */
  sample(rng: Rng, size: number): number[] {
    const out: number[] = [];
    for (let s = 0; s < size; s++) {
      const c = rng.choice(this.weights);
      if (this.dist.type === 'categorical') {
        out.push(rng.choice(this.probs[c]!));
        continue;
      }
      const mu = this.mus[c]!;
      const sigma = this.sigmas[c]!;
      const x = truncnormPpf(rng.random(), (this.low - mu) / sigma, (this.high - mu) / sigma) * sigma + mu;
      out.push(fromSamplingSpace(this.dist, Math.min(this.high, Math.max(this.low, x))));
    }
    return out;
  }

  /** log density (log mass for a grid or a categorical) of the mixture at an internal value. */
  logPdf(value: number): number {
    const terms: number[] = [];
    if (this.dist.type === 'categorical') {
      let p = 0;
      for (let i = 0; i < this.weights.length; i++) p += this.weights[i]! * this.probs[i]![value]!;
      return Math.log(p);
    }
    const x = toSamplingSpace(this.dist, value);
    for (let i = 0; i < this.weights.length; i++) {
      const mu = this.mus[i]!;
      const sigma = this.sigmas[i]!;
      let lp: number;
      if (this.q === null) {
        if (x < this.low || x > this.high) lp = -Infinity;
        else lp = normLogPdf((x - mu) / sigma) - this.logMass[i]! - (this.o.optuna31Density ? 0 : Math.log(sigma));
      } else {
        const upper = Math.min(x + this.q / 2, this.high);
        const lower = Math.max(x - this.q / 2, this.low);
        lp = logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - this.logMass[i]!;
      }
      terms.push(lp + Math.log(this.weights[i]!));
    }
    const m = Math.max(...terms);
    if (m === -Infinity) return -Infinity;
    return m + Math.log(terms.reduce((s, t) => s + Math.exp(t - m), 0));
  }
}
