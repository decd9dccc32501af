/** Small dense linear algebra for model fitting (row-major square matrices as Float64Array). */

/** Solves A x = b for symmetric positive-definite A (n×n) by Cholesky; null if A is not PD. */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const l = cholesky(a, n);
  return l && backSubst(l, forwardSubst(l, b, n), n);
}

/** Lower Cholesky factor (row-major), or null if not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / l[j * n + j]!;
    }
  }
  return l;
}

/** Solves L y = b for lower-triangular L. */
export function forwardSubst(l: Float64Array, b: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  return y;
}

/** Solves Lᵀ x = y for lower-triangular L. */
export function backSubst(l: Float64Array, y: Float64Array, n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}

/**
 * Least squares min ||X w − y|| by Householder QR on the columns of X (column-major, m rows):
 * stable where the normal equations lose digits. Columns that are (numerically) dependent get
 * a zero coefficient, as a rank-revealing solver would give a minimum-norm-ish answer.
 */
export function leastSquares(columns: Float64Array[], y: Float64Array): Float64Array {
  const m = y.length;
  const n = columns.length;
  const r = columns.map((c) => Float64Array.from(c));
  const qty = Float64Array.from(y);
  const diag = new Float64Array(n);
  const scale = Math.max(1e-300, ...r.map((c) => norm(c)));
  for (let k = 0; k < n; k++) {
    const col = r[k]!;
    let s = 0;
    for (let i = k; i < m; i++) s += col[i]! * col[i]!;
    const alpha = -Math.sign(col[k]! || 1) * Math.sqrt(s);
    diag[k] = alpha;
    if (Math.abs(alpha) <= 1e-12 * scale) continue;
    // The Householder vector v = x − αe₁ is stored in place of the column.
    col[k] = col[k]! - alpha;
    let v2 = 0;
    for (let i = k; i < m; i++) v2 += col[i]! * col[i]!;
    if (v2 === 0) continue;
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = k; i < m; i++) dot += col[i]! * target[i]!;
      const f = (2 * dot) / v2;
      for (let i = k; i < m; i++) target[i] = target[i]! - f * col[i]!;
    };
    for (let j = k + 1; j < n; j++) reflect(r[j]!);
    reflect(qty);
  }
  const w = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    if (Math.abs(diag[k]!) <= 1e-12 * scale) {
      w[k] = 0;
      continue;
    }
    let sum = qty[k]!;
    for (let j = k + 1; j < n; j++) sum -= r[j]![k]! * w[j]!;
    w[k] = sum / diag[k]!;
  }
  return w;
}

export function norm(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

export function mean(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  return v.length ? s / v.length : 0;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
