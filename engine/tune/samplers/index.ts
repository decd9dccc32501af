import type { Sampler } from '../study.ts';
import { GpSampler } from './gp.ts';
import { RandomSampler } from './random.ts';
import { TpeSampler } from './tpe.ts';

export const samplerNames = ['tpe', 'random', 'gp'] as const;
export type SamplerName = (typeof samplerNames)[number];

export function createSampler(name: SamplerName): Sampler {
  if (name === 'random') return new RandomSampler();
  if (name === 'gp') return new GpSampler();
  return new TpeSampler();
}

export { GpSampler, RandomSampler, TpeSampler };
