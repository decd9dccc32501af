import type { ColumnInfo } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { doubleLiteral, ident, literal } from '../sql/quote.ts';
import { isNumericType } from '../sql/types.ts';
import { compareLabels, type Label } from './labels.ts';

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';

export interface ImputeState {
  strategy: ImputeStrategy;
  /** Per column: the value NULLs become, and the column's type after imputation. */
  columns: { name: string; value: Label; type: string }[];
}

export function isNumericOrBool(type: string): boolean {
  return isNumericType(type) || type === 'BOOLEAN';
}

/** The column's type after imputation: DOUBLE for mean/median (and for a fractional constant in an integer column). */
export function imputedType(strategy: ImputeStrategy, type: string, value: Label): string {
  if (strategy === 'mean' || strategy === 'median') return 'DOUBLE';
  if (typeof value === 'number' && !Number.isInteger(value) && isNumericType(type) && !/^(FLOAT|DOUBLE)$/i.test(type)) return 'DOUBLE';
  return type;
}

/** Mean with numpy's pairwise summation (blocks of 8 below 128 values), as `np.mean`. */
export function pairwiseSum(v: Float64Array, lo = 0, hi = v.length): number {
  const n = hi - lo;
  if (n < 8) {
    let s = 0;
    for (let i = lo; i < hi; i++) s += v[i]!;
    return s;
  }
  if (n <= 128) {
    const r = [v[lo]!, v[lo + 1]!, v[lo + 2]!, v[lo + 3]!, v[lo + 4]!, v[lo + 5]!, v[lo + 6]!, v[lo + 7]!];
    let i = lo + 8;
    for (; i < hi - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] = r[k]! + v[i + k]!;
    let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < hi; i++) s += v[i]!;
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(v, lo, lo + half) + pairwiseSum(v, lo + half, hi);
}

/**
 * One column's fill value, as scikit-learn's SimpleImputer computes it over the non-missing
 * values: the mean; the median (the mean of the two middle values for an even count); the most
 * frequent value (the smallest of those tied); or the constant.
 */
export function imputeValue(strategy: ImputeStrategy, values: Label[], constant: Label | null, column: ColumnInfo, node: string): Label {
  if (strategy === 'constant') {
    const numeric = isNumericOrBool(column.type);
    const value = constant ?? (numeric ? 0 : 'missing_value');
    if (numeric && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new PipelineError({ code: 'param', node, param: 'fillValue', message: `column "${column.name}" is ${column.type}: the fill value must be a number, not ${JSON.stringify(value)}` });
    }
    if (!numeric && typeof value !== 'string') {
      throw new PipelineError({ code: 'param', node, param: 'fillValue', message: `column "${column.name}" is ${column.type}: the fill value must be text, not ${JSON.stringify(value)}` });
    }
    if (column.type === 'BOOLEAN' && typeof value === 'number' && value !== 0 && value !== 1) {
      throw new PipelineError({ code: 'param', node, param: 'fillValue', message: `column "${column.name}" is BOOLEAN: the fill value must be true, false, 0 or 1` });
    }
    return column.type === 'BOOLEAN' && typeof value === 'number' ? value === 1 : value;
  }
  if (values.length === 0) {
    throw new PipelineError({ code: 'data', node, param: 'columns', message: `column "${column.name}" has only NULL values: there is no ${strategy.replace('_', ' ')} value to fill with (use strategy "constant", or leave the column out)` });
  }
  if (strategy === 'most_frequent') {
    const counts = new Map<Label, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    let best: Label | undefined;
    let bestCount = 0;
    for (const [v, c] of counts) {
      if (c > bestCount || (c === bestCount && compareLabels(v, best!) < 0)) {
        best = v;
        bestCount = c;
      }
    }
    return best!;
  }
  const x = Float64Array.from(values, Number);
  if (strategy === 'mean') return pairwiseSum(x) / x.length;
  x.sort();
  const mid = x.length >> 1;
  return x.length % 2 ? x[mid]! : (x[mid - 1]! + x[mid]!) / 2;
}

/** The input with NULLs in the imputed columns replaced, each column where it stood. */
export function imputeSql(state: ImputeState, input: string, columns: ColumnInfo[]): string {
  const byName = new Map(state.columns.map((c) => [c.name.toLowerCase(), c]));
  const items = columns.map((c) => {
    const imp = byName.get(c.name.toLowerCase());
    if (!imp) return ident(c.name);
    const value = typeof imp.value === 'number' && imp.type === 'DOUBLE' ? doubleLiteral(imp.value) : literal(imp.value);
    return `coalesce(${ident(c.name)}::${imp.type}, ${value}::${imp.type}) AS ${ident(c.name)}`;
  });
  return `SELECT ${items.join(', ')} FROM ${input}`;
}
