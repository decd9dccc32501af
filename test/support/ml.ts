import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Engine, Primitive } from '../../engine/index.ts';
import type { ModelArtifact } from '../../engine/ml/artifact.ts';
import type { ResolvedPipeline } from '../../engine/validate/validate.ts';

/**
 * Reference values from scikit-learn for the model kinds, made by
 * `test/fixtures/sklearn/make_ml_fixtures.py` and committed (tests never need python).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ml: any = JSON.parse(readFileSync(new URL('../fixtures/sklearn/ml.json', import.meta.url), 'utf8'), (_key, v: unknown) =>
  v !== null && typeof v === 'object' && '$float' in v ? Number((v as { $float: string }).$float) : v,
);

/** A built-in sample dataset as columns of numbers (and text where a column is not numeric). */
export function sampleData(name: string): { header: string[]; rows: string[][]; column(name: string): Float64Array; labels(name: string): (string | number)[] } {
  const lines = readFileSync(new URL(`../../engine/samples/${name}.csv`, import.meta.url), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const at = (c: string) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`no column ${c} in ${name}`);
    return i;
  };
  return {
    header,
    rows,
    column: (c) => Float64Array.from(rows, (r) => Number(r[at(c)])),
    labels: (c) => rows.map((r) => (Number.isNaN(Number(r[at(c)])) ? r[at(c)]! : Number(r[at(c)]))),
  };
}

/** Largest |a − e| / max(|e|, floor) over paired numbers. */
export function maxRelDiff(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-300): number {
  expect(actual.length).toBe(expected.length);
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor));
  return m;
}

/** Asserts every number is within `rel` relative error of the expected one (absolute below `floor`). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, floor = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(rel * Math.max(Math.abs(e), floor));
  }
}

/** The fitted artifact a node put on its `model` port in the engine's latest run. */
export function artifactOf(engine: Engine, p: ResolvedPipeline, node: string, port = 'model'): ModelArtifact {
  const v = engine.output(p, node, port);
  if (v?.type !== 'model') throw new Error(`no model output ${node}.${port}`);
  return v.artifact;
}

/** A column of a table read back from the engine. */
export function col(t: { columns: { name: string }[]; rows: Primitive[][] }, name: string): Primitive[] {
  const i = t.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`no column "${name}" in ${t.columns.map((c) => c.name).join(', ')}`);
  return t.rows.map((r) => r[i]!);
}

export function numbers(values: Primitive[]): number[] {
  return values.map((v) => {
    if (typeof v !== 'number') throw new Error(`not a number: ${JSON.stringify(v)}`);
    return v;
  });
}
