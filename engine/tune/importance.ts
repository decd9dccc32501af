import { choiceIndex, samplingBounds, toSamplingSpace, type Distribution } from './space.ts';
import type { FrozenTrial } from './study.ts';

/**
 * Parameter importance by the correlation ratio η²: for each param, the share of the variance of
 * the objective (over complete trials) explained by the param alone — the variance of the
 * per-group means, weighted by group size, over the total variance. Groups are the choices of a
 * categorical, and for a number `bins` equal-width bins of its range in the sampling space (log
 * for log scales). Main effects only (fANOVA's first-order terms, estimated by binning instead of
 * a random forest), then normalized to sum to 1. Params never varied get 0; fewer than 3 complete
 * trials, or a constant objective, give no importances.
 */
export function paramImportance(trials: readonly FrozenTrial[], space: Record<string, Distribution>, bins = 5): { param: string; importance: number }[] {
  const complete = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value));
  const names = Object.keys(space);
  if (complete.length < 3) return [];
  const values = complete.map((t) => t.value!);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const total = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (!(total > 0)) return [];
  const raw = names.map((name) => {
    const dist = space[name]!;
    const groups = new Map<number, number[]>();
    complete.forEach((t, i) => {
      if (!(name in t.params)) return;
      const g = group(dist, t.params[name]!, bins);
      const list = groups.get(g) ?? [];
      list.push(values[i]!);
      groups.set(g, list);
    });
    if (groups.size < 2) return 0;
    // Only trials that have the param count (conditional params), against their own mean.
    const all = [...groups.values()].flat();
    const m = all.reduce((s, v) => s + v, 0) / all.length;
    const tot = all.reduce((s, v) => s + (v - m) ** 2, 0);
    if (!(tot > 0)) return 0;
    let between = 0;
    for (const list of groups.values()) {
      const gm = list.reduce((s, v) => s + v, 0) / list.length;
      between += list.length * (gm - m) ** 2;
    }
    return between / tot;
  });
  const sum = raw.reduce((s, v) => s + v, 0);
  return names.map((param, i) => ({ param, importance: sum > 0 ? raw[i]! / sum : 0 })).sort((a, b) => b.importance - a.importance || (a.param < b.param ? -1 : 1));
}

function group(dist: Distribution, value: unknown, bins: number): number {
  if (dist.type === 'categorical') return choiceIndex(dist.choices, value as never);
  const [lo, hi] = samplingBounds(dist);
  const x = toSamplingSpace(dist, value as number);
  if (!(hi > lo)) return 0;
  return Math.min(bins - 1, Math.max(0, Math.floor(((x - lo) / (hi - lo)) * bins)));
}
