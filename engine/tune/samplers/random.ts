import type { Rng } from '../rng.ts';
import { sampleUniform, type Distribution, type ParamValue } from '../space.ts';
import type { Sampler } from '../study.ts';

/** Each param uniformly (log-uniformly on log scales), independent of past trials. */
export class RandomSampler implements Sampler {
  readonly name = 'random';

  sampleIndependent(_study: unknown, _name: string, dist: Distribution, rng: Rng): ParamValue {
    return sampleUniform(dist, rng);
  }
}
