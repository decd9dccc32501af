import type { Primitive } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { literal } from '../sql/quote.ts';

export type Label = string | number | boolean;

/** Compares code point by code point (Python's and DuckDB's order), not by UTF-16 unit. */
export function compareText(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** numpy's order of labels: numbers numerically, text by code point, false before true. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareText(String(a), String(b));
}

/** The distinct labels, sorted (scikit-learn's `classes_`). */
export function sortedLabels(values: Iterable<Label>): Label[] {
  return [...new Set(values)].sort(compareLabels);
}

/** Labels of a target column; NULLs are an error naming the column. */
export function labelsOf(y: Primitive[], node: string, param = 'target'): Label[] {
  return y.map((v) => {
    if (v === null) throw new PipelineError({ code: 'data', node, param, message: 'the target has NULL values: filter them out first' });
    return v;
  });
}

/** Class indices of `y` into sorted `classes`. */
export function encodeLabels(y: Label[], classes: Label[]): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(y, (v) => index.get(v) ?? -1);
}

/** A label as a SQL literal of the target's type (numbers keep the column's type). */
export function labelSql(value: Label, type: string | undefined): string {
  if (typeof value === 'number') return type ? `CAST(${literal(value)} AS ${type})` : literal(value);
  return literal(value);
}

/** A label as Python prints it in a column name (`str()` of the value: `True`, `3`, `3.0`, `1e+16`). */
export function labelText(value: Label, type?: string): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return type && /^(FLOAT|DOUBLE|DECIMAL)/i.test(type) ? pythonFloat(value) : String(value);
  return value;
}

/** Python's `repr` of a float: the shortest digits (as JS), exponent form below 1e-4 and from 1e16. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = value.toExponential().split('e') as [string, string];
  const e = Number(exp);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const intPart = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}
