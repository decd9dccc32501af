import type { Rng } from './rng.ts';

/** A categorical choice: any JSON scalar. */
export type Choice = string | number | boolean | null;
export type ParamValue = Choice;
export type Params = Record<string, ParamValue>;

/**
 * Where one param is searched, as Optuna's distributions: a float range (optionally searched on
 * a log scale), an integer range (log scale, or a step), or a list of choices.
 */
export type Distribution =
  | { type: 'float'; low: number; high: number; log?: boolean }
  | { type: 'int'; low: number; high: number; log?: boolean; step?: number }
  | { type: 'categorical'; choices: Choice[] };

/** Param name → distribution. */
export type SearchSpace = Record<string, Distribution>;

/** Why a distribution is invalid, or null. */
export function distributionProblem(d: Distribution): string | null {
  if (d.type === 'categorical') {
    if (d.choices.length === 0) return 'expected at least one choice';
    const seen = new Set(d.choices.map((c) => JSON.stringify(c)));
    if (seen.size !== d.choices.length) return 'choices must be distinct';
    return null;
  }
  if (!Number.isFinite(d.low) || !Number.isFinite(d.high)) return 'low and high must be finite numbers';
  if (d.low > d.high) return `low (${d.low}) must not exceed high (${d.high})`;
  if (d.log && d.low <= 0) return `a log-scale range needs low > 0 (got ${d.low})`;
  if (d.type === 'int') {
    if (!Number.isInteger(d.low) || !Number.isInteger(d.high)) return 'an int range needs integer low and high';
    const step = d.step ?? 1;
    if (!Number.isInteger(step) || step < 1) return 'step must be a positive integer';
    if (d.log && step !== 1) return 'a log-scale int range cannot have a step';
  }
  return null;
}

/** The largest value on the grid: `high` moved down to low + k·step, as Optuna does. */
function intHigh(d: Extract<Distribution, { type: 'int' }>): number {
  const step = d.step ?? 1;
  return d.low + Math.floor((d.high - d.low) / step) * step;
}

/** Whether the distribution has a single possible value (nothing to search). */
export function isSingle(d: Distribution): boolean {
  if (d.type === 'categorical') return d.choices.length === 1;
  if (d.type === 'int') return intHigh(d) === d.low;
  return d.low === d.high;
}

/** Whether `value` is one the distribution can produce. */
export function contains(d: Distribution, value: ParamValue): boolean {
  if (d.type === 'categorical') return choiceIndex(d.choices, value) >= 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (value < d.low || value > (d.type === 'int' ? intHigh(d) : d.high)) return false;
  if (d.type === 'int') return Number.isInteger(value) && (value - d.low) % (d.step ?? 1) === 0;
  return true;
}

export function choiceIndex(choices: readonly Choice[], value: ParamValue): number {
  return choices.findIndex((c) => c === value || (typeof c === 'number' && typeof value === 'number' && Number.isNaN(c) && Number.isNaN(value)));
}

/** The number a sampler works with: the value for numbers, the choice's index for categoricals. */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.type === 'categorical') {
    const i = choiceIndex(d.choices, value);
    if (i < 0) throw new Error(`${JSON.stringify(value)} is not one of the choices`);
    return i;
  }
  return value as number;
}

export function toExternal(d: Distribution, internal: number): ParamValue {
  return d.type === 'categorical' ? d.choices[internal]! : internal;
}

/**
 * Bounds of the space a numeric param is sampled in: log-transformed for log scales, and
 * widened by half a step each side for ints so the end values are as likely as the others.
 */
export function samplingBounds(d: Exclude<Distribution, { type: 'categorical' }>): [number, number] {
  if (d.type === 'float') return d.log ? [Math.log(d.low), Math.log(d.high)] : [d.low, d.high];
  const half = 0.5 * (d.step ?? 1);
  const high = intHigh(d);
  return d.log ? [Math.log(d.low - half), Math.log(high + half)] : [d.low - half, high + half];
}

/** A point of the sampling space back to a value: exp for log scales, rounded to the int grid. */
export function fromSamplingSpace(d: Exclude<Distribution, { type: 'categorical' }>, x: number): number {
  if (d.type === 'float') {
    const v = d.log ? Math.exp(x) : x;
    return Math.min(d.high, Math.max(d.low, v));
  }
  const high = intHigh(d);
  if (d.log) return Math.min(high, Math.max(d.low, Math.round(Math.exp(x))));
  const step = d.step ?? 1;
  return Math.min(high, Math.max(d.low, Math.round((x - d.low) / step) * step + d.low));
}

export function toSamplingSpace(d: Exclude<Distribution, { type: 'categorical' }>, v: number): number {
  return d.log ? Math.log(v) : v;
}

/** A value drawn uniformly (in the log space for log scales), as Optuna's RandomSampler draws. */
export function sampleUniform(d: Distribution, rng: Rng): ParamValue {
  if (d.type === 'categorical') return d.choices[rng.int(d.choices.length)]!;
  if (isSingle(d)) return d.low;
  const [lo, hi] = samplingBounds(d);
  return fromSamplingSpace(d, rng.uniform(lo, hi));
}

export function sameDistribution(a: Distribution, b: Distribution): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(d: Distribution): Distribution {
  if (d.type === 'categorical') return { type: 'categorical', choices: d.choices };
  if (d.type === 'int') return { type: 'int', low: d.low, high: d.high, log: Boolean(d.log), step: d.step ?? 1 };
  return { type: 'float', low: d.low, high: d.high, log: Boolean(d.log) };
}

/** One line for reports: `float [0.0001, 10] log`, `int [1, 8]`, `{l1, l2}`. */
export function describeDistribution(d: Distribution): string {
  if (d.type === 'categorical') return `{${d.choices.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join(', ')}}`;
  const step = d.type === 'int' && (d.step ?? 1) !== 1 ? ` step ${d.step}` : '';
  return `${d.type} [${d.low}, ${d.high}]${d.log ? ' log' : ''}${step}`;
}
