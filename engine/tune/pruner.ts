import type { Pruner, StudyView } from './study.ts';

export interface MedianPrunerOptions {
  /** No pruning until this many trials have completed. */
  nStartupTrials?: number;
  /** No pruning of a trial before this step. */
  nWarmupSteps?: number;
  /** Check every this many steps after the warm-up. */
  intervalSteps?: number;
  /** At least this many completed trials must have a value at the step. */
  nMinTrials?: number;
}

/**
 * Optuna's MedianPruner (a PercentilePruner at 50): prune a trial when the best of its
 * intermediate values so far is worse than the median of the completed trials' values at the
 * trial's latest step. Nothing is pruned before `nStartupTrials` trials have completed or before
 * step `nWarmupSteps`, and only on the first report in each `intervalSteps` window; a NaN best
 * value is pruned. The median interpolates linearly (numpy's `nanpercentile`).
 */
export class MedianPruner implements Pruner {
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(o: MedianPrunerOptions = {}) {
    this.nStartupTrials = o.nStartupTrials ?? 5;
    this.nWarmupSteps = o.nWarmupSteps ?? 0;
    this.intervalSteps = o.intervalSteps ?? 1;
    this.nMinTrials = o.nMinTrials ?? 1;
    if (this.nStartupTrials < 0 || this.nWarmupSteps < 0 || this.intervalSteps < 1 || this.nMinTrials < 1) throw new Error('invalid MedianPruner options');
  }

  prune(study: StudyView, trial: { intermediate: readonly { step: number; value: number }[] }): boolean {
    const completed = study.trials.filter((t) => t.state === 'complete');
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    if (trial.intermediate.length === 0) return false;
    const step = Math.max(...trial.intermediate.map((r) => r.step));
    if (step < this.nWarmupSteps) return false;
    // Only the first report in each interval window is checked.
    const windowStart = Math.floor((step - this.nWarmupSteps) / this.intervalSteps) * this.intervalSteps + this.nWarmupSteps;
    const previousStep = trial.intermediate.reduce((m, r) => (r.step > m && r.step !== step ? r.step : m), -1);
    if (previousStep >= windowStart) return false;
    const values = trial.intermediate.map((r) => r.value).filter((v) => !Number.isNaN(v));
    if (values.length === 0) return true;
    const best = study.direction === 'minimize' ? Math.min(...values) : Math.max(...values);
    const atStep = completed.flatMap((t) => t.intermediate.filter((r) => r.step === step).map((r) => r.value));
    if (atStep.length < this.nMinTrials) return false;
    const median = nanMedian(atStep);
    if (Number.isNaN(median)) return false;
    return study.direction === 'minimize' ? best > median : best < median;
  }
}

/** The median ignoring NaNs, interpolating between the middle two (numpy's default). */
export function nanMedian(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = 0.5 * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}
