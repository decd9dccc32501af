import type { ColumnInfo } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { doubleLiteral, ident } from '../sql/quote.ts';
import { Ticker, type FitControl } from './control.ts';
import { type Label, labelSql, labelText } from './labels.ts';
import { choleskySolve } from './linalg.ts';

export interface LogisticState {
  /** Sorted class labels; for two classes the second is the positive one. */
  classes: Label[];
  /** One row of weights per class (multinomial), or a single row for the positive class (binary). */
  coef: number[][];
  intercept: number[];
  /** The target's DuckDB type, so predicted labels have it too. */
  targetType: string;
  /** How the fit ended, for the record. */
  solver: { method: 'newton' | 'lbfgs'; iterations: number; gradientNorm: number };
}

/**
 * L2-regularized logistic regression with scikit-learn's objective (LogisticRegression with
 * the lbfgs solver): minimizes Σᵢ loss(xᵢ, yᵢ) + ‖W‖²/(2C), the intercepts unpenalized.
 * Two classes: one weight vector and the sigmoid (classes[1] is the positive class).
 * More: the multinomial (softmax) loss with one weight vector per class; as there, the
 * intercepts sum to zero (the softmax is unchanged by a common shift, and scikit-learn's
 * iterates never leave that subspace).
 * Solved by Newton's method with a backtracking line search (exact Hessian) while the Hessian
 * is small enough to factor; by L-BFGS otherwise. Both run to a far tighter tolerance than
 * scikit-learn's default.
 */
export async function fitLogistic(
  X: Float64Array[],
  y: Int32Array,
  classCount: number,
  C: number,
  control: FitControl & { solver?: 'newton' | 'lbfgs' } = {},
): Promise<Omit<LogisticState, 'classes' | 'targetType'>> {
  const n = y.length;
  const p = X.length;
  const K = classCount === 2 ? 1 : classCount;
  const dim = K * (p + 1);
  const problem = new Objective(X, y, K, C);
  const useNewton = control.solver ? control.solver === 'newton' : dim <= 400 && n * dim * dim <= 2e9;
  const ticker = new Ticker(control);
  const theta = new Float64Array(dim);
  const solver = useNewton ? await newton(problem, theta, ticker) : await lbfgs(problem, theta, ticker);
  const coef: number[][] = [];
  const intercept: number[] = [];
  for (let k = 0; k < K; k++) {
    coef.push(Array.from(theta.subarray(k * (p + 1), k * (p + 1) + p)));
    intercept.push(theta[k * (p + 1) + p]!);
  }
  if (K > 1) {
    // Only differences of intercepts matter; scikit-learn's solution has them summing to zero.
    const shift = intercept.reduce((s, b) => s + b, 0) / K;
    for (let k = 0; k < K; k++) intercept[k] = intercept[k]! - shift;
  }
  return { coef, intercept, solver };
}

/** The objective, its gradient and Hessian; parameters are K blocks of p weights and an intercept. */
class Objective {
  readonly n: number;
  readonly p: number;
  readonly dim: number;
  constructor(
    readonly X: Float64Array[],
    readonly y: Int32Array,
    readonly K: number,
    readonly C: number,
  ) {
    this.n = y.length;
    this.p = X.length;
    this.dim = K * (this.p + 1);
  }

  /** Decision values at theta, class-major: z[k·n + i] (contiguous per class, as the columns of X). */
  scores(theta: Float64Array): Float64Array {
    const { n, p, K, X } = this;
    const z = new Float64Array(n * K);
    for (let k = 0; k < K; k++) {
      const base = k * (p + 1);
      const zk = z.subarray(k * n, (k + 1) * n);
      zk.fill(theta[base + p]!);
      for (let j = 0; j < p; j++) {
        const w = theta[base + j]!;
        if (w === 0) continue;
        const col = X[j]!;
        for (let i = 0; i < n; i++) zk[i] = zk[i]! + w * col[i]!;
      }
    }
    return z;
  }

