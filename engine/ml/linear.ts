import type { ColumnInfo } from '../db/database.ts';
import { doubleLiteral, ident } from '../sql/quote.ts';
import { choleskySolve, leastSquares, mean } from './linalg.ts';

export type Penalty = 'none' | 'l2' | 'l1' | 'elasticnet';

export interface LinearState {
  coef: number[];
  intercept: number;
}

/**
 * Linear regression with scikit-learn's objectives, so coefficients agree:
 * - none: ordinary least squares (LinearRegression), by QR;
 * - l2: ‖y − Xw‖² + α‖w‖² (Ridge), by Cholesky on the normal equations;
 * - l1: ‖y − Xw‖²/(2n) + α‖w‖₁ (Lasso), and
 * - elasticnet: ‖y − Xw‖²/(2n) + αρ‖w‖₁ + α(1 − ρ)‖w‖²/2 (ElasticNet), by coordinate descent
 *   run to a far tighter tolerance than scikit-learn's default.
 * The intercept is not penalized: data are centered first, as scikit-learn does.
 */
export function fitLinear(X: Float64Array[], y: Float64Array, o: { penalty: Penalty; alpha: number; l1Ratio: number }): LinearState {
  const n = y.length;
  const p = X.length;
  const xMean = X.map(mean);
  const yMean = mean(y);
  const Xc = X.map((col, j) => Float64Array.from(col, (v) => v - xMean[j]!));
  const yc = Float64Array.from(y, (v) => v - yMean);
  let w: Float64Array;
  if (o.penalty === 'none' || (o.penalty === 'l2' && o.alpha === 0)) {
    w = leastSquares(Xc, yc);
  } else if (o.penalty === 'l2') {
    const gram = new Float64Array(p * p);
    const xty = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      for (let j = i; j < p; j++) {
        let s = 0;
        const a = Xc[i]!;
        const b = Xc[j]!;
        for (let r = 0; r < n; r++) s += a[r]! * b[r]!;
        gram[i * p + j] = s;
        gram[j * p + i] = s;
      }
      gram[i * p + i] = gram[i * p + i]! + o.alpha;
      let s = 0;
      for (let r = 0; r < n; r++) s += Xc[i]![r]! * yc[r]!;
      xty[i] = s;
    }
    w = choleskySolve(gram, xty, p) ?? leastSquares(Xc, yc);
  } else {
    const rho = o.penalty === 'l1' ? 1 : o.l1Ratio;
    w = coordinateDescent(Xc, yc, o.alpha * rho * n, o.alpha * (1 - rho) * n);
  }
  const intercept = yMean - w.reduce((s, wj, j) => s + wj * xMean[j]!, 0);
  return { coef: [...w], intercept };
}

/** min ½‖y − Xw‖² + l1‖w‖₁ + ½ l2‖w‖² by cyclic coordinate descent (centered data). */
function coordinateDescent(X: Float64Array[], y: Float64Array, l1: number, l2: number): Float64Array {
  const n = y.length;
  const p = X.length;
  const w = new Float64Array(p);
  const residual = Float64Array.from(y);
  const sq = X.map((col) => col.reduce((s, v) => s + v * v, 0));
  for (let iter = 0; iter < 100_000; iter++) {
    let maxChange = 0;
    let maxW = 0;
    for (let j = 0; j < p; j++) {
      const col = X[j]!;
      if (sq[j] === 0) continue;
      const old = w[j]!;
      let rho = 0;
      for (let r = 0; r < n; r++) rho += col[r]! * residual[r]!;
      rho += sq[j]! * old;
      const next = Math.sign(rho) * Math.max(Math.abs(rho) - l1, 0) / (sq[j]! + l2);
      if (next !== old) {
        const d = next - old;
        for (let r = 0; r < n; r++) residual[r] = residual[r]! - d * col[r]!;
        w[j] = next;
      }
      maxChange = Math.max(maxChange, Math.abs(next - old));
      maxW = Math.max(maxW, Math.abs(next));
    }
    if (maxChange <= 1e-13 * Math.max(maxW, 1e-12)) break;
  }
  return w;
}

/** The prediction as a SQL expression over the feature columns: exact, and fused by DuckDB. */
export function linearSql(state: LinearState, features: ColumnInfo[]): string {
  const terms = state.coef.map((c, j) => `${doubleLiteral(c)} * ${ident(features[j]!.name)}::DOUBLE`);
  return [doubleLiteral(state.intercept), ...terms].join(' + ');
}

export function linearPredict(state: LinearState, X: Float64Array[]): Float64Array {
  const n = X[0]?.length ?? 0;
  const out = new Float64Array(n).fill(state.intercept);
  state.coef.forEach((c, j) => {
    const col = X[j]!;
    for (let r = 0; r < n; r++) out[r] = out[r]! + c * col[r]!;
  });
  return out;
}

