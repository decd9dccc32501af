/**
 * Preprocessing steps the AutoML search combines with models, fitted on training folds:
 * univariate feature selection (scikit-learn's SelectKBest with f_regression / f_classif),
 * standard scaling (StandardScaler, as features.scale) and degree-2 polynomial features
 * (PolynomialFeatures(degree=2, include_bias=False)).
 */
import type { ColumnInfo } from '../db/database.ts';
import { ident } from '../sql/quote.ts';
import { fitScale, type ScaleState } from '../ml/scale.ts';
import type { TrainData } from './models.ts';

/**
 * Univariate F statistics of each feature against the target: for regression, scikit-learn's
 * f_regression (r²/(1 − r²)·(n − 2), r the Pearson correlation); for classes, f_classif (one-way
 * ANOVA). A constant feature scores NaN, which ranks lowest.
 */
export function fScores(d: TrainData): number[] {
  const n = d.y.length;
  if (d.task === 'regression') {
    const ym = mean(d.y);
    let syy = 0;
    for (let i = 0; i < n; i++) syy += (d.y[i]! - ym) ** 2;
    return d.X.map((x) => {
      const xm = mean(x);
      let sxy = 0;
      let sxx = 0;
      for (let i = 0; i < n; i++) {
        sxy += (x[i]! - xm) * (d.y[i]! - ym);
        sxx += (x[i]! - xm) ** 2;
      }
      const r = sxy / Math.sqrt(sxx * syy);
      return ((r * r) / (1 - r * r)) * (n - 2);
    });
  }
  const k = d.classes.length;
  return d.X.map((x) => {
    const sums = new Float64Array(k);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      sums[d.y[i]!] = sums[d.y[i]!]! + x[i]!;
      counts[d.y[i]!] = counts[d.y[i]!]! + 1;
    }
    const grand = mean(x);
    let between = 0;
    let within = 0;
    for (let c = 0; c < k; c++) if (counts[c]! > 0) between += counts[c]! * (sums[c]! / counts[c]! - grand) ** 2;
    for (let i = 0; i < n; i++) within += (x[i]! - sums[d.y[i]!]! / counts[d.y[i]!]!) ** 2;
    const groups = [...counts].filter((c) => c > 0).length;
    return between / (groups - 1) / (within / (n - groups));
  });
}

/**
 * Indices of the k best features, in column order: as SelectKBest, the last k of a stable
 * ascending sort of the scores (NaN first), so ties go to the later column.
 */
export function selectK(scores: number[], k: number): number[] {
  if (k >= scores.length) return scores.map((_, i) => i);
  const key = (s: number) => (Number.isNaN(s) ? -Infinity : s);
  const order = scores.map((_, i) => i).sort((a, b) => key(scores[a]!) - key(scores[b]!) || a - b);
  return order.slice(order.length - k).sort((a, b) => a - b);
}

export function applyScale(X: Float64Array[], s: ScaleState): Float64Array[] {
  return X.map((col, j) => Float64Array.from(col, (v) => (v - s.columns[j]!.shift) / s.columns[j]!.scale));
}

export interface PolyState {
  degree: 2;
  /** Input columns, in order. */
  inputs: string[];
  /** Output columns after the inputs: products of pairs of inputs (i ≤ j), scikit-learn's order. */
  terms: { name: string; left: string; right: string }[];
}

/** Degree-2 terms named as scikit-learn's get_feature_names_out: `a^2`, `a b`. */
export function fitPoly(names: string[]): PolyState {
  const terms: PolyState['terms'] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i; j < names.length; j++) terms.push({ name: i === j ? `${names[i]}^2` : `${names[i]} ${names[j]}`, left: names[i]!, right: names[j]! });
  }
  return { degree: 2, inputs: names, terms };
}

/** Inputs then products, as PolynomialFeatures(2, include_bias=False) orders its output. */
export function applyPoly(X: Float64Array[]): Float64Array[] {
  const out = [...X];
  for (let i = 0; i < X.length; i++) for (let j = i; j < X.length; j++) out.push(Float64Array.from(X[i]!, (v, r) => v * X[j]![r]!));
  return out;
}

/** The input with the product columns appended (what a `features.poly` applier would run). */
export function polySql(state: PolyState, input: string, columns: ColumnInfo[]): string {
  const products = state.terms.map((t) => `${ident(t.left)}::DOUBLE * ${ident(t.right)}::DOUBLE AS ${ident(t.name)}`);
  return `SELECT ${[...columns.map((c) => ident(c.name)), ...products].join(', ')} FROM ${input}`;
}

/** The scaler as features.scale fits it (StandardScaler). */
export function fitStandard(X: Float64Array[], names: string[]): ScaleState {
  return fitScale(X, names, 'standard');
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