  /** Value at theta, and (into `grad`, when given) the gradient; `probs` gets P, class-major (p[k·n + i]). */
  evaluate(theta: Float64Array, grad?: Float64Array, probs?: Float64Array): number {
    const { n, p, K, X, y, C } = this;
    const z = this.scores(theta);
    let f = 0;
    // residual r = P − Y, class-major like z (z is overwritten with it)
    const r = z;
    if (K === 1) {
      for (let i = 0; i < n; i++) {
        const zi = z[i]!;
        const yi = y[i] === 1 ? 1 : 0;
        f += softplus(zi) - yi * zi;
        const pi = sigmoid(zi);
        if (probs) probs[i] = pi;
        r[i] = pi - yi;
      }
    } else {
      for (let i = 0; i < n; i++) {
        let m = -Infinity;
        for (let k = 0; k < K; k++) m = Math.max(m, z[k * n + i]!);
        let s = 0;
        for (let k = 0; k < K; k++) s += Math.exp(z[k * n + i]! - m);
        const lse = m + Math.log(s);
        f += lse - z[y[i]! * n + i]!;
        for (let k = 0; k < K; k++) {
          const pk = Math.exp(z[k * n + i]! - lse);
          if (probs) probs[k * n + i] = pk;
          r[k * n + i] = pk - (y[i] === k ? 1 : 0);
        }
      }
    }
    let penalty = 0;
    for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) penalty += theta[k * (p + 1) + j]! ** 2;
    f += penalty / (2 * C);
    if (grad) {
      for (let k = 0; k < K; k++) {
        const base = k * (p + 1);
        const rk = r.subarray(k * n, (k + 1) * n);
        for (let j = 0; j < p; j++) {
          const col = X[j]!;
          let s = 0;
          for (let i = 0; i < n; i++) s += col[i]! * rk[i]!;
          grad[base + j] = s + theta[base + j]! / C;
        }
        let s = 0;
        for (let i = 0; i < n; i++) s += rk[i]!;
        grad[base + p] = s;
      }
    }
    return f;
  }

  /** The Hessian (dim × dim, row-major) from P; for the multinomial loss plus u·uᵀ along the intercepts' common shift. */
  hessian(probs: Float64Array): Float64Array {
    const { n, p, K, X, C, dim } = this;
    const P = p + 1;
    const h = new Float64Array(dim * dim);
    const w = new Float64Array(n);
    const col = (j: number) => (j < p ? X[j]! : null);
    for (let k = 0; k < K; k++) {
      for (let l = k; l < K; l++) {
        for (let i = 0; i < n; i++) {
          if (K === 1) w[i] = probs[i]! * (1 - probs[i]!);
          else w[i] = probs[k * n + i]! * ((k === l ? 1 : 0) - probs[l * n + i]!);
        }
        for (let a = 0; a < P; a++) {
          const xa = col(a);
          for (let b = a; b < P; b++) {
            const xb = col(b);
            let s = 0;
            if (xa && xb) for (let i = 0; i < n; i++) s += w[i]! * xa[i]! * xb[i]!;
            else if (xa) for (let i = 0; i < n; i++) s += w[i]! * xa[i]!;
            else if (xb) for (let i = 0; i < n; i++) s += w[i]! * xb[i]!;
            else for (let i = 0; i < n; i++) s += w[i]!;
            const r1 = k * P + a;
            const c1 = l * P + b;
            const r2 = k * P + b;
            const c2 = l * P + a;
            h[r1 * dim + c1] = s;
            h[c1 * dim + r1] = s;
            h[r2 * dim + c2] = s;
            h[c2 * dim + r2] = s;
          }
        }
      }
      for (let j = 0; j < p; j++) h[(k * P + j) * dim + k * P + j] = h[(k * P + j) * dim + k * P + j]! + 1 / C;
    }
    if (K > 1) {
      // The loss is flat along a common shift of the intercepts; the gradient never has a
      // component there, so adding u·uᵀ (u the unit shift) leaves the Newton step unchanged.
      for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) h[(k * P + p) * dim + l * P + p] = h[(k * P + p) * dim + l * P + p]! + 1 / K;
    }
    return h;
  }
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The logistic function as scipy's `expit`: no overflow on either side. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

