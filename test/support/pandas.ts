import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Primitive } from '../../engine/index.ts';

/**
 * Input CSVs and the results pandas / scikit-learn / numpy give for them, made by
 * `test/fixtures/pandas/make_fixtures.py` and committed: tests never need python.
 */
export const pandasDir = fileURLToPath(new URL('../fixtures/pandas/', import.meta.url));

/** Reads a fixture; `{"$float": "Infinity"}` (JSON has no ±inf) becomes the number. */
export function pandasFixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(pandasDir, name), 'utf8'), (_key, v: unknown) =>
    v !== null && typeof v === 'object' && '$float' in v ? Number((v as { $float: string }).$float) : v,
  ) as T;
}

export interface FixtureTable {
  columns: string[];
  rows: Primitive[][];
}

/** Whether two cells agree: numbers to `rel` relative error, everything else exactly. */
export function cellsClose(actual: Primitive, expected: Primitive, rel = 1e-9): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return actual === expected || Math.abs(actual - expected) <= rel * Math.max(Math.abs(actual), Math.abs(expected));
  }
  return actual === expected;
}

/**
 * Asserts rows equal `expected`, numbers to `rel` relative error. Cells within tolerance are
 * replaced by the expected value before a deep equality, so a failure shows only real differences.
 */
export function expectRowsClose(actual: Primitive[][], expected: Primitive[][], rel = 1e-9): void {
  const aligned = actual.map((row, r) => row.map((cell, c) => (cellsClose(cell, expected[r]?.[c] ?? null, rel) ? (expected[r]?.[c] ?? null) : cell)));
  expect(aligned).toEqual(expected);
}

/** The rows of a table as a canonical multiset: sorted by their JSON text. */
export function sortedRows(rows: Primitive[][]): Primitive[][] {
  return rows
    .map((r) => [JSON.stringify(r), r] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}

/** Columns of a table picked by name, in the order given. */
export function pick(table: { columns: { name: string }[]; rows: Primitive[][] }, names: string[]): Primitive[][] {
  const at = names.map((n) => {
    const i = table.columns.findIndex((c) => c.name === n);
    if (i < 0) throw new Error(`no column "${n}" in ${table.columns.map((c) => c.name).join(', ')}`);
    return i;
  });
  return table.rows.map((r) => at.map((i) => r[i]!));
}
