import { deriveSeed, Rng } from './rng.ts';
import { contains, distributionProblem, isSingle, sameDistribution, type Distribution, type Params, type ParamValue, type SearchSpace } from './space.ts';

export type Direction = 'minimize' | 'maximize';
export type TrialState = 'complete' | 'pruned' | 'failed';

/** A finished trial, as stored (JSON): what was tried, what it gave, and how it ended. */
export interface FrozenTrial {
  number: number;
  state: TrialState;
  params: Params;
  /** The objective value (complete trials), null otherwise. */
  value: number | null;
  /** Values reported on the way (e.g. the running mean over CV folds), by step. */
  intermediate: { step: number; value: number }[];
  durationMs: number;
  /** Why a failed trial failed. */
  error?: string;
}

/** What samplers and pruners see of a study. */
export interface StudyView {
  direction: Direction;
  /** Finished trials (complete, pruned and failed), in order. */
  trials: readonly FrozenTrial[];
  /** The distribution each param name has been suggested with. */
  distributions: ReadonlyMap<string, Distribution>;
  /** The joint space declared up front, if any (relative samplers search it as a whole). */
  space?: SearchSpace;
}

export interface Sampler {
  readonly name: string;
  /**
   * Values for several params at once at the start of a trial (a GP models them jointly); params
   * it leaves out are asked of `sampleIndependent` when suggested.
   */
  sampleRelative?(study: StudyView, rng: Rng): Params;
  sampleIndependent(study: StudyView, name: string, dist: Distribution, rng: Rng): ParamValue;
}

export interface Pruner {
  /** Whether to stop `trial` now, after its latest intermediate value. */
  prune(study: StudyView, trial: { number: number; intermediate: readonly { step: number; value: number }[] }): boolean;
}

/** Thrown by an objective (after `shouldPrune()`) to end the trial as pruned. */
export class TrialPruned extends Error {
  constructor() {
    super('trial pruned');
    this.name = 'TrialPruned';
  }
}

/** The trial an objective runs: it suggests params and reports intermediate values. */
export class Trial {
  readonly params: Params = {};
  readonly intermediate: { step: number; value: number }[] = [];
  private relative: Params | undefined;

  constructor(
    readonly number: number,
    private readonly study: Study,
    readonly rng: Rng,
  ) {}

  suggest(name: string, dist: Distribution): ParamValue {
    if (name in this.params) return this.params[name]!;
    const problem = distributionProblem(dist);
    if (problem) throw new Error(`param "${name}": ${problem}`);
    const known = this.study.distributions.get(name);
    if (known && !sameDistribution(known, dist)) throw new Error(`param "${name}" was suggested before with a different range`);
    if (!known) this.study.distributions.set(name, dist);
    let value: ParamValue;
    if (isSingle(dist)) value = dist.type === 'categorical' ? dist.choices[0]! : dist.low;
    else {
      this.relative ??= this.study.sampler.sampleRelative?.(this.study.view(), this.rng) ?? {};
      const rel = this.relative[name];
      value = rel !== undefined && contains(dist, rel) ? rel : this.study.sampler.sampleIndependent(this.study.view(), name, dist, this.rng);
    }
    this.params[name] = value;
    return value;
  }

  suggestFloat(name: string, low: number, high: number, o: { log?: boolean } = {}): number {
    return this.suggest(name, { type: 'float', low, high, ...(o.log ? { log: true } : {}) }) as number;
  }

  suggestInt(name: string, low: number, high: number, o: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, { type: 'int', low, high, ...(o.log ? { log: true } : {}), ...(o.step ? { step: o.step } : {}) }) as number;
  }

  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T {
    return this.suggest(name, { type: 'categorical', choices: [...choices] }) as T;
  }

  /** An intermediate value at `step` (a step reported twice keeps the first, as Optuna). */
  report(value: number, step: number): void {
    if (this.intermediate.some((r) => r.step === step)) return;
    this.intermediate.push({ step, value });
  }

  shouldPrune(): boolean {
    return this.study.pruner?.prune(this.study.view(), { number: this.number, intermediate: this.intermediate }) ?? false;
  }
}

