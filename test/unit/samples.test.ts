import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRows, type Engine } from '../../engine/index.ts';
import { customersCsv, generateCustomers } from '../../engine/samples/make-customers.ts';
import { sampleDatasets, sampleNames } from '../../engine/samples/index.ts';
import { engineKinds, openEngine, pipeline, runDoc, tempDir } from '../support/engines.ts';

/**
 * The built-in datasets of `source.sample`: their shape and a few values, checked against what
 * pandas reads from the same files (computed when the files were made).
 */
const expected = {
  iris: {
    rows: 150,
    columns: 'sepal_length DOUBLE, sepal_width DOUBLE, petal_length DOUBLE, petal_width DOUBLE, species VARCHAR',
    label: 'species',
    classes: [['setosa', 50], ['versicolor', 50], ['virginica', 50]],
  },
  wine: {
    rows: 178,
    columns:
      'alcohol DOUBLE, malic_acid DOUBLE, ash DOUBLE, alcalinity_of_ash DOUBLE, magnesium BIGINT, total_phenols DOUBLE, flavanoids DOUBLE, ' +
      'nonflavanoid_phenols DOUBLE, proanthocyanins DOUBLE, color_intensity DOUBLE, hue DOUBLE, od280_od315_of_diluted_wines DOUBLE, proline BIGINT, cultivar VARCHAR',
    label: 'cultivar',
    classes: [['class_0', 59], ['class_1', 71], ['class_2', 48]],
  },
  breast_cancer: { rows: 569, columns: null, label: 'diagnosis', classes: [['benign', 357], ['malignant', 212]] },
  diabetes: {
    rows: 442,
    columns:
      'age BIGINT, sex BIGINT, bmi DOUBLE, blood_pressure DOUBLE, total_cholesterol BIGINT, ldl DOUBLE, hdl DOUBLE, ' +
      'cholesterol_hdl_ratio DOUBLE, log_triglycerides DOUBLE, blood_sugar BIGINT, progression BIGINT',
    label: 'sex',
    classes: [[1, 235], [2, 207]],
  },
  customers: {
    rows: 10_000,
    columns:
      'customer_id VARCHAR, signup_date DATE, plan VARCHAR, region VARCHAR, tenure_months BIGINT, monthly_charges DOUBLE, ' +
      'total_charges DOUBLE, support_calls BIGINT, contract VARCHAR, churned BIGINT',
    label: 'churned',
    classes: [[0, 7199], [1, 2801]],
  },
} as const;

describe('sample datasets', () => {
  it('has an expectation per dataset, and each description states the row count', () => {
    expect(Object.keys(expected).sort()).toEqual([...sampleNames].sort());
    for (const name of sampleNames) expect(sampleDatasets[name]).toContain(`${expected[name].rows.toLocaleString('en-US')} rows`);
  });

  it('customers.csv is what engine/samples/make-customers.ts makes', () => {
    const file = new URL('../../engine/samples/customers.csv', import.meta.url);
    expect(readFileSync(file, 'utf8') === customersCsv(generateCustomers())).toBe(true);
    expect(readFileSync(file).length).toBeLessThan(1_000_000);
  });
});

describe.each(engineKinds)('source.sample on %s DuckDB', (kind) => {
  let engine: Engine;
  const dir = tempDir();
  beforeAll(async () => {
    engine = await openEngine(kind);
  });
  afterAll(async () => {
    await engine?.close();
  });

  const load = async (dataset: string, query: (t: string) => string) => {
    const doc = pipeline([{ id: 'data', kind: 'source.sample', params: { dataset } }]);
    const { record, rows, pipeline: resolved } = await runDoc(engine, doc, dir);
    expect(record.status).toBe('ok');
    const all = await rows('data');
    const out = engine.output(resolved, 'data', 'out');
    if (out?.type !== 'table') throw new Error('no table');
    return { all, answer: (await readRows(engine.db, query(out.relation))).rows };
  };

  it.each(sampleNames)('%s has its rows, typed columns and class counts', async (name) => {
    const e = expected[name];
    const { all, answer } = await load(name, (t) => `SELECT "${e.label}", count(*) FROM ${t} GROUP BY ALL ORDER BY 1`);
    expect(all.rows).toHaveLength(e.rows);
    if (e.columns) expect(all.columns.map((c) => `${c.name} ${c.type}`).join(', ')).toBe(e.columns);
    expect(answer).toEqual(e.classes);
  });

  it('breast_cancer has 30 snake_case features and the diagnosis', async () => {
    const { all } = await load('breast_cancer', (t) => `SELECT 1 FROM ${t} LIMIT 0`);
    const names = all.columns.map((c) => c.name);
    expect(names).toHaveLength(31);
    expect(names.slice(0, 3)).toEqual(['mean_radius', 'mean_texture', 'mean_perimeter']);
    expect(names.at(-2)).toBe('worst_fractal_dimension');
    expect(names.every((n) => /^[a-z][a-z0-9_]*$/.test(n))).toBe(true);
    expect(all.columns.slice(0, 30).every((c) => c.type === 'DOUBLE')).toBe(true);
  });

  it('a few values match pandas', async () => {
    expect((await load('iris', (t) => `SELECT species, avg(petal_length) FROM ${t} GROUP BY ALL ORDER BY 1`)).answer.map((r) => [r[0], Number((r[1] as number).toFixed(9))])).toEqual([
      ['setosa', 1.462],
      ['versicolor', 4.26],
      ['virginica', 5.552],
    ]);
    expect((await load('wine', (t) => `SELECT sum(proline) FROM ${t}`)).answer).toEqual([[132947]]);
    // Raw (unscaled) diabetes data: ages in years, the target as published.
    expect((await load('diabetes', (t) => `SELECT min(age), max(age), sum(progression) FROM ${t}`)).answer).toEqual([[19, 79, 67243]]);
    const [c] = (await load('customers', (t) => `SELECT count(*) - count(total_charges), min(signup_date)::VARCHAR, max(signup_date)::VARCHAR, round(sum(monthly_charges), 2) FROM ${t}`)).answer;
    expect(c).toEqual([199, '2019-01-01', '2024-12-31', 507909.69]);
  });
});
