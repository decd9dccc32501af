/**
 * numpy's legacy `RandomState` (MT19937), as scikit-learn uses it for `random_state=<int>`:
 * the same seed gives the same stream of doubles, normals and shuffles here as in numpy, so
 * seeded steps (k-fold shuffles, the noise of the mutual-information estimator) pick what
 * scikit-learn picks, and exported code that passes the seed to scikit-learn reproduces them.
 */
export class RandomState {
  private readonly mt = new Uint32Array(624);
  private index = 624;
  private gauss: number | null = null;

  /** `np.random.RandomState(seed)` for an integer seed in [0, 2³² − 1]. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, mod 2^32, without losing bits to doubles.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** The next 32-bit output (genrand_int32). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random_sample()`: a double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `standard_normal()`: the legacy polar Box–Muller method, one value kept for the next call. */
  standardNormal(): number {
    if (this.gauss !== null) {
      const g = this.gauss;
      this.gauss = null;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    return f * x2;
  }

  /** A uniform integer in [0, max] by masked rejection (numpy's `random_interval`, max < 2³²). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** `shuffle(x)` in place: Fisher–Yates from the end, as numpy's legacy shuffle of a 1-d array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(x: T): T {
    for (let i = x.length - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }
}
