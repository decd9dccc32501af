/** Special functions for the feature-selection tests: log-gamma, the incomplete beta, F tails, digamma. */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7): about 15 significant digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the incomplete beta (modified Lentz), valid for x < (a+1)/(a+b+2). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/**
 * The regularized incomplete beta I_x(a, b), given x and 1 − x separately so that neither
 * loses digits to a subtraction; each tail is computed directly where it is the small one.
 */
export function betaRegularized(x: number, oneMinusX: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (oneMinusX <= 0) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(oneMinusX);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaFraction(b, a, oneMinusX)) / b;
}

/** P(F > f) for an F(d1, d2) variable: scipy's `f.sf` / `fdtrc`. NaN for a NaN statistic. */
export function fSurvival(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f <= 0) return 1;
  if (!Number.isFinite(f)) return 0;
  const denom = d2 + d1 * f;
  return betaRegularized(d2 / denom, (d1 * f) / denom, d2 / 2, d1 / 2);
}

/** ψ(x) for x > 0: the recurrence up to x ≥ 10, then the asymptotic series (about 1e-16 relative). */
export function digamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
  return shift + Math.log(x) - 0.5 / x - series;
}

/** ψ(0..n) as an array (index m holds ψ(m); ψ(0) is NaN), for estimators that look up integers. */
export function digammaTable(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  table[0] = NaN;
  for (let m = 1; m <= n; m++) table[m] = digamma(m);
  return table;
}