async function newton(problem: Objective, theta: Float64Array, ticker: Ticker): Promise<LogisticState['solver']> {
  const dim = problem.dim;
  const grad = new Float64Array(dim);
  const probs = new Float64Array(problem.n * problem.K);
  let f = problem.evaluate(theta, grad, probs);
  const maxIter = 200;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    await ticker.tick(iter, maxIter, `Newton iteration ${iter + 1}: objective ${f.toPrecision(10)}`);
    const h = problem.hessian(probs);
    const neg = Float64Array.from(grad, (g) => -g);
    let step = choleskySolve(h, neg, dim);
    for (let ridge = 1e-10; !step && ridge < 1e10; ridge *= 100) {
      // Not positive definite in floating point (separable data, huge C): damp the step.
      const damped = Float64Array.from(h);
      const scale = Math.max(1, ...Array.from({ length: dim }, (_, i) => Math.abs(h[i * dim + i]!)));
      for (let i = 0; i < dim; i++) damped[i * dim + i] = damped[i * dim + i]! + ridge * scale;
      step = choleskySolve(damped, neg, dim);
    }
    if (!step) break;
    const slope = dotProduct(grad, step);
    if (!(slope < 0)) break;
    let t = 1;
    const next = new Float64Array(dim);
    const nextGrad = new Float64Array(dim);
    const nextProbs = new Float64Array(probs.length);
    let fNext = Infinity;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < dim; i++) next[i] = theta[i]! + t * step[i]!;
      fNext = problem.evaluate(next, nextGrad, nextProbs);
      if (fNext <= f + 1e-4 * t * slope) break;
      t /= 2;
    }
    if (!(fNext <= f)) break;
    const moved = t * maxAbs(step);
    theta.set(next);
    grad.set(nextGrad);
    probs.set(nextProbs);
    const change = f - fNext;
    f = fNext;
    // Quadratic convergence: once a full step is this small the next one is below rounding.
    if (moved <= 1e-13 * Math.max(1, maxAbs(theta)) || change <= 1e-16 * Math.abs(f)) {
      iter++;
      break;
    }
  }
  return { method: 'newton', iterations: iter, gradientNorm: maxAbs(grad) };
}

/** Limited-memory BFGS (10 pairs) with an Armijo backtracking line search. */
async function lbfgs(problem: Objective, theta: Float64Array, ticker: Ticker): Promise<LogisticState['solver']> {
  const dim = problem.dim;
  const memory = 10;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const grad = new Float64Array(dim);
  let f = problem.evaluate(theta, grad);
  const g0 = Math.max(1, maxAbs(grad));
  const maxIter = 20_000;
  let stalled = 0;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    if (maxAbs(grad) <= 1e-10 * g0) break;
    await ticker.tick(iter, maxIter, `L-BFGS iteration ${iter + 1}: objective ${f.toPrecision(10)}`);
    // Two-loop recursion: d = −H·g.
    const q = Float64Array.from(grad);
    const alpha = new Array<number>(S.length);
    for (let m = S.length - 1; m >= 0; m--) {
      alpha[m] = rho[m]! * dotProduct(S[m]!, q);
      for (let i = 0; i < dim; i++) q[i] = q[i]! - alpha[m]! * Y[m]![i]!;
    }
    const last = S.length - 1;
    const gamma = last >= 0 ? dotProduct(S[last]!, Y[last]!) / dotProduct(Y[last]!, Y[last]!) : 1 / maxAbs(grad);
    for (let i = 0; i < dim; i++) q[i] = q[i]! * gamma;
    for (let m = 0; m < S.length; m++) {
      const beta = rho[m]! * dotProduct(Y[m]!, q);
      for (let i = 0; i < dim; i++) q[i] = q[i]! + S[m]![i]! * (alpha[m]! - beta);
    }
    const d = q.map((v) => -v);
    let slope = dotProduct(grad, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < dim; i++) d[i] = -grad[i]! / maxAbs(grad);
      slope = dotProduct(grad, d);
    }
    let t = 1;
    const next = new Float64Array(dim);
    const nextGrad = new Float64Array(dim);
    let fNext = Infinity;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < dim; i++) next[i] = theta[i]! + t * d[i]!;
      fNext = problem.evaluate(next, nextGrad);
      if (fNext <= f + 1e-4 * t * slope) break;
      t /= 2;
    }
    if (!(fNext <= f)) break;
    const s = new Float64Array(dim);
    const yv = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = next[i]! - theta[i]!;
      yv[i] = nextGrad[i]! - grad[i]!;
    }
    const sy = dotProduct(s, yv);
    if (sy > 1e-300) {
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    stalled = f - fNext <= 1e-16 * Math.abs(f) ? stalled + 1 : 0;
    theta.set(next);
    grad.set(nextGrad);
    f = fNext;
    if (stalled >= 5) break;
  }
  return { method: 'lbfgs', iterations: iter, gradientNorm: maxAbs(grad) };
}

/** Decision values of one row block: z[i][k] for the K' weight rows. */
function decisions(state: LogisticState, X: Float64Array[]): Float64Array[] {
  const n = X[0]?.length ?? 0;
  return state.coef.map((w, k) => {
    const z = new Float64Array(n).fill(state.intercept[k]!);
    w.forEach((c, j) => {
      const col = X[j]!;
      for (let i = 0; i < n; i++) z[i] = z[i]! + c * col[i]!;
    });
    return z;
  });
}

