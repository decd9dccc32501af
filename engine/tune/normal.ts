/**
 * The normal distribution's CDF in log space, accurate far into the tails, and the truncated
 * normal (its inverse CDF and log density) the TPE's Parzen estimators are made of.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

/**
 * erfc for x ≥ 2.5 as e^{−x²}/√π · 1/D(x), with D the continued fraction
 * x + (1/2)/(x + 1/(x + (3/2)/(x + …))) evaluated from the bottom up; returns D.
 */
function erfcDenominator(x: number): number {
  let t = x;
  for (let k = 120; k >= 1; k--) t = x + k / 2 / t;
  return t;
}

/** erf by its series e^{−x²}·2/√π·Σ 2ⁿx^{2n+1}/(2n+1)!!, all terms positive (used for |x| < 2.5). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return Math.exp(-x * x - LOG_SQRT_PI) / erfcDenominator(x);
}

/** log(erfc(x)), finite for every finite x. */
export function logErfc(x: number): number {
  if (x >= 2.5) return -x * x - LOG_SQRT_PI - Math.log(erfcDenominator(x));
  if (x >= 0) return Math.log(erfc(x));
  return Math.log(2 - erfc(-x));
}

/** The standard normal CDF Φ. */
export function ndtr(a: number): number {
  return 0.5 * erfc(-a / Math.SQRT2);
}

/** log Φ(a), accurate in both tails. */
export function logNdtr(a: number): number {
  if (a > 0) return Math.log1p(-0.5 * erfc(a / Math.SQRT2));
  return Math.log(0.5) + logErfc(-a / Math.SQRT2);
}

export function normLogPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

export function normPdf(x: number): number {
  return Math.exp(normLogPdf(x));
}

function logAddExp(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  const m = Math.max(p, q);
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

/** log(e^p − e^q) for p ≥ q. */
function logDiffExp(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log of the standard normal's mass in [a, b], computed in whichever tail is accurate. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiffExp(logNdtr(b), logNdtr(a));
  if (a > 0) return logGaussMass(-b, -a);
  // Straddles 0: the mass is close to 1, so subtract the two small tails instead.
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** The x with log Φ(x) = y, by bisection (log Φ is increasing). */
export function ndtriExp(y: number): number {
  let lo = -100;
  let hi = 100;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (logNdtr(mid) < y) lo = mid;
    else hi = mid;
    if (hi - lo <= 4e-16 * Math.max(1, Math.abs(mid))) break;
  }
  return 0.5 * (lo + hi);
}

/** Inverse CDF of the standard normal truncated to [a, b], at probability q. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (q <= 0) return a;
  if (q >= 1) return b;
  const mass = logGaussMass(a, b);
  // Work in the lower tail on whichever side keeps the numbers away from 1.
  if (a < 0) return ndtriExp(logAddExp(logNdtr(a), Math.log(q) + mass));
  return -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + mass));
}

/** Mills ratio Φ(−t)/φ(t) for t ≥ 0, without underflow in the tail. */
export function millsRatio(t: number): number {
  if (t >= 3.6) return 1 / (Math.SQRT2 * erfcDenominator(t / Math.SQRT2));
  return ndtr(-t) / normPdf(t);
}

/**
 * log of the expected improvement below `best` of a normal(mu, sigma) — log EI for
 * minimization — accurate when the improvement is tiny (z ≪ 0), where EI itself underflows.
 */
export function logExpectedImprovement(mu: number, sigma: number, best: number): number {
  if (!(sigma > 0)) return best > mu ? Math.log(best - mu) : -Infinity;
  const z = (best - mu) / sigma;
  let logH: number;
  if (z > -4) logH = Math.log(normPdf(z) + z * ndtr(z));
  else logH = normLogPdf(z) + Math.log(Math.max(1e-300, 1 + z * millsRatio(-z)));
  return Math.log(sigma) + logH;
}