export interface OptimizeOptions {
  /** Trials to run in this call (on top of those the study has). */
  nTrials: number;
  /** Stop starting trials once this much time has passed (a running trial finishes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The clock for the time budget (injectable for tests). */
  now?: () => number;
  /** After each trial, e.g. to report progress or save a checkpoint. */
  onTrial?: (trial: FrozenTrial) => void | Promise<void>;
}

export type StopReason = 'trials' | 'timeout' | 'cancelled';

/**
 * A study: trials proposed by a sampler, stopped early by a pruner, each run by an objective.
 * Each trial draws from its own random stream, derived from the study's seed and the trial's
 * number, and samplers are functions of the finished trials: the same seed gives the same
 * trials, and a study resumed from stored trials continues exactly as if never stopped.
 */
export class Study {
  readonly trials: FrozenTrial[];
  readonly distributions = new Map<string, Distribution>();
  readonly direction: Direction;
  readonly sampler: Sampler;
  readonly pruner: Pruner | undefined;
  readonly seed: number;
  readonly space: SearchSpace | undefined;

  /**
   * `trials` resumes a study; with them give the `distributions` their params were drawn from
   * (a study's `distributions` map), unless a declared `space` covers them.
   */
  constructor(o: { direction: Direction; sampler: Sampler; pruner?: Pruner; seed: number; space?: SearchSpace; trials?: FrozenTrial[]; distributions?: Record<string, Distribution> }) {
    this.direction = o.direction;
    this.sampler = o.sampler;
    this.pruner = o.pruner;
    this.seed = o.seed;
    this.space = o.space;
    this.trials = [...(o.trials ?? [])];
    for (const [name, dist] of Object.entries({ ...o.distributions, ...o.space })) this.distributions.set(name, dist);
  }

  view(): StudyView {
    return { direction: this.direction, trials: this.trials, distributions: this.distributions, ...(this.space ? { space: this.space } : {}) };
  }

  get best(): FrozenTrial | undefined {
    return bestTrial(this.trials, this.direction);
  }

  /** A trial to run next (its number follows the stored trials). */
  ask(): Trial {
    const number = this.trials.length;
    return new Trial(number, this, new Rng(deriveSeed(this.seed, number)));
  }

  tell(trial: Trial, outcome: { state: TrialState; value?: number; error?: string }, durationMs: number): FrozenTrial {
    const value = outcome.state === 'complete' ? outcome.value! : null;
    // A NaN objective is a failure, as in Optuna.
    const failed = outcome.state === 'complete' && (value === null || Number.isNaN(value));
    const frozen: FrozenTrial = {
      number: trial.number,
      state: failed ? 'failed' : outcome.state,
      params: { ...trial.params },
      value: failed ? null : value,
      intermediate: [...trial.intermediate],
      durationMs,
      ...(outcome.error ? { error: outcome.error } : failed ? { error: 'the objective returned NaN' } : {}),
    };
    this.trials.push(frozen);
    return frozen;
  }

  async optimize(objective: (trial: Trial) => number | Promise<number>, o: OptimizeOptions): Promise<StopReason> {
    const now = o.now ?? (() => Date.now());
    const start = now();
    for (let i = 0; i < o.nTrials; i++) {
      if (o.signal?.aborted) return 'cancelled';
      if (o.timeoutMs !== undefined && now() - start >= o.timeoutMs) return 'timeout';
      const trial = this.ask();
      const t0 = now();
      let outcome: { state: TrialState; value?: number; error?: string };
      try {
        outcome = { state: 'complete', value: await objective(trial) };
      } catch (err) {
        if (err instanceof TrialPruned) outcome = { state: 'pruned' };
        else if (o.signal?.aborted || (err as Error)?.name === 'AbortError') return 'cancelled';
        else throw err;
      }
      const frozen = this.tell(trial, outcome, Math.max(0, now() - t0));
      await o.onTrial?.(frozen);
    }
    return o.signal?.aborted ? 'cancelled' : 'trials';
  }
}

export function bestTrial(trials: readonly FrozenTrial[], direction: Direction): FrozenTrial | undefined {
  let best: FrozenTrial | undefined;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === null) continue;
    if (!best || (direction === 'minimize' ? t.value < best.value! : t.value > best.value!)) best = t;
  }
  return best;
}
