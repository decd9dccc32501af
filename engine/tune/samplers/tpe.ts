import type { Rng } from '../rng.ts';
import { sampleUniform, toExternal, toInternal, type Distribution, type ParamValue } from '../space.ts';
import type { FrozenTrial, Sampler, StudyView } from '../study.ts';
import { defaultWeights, ParzenEstimator, type ParzenOptions } from './parzen.ts';

export interface TpeOptions extends Partial<ParzenOptions> {
  /** Random sampling until this many trials have finished (complete or pruned). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x); the one with the largest l(x)/g(x) is suggested. */
  nEiCandidates?: number;
  /** How many of n finished trials form the good set. */
  gamma?: (n: number) => number;
}

/** Optuna's default: the best 10%, rounded up, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * The Tree-structured Parzen Estimator, as Optuna 3.1's TPESampler with its defaults
 * (independent per param, 10 random startup trials, 24 candidates, γ(n) = min(⌈0.1n⌉, 25),
 * prior weight 1, magic clip on, endpoints off, recency-ramped weights past 25 trials), down to
 * 3.1's unnormalized component densities (`optuna31Density`; false gives later Optuna's).
 *
 * After the startup trials, the finished trials are ranked — complete trials by value; pruned
 * ones after all complete ones, deeper-pruned first, then by their last intermediate value —
 * and split into the γ(n) best (below) and the rest (above). A Parzen estimator l(x) is fitted to
 * the param's values in the good trials and g(x) to those in the others; candidates are drawn
 * from l, and the one maximizing log l(x) − log g(x) (the density ratio, which orders candidates
 * as expected improvement does) is suggested.
 */
export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenOptions;

  constructor(o: TpeOptions = {}) {
    this.nStartup = o.nStartupTrials ?? 10;
    this.nCandidates = o.nEiCandidates ?? 24;
    this.gamma = o.gamma ?? defaultGamma;
    this.parzen = {
      considerPrior: o.considerPrior ?? true,
      priorWeight: o.priorWeight ?? 1,
      considerMagicClip: o.considerMagicClip ?? true,
      considerEndpoints: o.considerEndpoints ?? false,
      weights: o.weights ?? defaultWeights,
      optuna31Density: o.optuna31Density ?? true,
    };
  }

  sampleIndependent(study: StudyView, name: string, dist: Distribution, rng: Rng): ParamValue {
    const finished = study.trials.filter((t) => t.state === 'complete' || t.state === 'pruned');
    if (finished.length < this.nStartup) return sampleUniform(dist, rng);
    const { below, above } = splitTrials(finished, this.gamma(finished.length), study.direction);
    const values = (ts: FrozenTrial[]) => ts.filter((t) => name in t.params).map((t) => toInternal(dist, t.params[name]!));
    const l = new ParzenEstimator(values(below), dist, this.parzen);
    const g = new ParzenEstimator(values(above), dist, this.parzen);
    const candidates = l.sample(rng, this.nCandidates);
    let best = candidates[0]!;
    let bestScore = -Infinity;
    for (const c of candidates) {
      const score = l.logPdf(c) - g.logPdf(c);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return toExternal(dist, best);
  }
}

/**
 * The γ best finished trials and the rest, each in trial order. Ranking key: complete trials
 * (−∞, value), pruned trials (−last step, last intermediate value; NaN as +∞), pruned trials
 * with no report (1, 0); values negated when maximizing. Ties keep trial order.
 */
export function splitTrials(trials: readonly FrozenTrial[], nBelow: number, direction: 'minimize' | 'maximize'): { below: FrozenTrial[]; above: FrozenTrial[] } {
  const sign = direction === 'minimize' ? 1 : -1;
  const keys = trials.map((t): [number, number] => {
    if (t.state === 'complete') return [-Infinity, sign * t.value!];
    if (t.intermediate.length === 0) return [1, 0];
    const last = t.intermediate.reduce((a, b) => (b.step > a.step ? b : a));
    return [-last.step, Number.isNaN(last.value) ? Infinity : sign * last.value];
  });
  const order = trials.map((_, i) => i).sort((a, b) => keys[a]![0] - keys[b]![0] || compare(keys[a]![1], keys[b]![1]) || a - b);
  const belowSet = new Set(order.slice(0, nBelow));
  return { below: trials.filter((_, i) => belowSet.has(i)), above: trials.filter((_, i) => !belowSet.has(i)) };
}

function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
