/** Regression metrics as scikit-learn computes them. */
export function regressionMetrics(y: Float64Array, pred: Float64Array): { mse: number; rmse: number; mae: number; r2: number } {
  const n = y.length;
  let se = 0;
  let ae = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i]! - pred[i]!;
    se += d * d;
    ae += Math.abs(d);
    ss += (y[i]! - mean) ** 2;
  }
  const mse = se / n;
  // scikit-learn's r2_score: 1 − SSres/SStot, and 1.0 (perfect) or 0.0 when y is constant.
  const r2 = ss === 0 ? (se === 0 ? 1 : 0) : 1 - se / ss;
  return { mse, rmse: Math.sqrt(mse), mae: ae / n, r2 };
}
