import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Datasets and scikit-learn reference results for the tree, forest and network kinds, made by
 * `test/fixtures/sklearn/make_model_fixtures.py` and committed (tests never need python).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const models: any = JSON.parse(readFileSync(new URL('../fixtures/sklearn/models.json', import.meta.url), 'utf8'));

export interface Split {
  features: string[];
  target: string;
  task: 'regression' | 'binary' | 'multiclass';
  /** The CSV file (a fixture or a built-in sample). */
  file: string;
  header: string[];
  train: { X: Float64Array[]; y: string[]; lines: string[] };
  test: { X: Float64Array[]; y: string[]; lines: string[] };
}

/** A fixture dataset split as the python script splits it: row i is a test row when i % 5 == 0. */
export function loadSplit(name: string): Split {
  const d = models.datasets[name];
  const file = d.sample ? fileURLToPath(new URL(`../../engine/samples/${d.sample}.csv`, import.meta.url)) : fileURLToPath(new URL(`../fixtures/sklearn/${d.file}`, import.meta.url));
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const body = lines.slice(1);
  const part = (keep: (i: number) => boolean) => {
    const ls = body.filter((_, i) => keep(i));
    const rows = ls.map((l) => l.split(','));
    return {
      X: (d.features as string[]).map((f) => Float64Array.from(rows, (r) => Number(r[header.indexOf(f)]))),
      y: rows.map((r) => r[header.indexOf(d.target)]!),
      lines: ls,
    };
  };
  return { features: d.features, target: d.target, task: d.task, file, header, train: part((i) => i % 5 !== 0), test: part((i) => i % 5 === 0) };
}

/** R² of predictions (scikit-learn's r2_score). */
export function r2(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i]!;
  mean /= y.length;
  let ss = 0;
  let se = 0;
  for (let i = 0; i < y.length; i++) {
    ss += (y[i]! - mean) ** 2;
    se += (y[i]! - pred[i]!) ** 2;
  }
  return 1 - se / ss;
}

/** Largest absolute difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