/**
 * Class probabilities (n × classes, row-major) and predicted class indices, as scikit-learn's
 * `predict_proba` and `predict` (the largest decision value; the first class on a tie).
 */
export function logisticPredict(state: LogisticState, X: Float64Array[]): { proba: Float64Array; predicted: Int32Array } {
  const n = X[0]?.length ?? 0;
  const z = decisions(state, X);
  const K = state.classes.length;
  const proba = new Float64Array(n * K);
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (z.length === 1) {
      const p1 = sigmoid(z[0]![i]!);
      proba[i * 2] = 1 - p1;
      proba[i * 2 + 1] = p1;
      predicted[i] = z[0]![i]! > 0 ? 1 : 0;
      continue;
    }
    let m = -Infinity;
    let arg = 0;
    for (let k = 0; k < K; k++) {
      if (z[k]![i]! > m) {
        m = z[k]![i]!;
        arg = k;
      }
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(z[k]![i]! - m);
    for (let k = 0; k < K; k++) proba[i * K + k] = Math.exp(z[k]![i]! - m) / s;
    predicted[i] = arg;
  }
  return { proba, predicted };
}

/** Column names of the class probabilities a multiclass model appends: `probability_<label>` (the label as Python prints it). */
export function probabilityColumns(classes: Label[], targetType: string): string[] {
  return classes.map((c) => `probability_${labelText(c, targetType)}`);
}

/**
 * The applier: the input with `prediction` and `probability` appended (binary: P(classes[1]);
 * multiclass: the predicted class's probability, and `probability_<label>` per class).
 */
export function logisticSql(state: LogisticState, features: ColumnInfo[], input: string, columns: ColumnInfo[]): string {
  const K = state.coef.length;
  const zs = state.coef.map((w, k) => [doubleLiteral(state.intercept[k]!), ...w.map((c, j) => `${doubleLiteral(c)} * ${ident(features[j]!.name)}::DOUBLE`)].join(' + '));
  const label = (i: number) => labelSql(state.classes[i]!, state.targetType);
  const zName = (k: number) => ident(`__kv_z${k}`);
  const inner = `SELECT *, ${zs.map((z, k) => `${z} AS ${zName(k)}`).join(', ')} FROM ${input}`;
  const appended: [string, string][] = [];
  if (K === 1) {
    const z = zName(0);
    // A NULL feature makes z NULL: the prediction is NULL too, not the first class.
    appended.push(['prediction', `CASE WHEN ${z} > 0 THEN ${label(1)} WHEN ${z} <= 0 THEN ${label(0)} END`]);
    appended.push(['probability', `CASE WHEN ${z} >= 0 THEN 1 / (1 + exp(-${z})) ELSE exp(${z}) / (1 + exp(${z})) END`]);
  } else {
    const m = ident('__kv_max');
    const e = (k: number) => `exp(${zName(k)} - ${m})`;
    const total = `(${state.classes.map((_, k) => e(k)).join(' + ')})`;
    const cases = state.classes.map((_, k) => `WHEN ${zName(k)} = ${m} THEN ${label(k)}`).join(' ');
    appended.push(['prediction', `CASE ${cases} END`]);
    appended.push(['probability', `1 / ${total}`]);
    probabilityColumns(state.classes, state.targetType).forEach((name, k) => appended.push([name, `${e(k)} / ${total}`]));
    const withMax = `SELECT *, greatest(${state.classes.map((_, k) => zName(k)).join(', ')}) AS ${m} FROM (${inner})`;
    return appendColumns(withMax, columns, appended);
  }
  return appendColumns(inner, columns, appended);
}

/**
 * `SELECT` of the input's columns (those not replaced) and the new ones, from a relation that
 * may have helper columns: an input column with a new column's name is replaced, not duplicated.
 */
export function appendColumns(relation: string, columns: ColumnInfo[], appended: [string, string][]): string {
  const replaced = new Set(appended.map(([name]) => name.toLowerCase()));
  const kept = columns.filter((c) => !replaced.has(c.name.toLowerCase())).map((c) => ident(c.name));
  return `SELECT ${[...kept, ...appended.map(([name, sql]) => `${sql} AS ${ident(name)}`)].join(', ')} FROM (${relation})`;
}

export function checkClasses(classes: Label[], node: string): void {
  if (classes.length < 2) {
    throw new PipelineError({ code: 'data', node, param: 'target', message: `the target has ${classes.length === 0 ? 'no values' : `only one class (${JSON.stringify(classes[0])})`}: a classifier needs at least two` });
  }
}

