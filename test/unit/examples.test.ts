import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import {
  formatPipeline,
  loadPipeline,
  parsePipeline,
  readRows,
  type Engine,
  type Primitive,
  type ResolvedPipeline,
  type RunRecord,
} from '../../engine/index.ts';
import type { EngineKind } from '../../engine/node/open-database.ts';
import { generateCustomers } from '../../engine/samples/make-customers.ts';
import { usageRows } from '../../examples/churn/make-data.ts';
import { engineKinds, openEngine, tempDir } from '../support/engines.ts';

/**
 * The shipped examples run on both DuckDB builds and give the values that pandas (at authoring
 * time, see the literals) and an independent DuckDB query over the raw files (in the test) give.
 * churn-model is checked against scikit-learn in example-churn-model.test.ts; here it gets the
 * checks every example gets.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const examples = ['churn', 'churn-model', 'trips'] as const;
type Example = (typeof examples)[number];
const exampleDir = (name: Example) => path.join(root, 'examples', name);
const pipelineFile = (name: Example) => path.join(exampleDir(name), 'pipeline.kanvas.json');

function loadExample(name: Example): ResolvedPipeline {
  const result = loadPipeline(readFileSync(pipelineFile(name), 'utf8'), pipelineFile(name));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.pipeline;
}

type Rows = { columns: { name: string; type: string }[]; rows: Primitive[][] };

async function readOutput(engine: Engine, file: string, format: 'csv' | 'parquet', query = (rel: string) => `SELECT * FROM ${rel}`): Promise<Rows> {
  return readRows(engine.db, query(await engine.db.fileRelation({ path: file, format })));
}

/** Cells that are not `raw` rounded to `decimals` places (within half a unit), as readable strings. */
function notRounded(rows: Primitive[][], raw: Primitive[][], columns: Record<number, number>): string[] {
  const bad: string[] = [];
  rows.forEach((row, r) => {
    for (const [c, decimals] of Object.entries(columns).map(([c, d]) => [Number(c), d] as const)) {
      const [got, want] = [row[c], raw[r]?.[c]];
      const ok =
        want === null || want === undefined
          ? got === null
          : typeof got === 'number' && Math.abs(got - Number(want)) <= 0.5 * 10 ** -decimals + 1e-9 && Number(got.toFixed(decimals)) === got;
      if (!ok) bad.push(`row ${r} col ${c}: ${got} vs ${want}`);
    }
  });
  return bad;
}

/** What each engine produced, compared across engines at the end. */
const produced: Partial<Record<EngineKind, Record<string, string | Primitive[][]>>> = {};

describe('example pipeline files', () => {
  it.each(examples)('%s is valid and written in the canonical format', (name) => {
    const text = readFileSync(pipelineFile(name), 'utf8');
    const parsed = parsePipeline(text, pipelineFile(name));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(formatPipeline(parsed.doc)).toBe(text);
    expect(loadPipeline(text).ok).toBe(true);
  });

  it.each(examples)('%s is laid out left to right: every node placed, every edge going right', (name) => {
    const { doc } = loadExample(name);
    expect(Object.keys(doc.layout).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    for (const e of doc.edges) expect(doc.layout[e.to]!.x, `${e.from} → ${e.to}`).toBeGreaterThan(doc.layout[e.from]!.x);
    const spots = Object.values(doc.layout).map((p) => `${p.x},${p.y}`);
    expect(new Set(spots).size).toBe(spots.length);
  });

  it('the list above is every example folder', () => {
    const folders = readdirSync(path.join(root, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.sort()).toEqual([...examples]);
  });

  it('the churn data files are what their generators make', () => {
    const customers = generateCustomers();
    const usage = `${['customer_id,month,data_gb,voice_minutes,dropped_calls', ...usageRows(customers)].join('\n')}\n`;
    expect(readFileSync(path.join(exampleDir('churn'), 'usage.csv'), 'utf8') === usage).toBe(true);
    expect(readFileSync(path.join(exampleDir('churn'), 'customers.csv')).equals(readFileSync(path.join(root, 'engine/samples/customers.csv')))).toBe(true);
  });
});

describe.each(engineKinds)('examples on %s DuckDB', (kind) => {
  let engine: Engine;
  const runs = {} as Record<Example, { record: RunRecord; out: string; pipeline: ResolvedPipeline }>;

  beforeAll(async () => {
    engine = await openEngine(kind);
    for (const name of examples) {
      const pipeline = loadExample(name);
      const out = tempDir('kanvas-example-');
      const record = await engine.run(pipeline, { baseDir: exampleDir(name), outDir: out });
      runs[name] = { record, out, pipeline };
    }
    produced[kind] = {};
  });
  afterAll(async () => {
    await engine?.close();
  });

  describe('churn', () => {
    const file = (f: string) => path.join(runs.churn.out, 'out', f);

    it('runs every node and writes the stratified split', async () => {
      const { record } = runs.churn;
      expect(record.problems).toEqual([]);
      expect(record.status).toBe('ok');
      expect(Object.values(record.nodes).every((n) => n.status === 'done')).toBe(true);
      // 10,000 customers less the 137 in their first month; ceil(0.2 × 9,863) = 1,973 test rows.
      expect(record.nodes.by_customer!.outputs!.out!.rows).toBe(9863);
      expect(record.nodes.usage_per_customer!.outputs!.out!.rows).toBe(9863);
      expect(record.nodes.write_train!.files).toEqual([{ path: file('train.csv'), rows: 7890 }]);
      expect(record.nodes.write_test!.files).toEqual([{ path: file('test.csv'), rows: 1973 }]);

      const byClass = (f: string) => readOutput(engine, file(f), 'csv', (rel) => `SELECT churned, count(*) FROM ${rel} GROUP BY churned ORDER BY churned`);
      // Largest remainder of 7,890 × (7,062 | 2,801) / 9,863, as computed with pandas.
      expect((await byClass('train.csv')).rows).toEqual([[0, 5649], [1, 2241]]);
      expect((await byClass('test.csv')).rows).toEqual([[0, 1413], [1, 560]]);

      const train = readFileSync(file('train.csv'), 'utf8');
      const test = readFileSync(file('test.csv'), 'utf8');
      expect(train.split('\n')[0]).toBe(
        'customer_id,plan,region,contract,is_monthly,tenure_months,tenure_band,monthly_charges,total_charges,avg_monthly_spend,support_calls,usage_months,avg_data_gb,avg_voice_minutes,dropped_calls,data_trend_gb,churned',
      );
      produced[kind]!['churn/train.csv'] = train;
      produced[kind]!['churn/test.csv'] = test;
    });

    it('gives the values pandas gives (computed when the example was written)', async () => {
      const both = `(SELECT * FROM read_csv('${file('train.csv')}') UNION ALL SELECT * FROM read_csv('${file('test.csv')}'))`;
      const one = async (id: string) => (await readRows(engine.db, `SELECT * FROM ${both} WHERE customer_id = '${id}'`)).rows;
      // C00001 left after 12 months; its data use fell by 1.24 GB a month on average.
      expect(await one('C00001')).toEqual([['C00001', 'standard', 'west', 'yearly', 0, 12, '1-2 years', 54.91, 639.1, 53.26, 0, 6, 8.03, 246.8, 6, -1.24, 1]]);
      expect(await one('C00137')).toEqual([['C00137', 'standard', 'north', 'yearly', 0, 71, '4+ years', 55.9, 3952.67, 55.67, 4, 6, 9.85, 315.8, 2, 0.5, 0]]);
      // A missing total_charges is filled with monthly_charges × tenure: 30.02 × 69.
      expect((await one('C00323'))[0]![8]).toBe(2071.38);
      const [sums] = (
        await readRows(
          engine.db,
          `SELECT sum(total_charges), count(*), count(DISTINCT customer_id), sum(dropped_calls),
                  count(*) FILTER (WHERE usage_months = 1 AND data_trend_gb = 0) FROM ${both}`,
        )
      ).rows;
      expect(sums![0]).toBeCloseTo(14144543.34, 2);
      // Train and test share no customer; 273 customers have one month of usage, so no trend.
      expect(sums!.slice(1)).toEqual([9863, 9863, 37967, 273]);
    });

    it('profiles the model table', async () => {
      const stats = engine.output(runs.churn.pipeline, 'profile', 'stats');
      if (stats?.type !== 'table') throw new Error('no profile stats');
      const { rows } = await readRows(engine.db, `SELECT * FROM ${stats.relation}`);
      expect(rows).toHaveLength(17);
      const row = (c: string) => rows.find((r) => r[0] === c)!;
      // column, type, rows, nulls, null_fraction, distinct, min, max, then mean, std, q25, median, q75
      expect(row('tenure_months').slice(0, 8)).toEqual(['tenure_months', 'BIGINT', 9863, 0, 0, 71, '1', '71']);
      const [mean, std, q25, median, q75] = row('tenure_months').slice(8) as number[];
      expect(mean).toBeCloseTo(28.823887255398965, 9);
      expect(std).toBeCloseTo(20.169604052072543, 9);
      expect([q25, median, q75]).toEqual([12, 25, 45]);
      expect(row('total_charges')[3]).toBe(0);
      expect(row('churned')[8]).toBeCloseTo(2801 / 9863, 12);
      expect(row('monthly_charges')[8]).toBeCloseTo(50.79058298692082, 9);
      expect(row('plan').slice(0, 8)).toEqual(['plan', 'VARCHAR', 9863, 0, 0, 3, 'basic', 'standard']);
    });

    it('matches a direct DuckDB query over the raw files, row for row', async () => {
      const customers = await engine.db.fileRelation({ path: path.join(exampleDir('churn'), 'customers.csv'), format: 'csv' });
      const usage = await engine.db.fileRelation({ path: path.join(exampleDir('churn'), 'usage.csv'), format: 'csv' });
      const expected = await readRows(
        engine.db,
        `WITH u AS (
          SELECT customer_id, data_gb, voice_minutes, dropped_calls,
                 data_gb - lag(data_gb) OVER (PARTITION BY customer_id ORDER BY month) AS change
          FROM ${usage}
        ), per AS (
          SELECT customer_id, count(*) AS months, avg(data_gb) AS gb, avg(voice_minutes) AS minutes,
                 sum(dropped_calls) AS dropped, avg(change) AS trend
          FROM u GROUP BY customer_id
        )
        SELECT c.customer_id, c.plan, c.region, c.contract, c.tenure_months, c.monthly_charges,
               coalesce(c.total_charges, round(c.monthly_charges * c.tenure_months, 2)) AS total,
               c.support_calls, coalesce(per.months, 0), coalesce(gb, 0), coalesce(minutes, 0), coalesce(dropped, 0),
               coalesce(trend, 0), c.churned
        FROM ${customers} AS c LEFT JOIN per USING (customer_id)
        WHERE c.tenure_months > 0 ORDER BY c.customer_id`,
      );
      const actual = await readRows(
        engine.db,
        `SELECT customer_id, plan, region, contract, tenure_months, monthly_charges, total_charges, support_calls,
                usage_months, avg_data_gb, avg_voice_minutes, dropped_calls, data_trend_gb, churned, is_monthly, tenure_band, avg_monthly_spend
         FROM (SELECT * FROM read_csv('${file('train.csv')}') UNION ALL SELECT * FROM read_csv('${file('test.csv')}')) ORDER BY customer_id`,
      );
      expect(actual.rows).toHaveLength(9863);
      const exact = [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 13];
      expect(actual.rows.map((r) => exact.map((i) => r[i]))).toEqual(expected.rows.map((r) => exact.map((i) => r[i])));
      expect(notRounded(actual.rows, expected.rows, { 9: 2, 10: 1, 12: 3 })).toEqual([]);
      const band = (m: number) => (m < 12 ? 'under 1 year' : m < 24 ? '1-2 years' : m < 48 ? '2-4 years' : '4+ years');
      const derived = expected.rows.map((r) => [r[3] === 'monthly' ? 1 : 0, band(r[4] as number), (r[6] as number) / (r[4] as number)]);
      expect(actual.rows.map((r) => r.slice(14, 16))).toEqual(derived.map((d) => d.slice(0, 2)));
      expect(notRounded(actual.rows.map((r) => [r[16]!]), derived.map((d) => [d[2]!]), { 0: 2 })).toEqual([]);
    });
  });

  describe('churn-model', () => {
    const file = (f: string) => path.join(runs['churn-model'].out, 'out', f);

    it('runs every node and writes the test metrics and scores', async () => {
      const { record } = runs['churn-model'];
      expect(record.problems).toEqual([]);
      expect(record.status).toBe('ok');
      expect(Object.values(record.nodes).every((n) => n.status === 'done')).toBe(true);
      // The 10,000 sample customers; ceil(0.2 × 10,000) = 2,000 test rows.
      expect(record.nodes.split!.outputs!.train!.rows).toBe(8000);
      expect(record.nodes.split!.outputs!.test!.rows).toBe(2000);
      expect(record.nodes.write_metrics!.files).toEqual([{ path: file('test_metrics.csv'), rows: 6 }]);
      expect(record.nodes.write_scores!.files).toEqual([{ path: file('test_scores.csv'), rows: 2000 }]);
      const metrics = readFileSync(file('test_metrics.csv'), 'utf8');
      expect(metrics.split('\n').map((l) => l.split(',')[0])).toEqual(['metric', 'accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc', '']);
      // 1,505 of the 2,000 test customers classified right (scikit-learn agrees: example-churn-model.test.ts).
      expect(metrics).toContain('\naccuracy,0.7525\n');
      expect(readFileSync(file('test_scores.csv'), 'utf8').split('\n')[0]).toBe(
        'customer_id,signup_date,plan_premium,plan_standard,region_east,region_north,region_south,region_west,tenure_months,monthly_charges,total_charges,support_calls,contract_yearly,churned,prediction,probability',
      );
      // Probabilities may differ in the last bit between the builds (DuckDB's exp is the platform's):
      // the metrics file is compared across engines, the scores in example-churn-model.test.ts.
      produced[kind]!['churn-model/test_metrics.csv'] = metrics;
    });
  });

  describe('trips', () => {
    const file = (f: string) => path.join(runs.trips.out, 'out', f);

    it('runs every node and writes the same table as Parquet and CSV', async () => {
      const { record } = runs.trips;
      expect(record.problems).toEqual([]);
      expect(record.status).toBe('ok');
      expect(Object.values(record.nodes).every((n) => n.status === 'done')).toBe(true);
      // 42 zones × 24 hours, less Washington Heights South at 4 am, which had no valid trip.
      expect(record.nodes.zone_hour!.outputs!.out!.rows).toBe(1007);
      expect(record.nodes.write_parquet!.files).toEqual([{ path: file('zone_hours.parquet'), rows: 1007 }]);
      expect(record.nodes.write_csv!.files).toEqual([{ path: file('zone_hours.csv'), rows: 1007 }]);

      const parquet = await readOutput(engine, file('zone_hours.parquet'), 'parquet');
      const csv = await readOutput(engine, file('zone_hours.csv'), 'csv');
      expect(parquet.columns).toEqual([
        { name: 'borough', type: 'VARCHAR' },
        { name: 'zone_name', type: 'VARCHAR' },
        { name: 'zone_id', type: 'INTEGER' },
        { name: 'hour', type: 'BIGINT' },
        { name: 'trips', type: 'BIGINT' },
        { name: 'revenue', type: 'DOUBLE' },
        { name: 'avg_fare', type: 'DOUBLE' },
        { name: 'avg_tip_pct', type: 'DOUBLE' },
        { name: 'median_duration_min', type: 'DOUBLE' },
        { name: 'avg_speed_kmh', type: 'DOUBLE' },
        { name: 'avg_wait_min', type: 'DOUBLE' },
      ]);
      expect(csv.rows).toEqual(parquet.rows);
      produced[kind]!['trips/zone_hours.csv'] = readFileSync(file('zone_hours.csv'), 'utf8');
      produced[kind]!['trips/zone_hours.parquet'] = parquet.rows;
    });

    it('gives the values pandas gives (computed when the example was written)', async () => {
      const text = readFileSync(file('zone_hours.csv'), 'utf8').split('\n');
      expect(text.slice(0, 4)).toEqual([
        'borough,zone_name,zone_id,hour,trips,revenue,avg_fare,avg_tip_pct,median_duration_min,avg_speed_kmh,avg_wait_min',
        'Manhattan,Midtown Center,161,18,378,6410.26,16.96,15.5,13.5,9.9,5.2',
        'Manhattan,Midtown Center,161,19,356,5972.99,16.78,15.4,12.4,10.0,5.2',
        'Manhattan,Midtown Center,161,16,341,5601.04,16.43,15.7,12.4,10.2,5.2',
      ]);
      expect(text).toContain('Queens,JFK Airport,132,17,284,16014.6,56.39,15.9,12.5,15.2,6.8');
      // The first trip of a zone has no previous pickup: a zone-hour with only that trip has no wait.
      expect(text).toContain('Brooklyn,Fort Greene,97,5,1,47.08,47.08,,31.1,31.5,');
      const { rows } = await readOutput(engine, file('zone_hours.parquet'), 'parquet', (rel) => `SELECT borough, sum(trips), round(sum(revenue), 2) FROM ${rel} GROUP BY borough ORDER BY borough`);
      // 100,000 trips: 96,065 pass the first filter, 95,624 the plausibility one.
      expect(rows).toEqual([
        ['Bronx', 380, expect.any(Number)],
        ['Brooklyn', 3551, expect.any(Number)],
        ['EWR', 730, expect.any(Number)],
        ['Manhattan', 81565, expect.any(Number)],
        ['Queens', 9398, expect.any(Number)],
      ]);
      expect(rows.reduce((s, r) => s + (r[2] as number), 0)).toBeCloseTo(2267341.98, 1);
    });

    it('matches a direct DuckDB query over the raw files, row for row', async () => {
      const trips = await engine.db.fileRelation({ path: path.join(exampleDir('trips'), 'trips.parquet'), format: 'parquet' });
      const zones = await engine.db.fileRelation({ path: path.join(exampleDir('trips'), 'zones.csv'), format: 'csv' });
      const expected = await readRows(
        engine.db,
        `WITH timed AS (
          SELECT *, (epoch(dropoff_at) - epoch(pickup_at)) / 60 AS minutes FROM ${trips}
          WHERE dropoff_at > pickup_at AND distance_km > 0 AND fare > 0 AND passengers > 0
        ), kept AS (
          SELECT *, distance_km * 60 / minutes AS kmh FROM timed WHERE minutes <= 180 AND distance_km * 60 / minutes BETWEEN 1 AND 100
        ), waits AS (
          SELECT *, (epoch(pickup_at) - epoch(lag(pickup_at) OVER (PARTITION BY pickup_zone ORDER BY pickup_at, trip_id))) / 60 AS wait,
                 CASE WHEN payment_type = 'card' THEN tip / fare * 100 END AS tip_share
          FROM kept
        )
        SELECT z.borough, z.zone_name, w.pickup_zone, extract('hour' FROM w.pickup_at) AS h, count(*) AS n,
               sum(fare), avg(fare), avg(tip_share), quantile_cont(minutes, 0.5), avg(kmh), avg(wait)
        FROM waits AS w LEFT JOIN ${zones} AS z ON z.zone_id = w.pickup_zone
        GROUP BY ALL ORDER BY n DESC, w.pickup_zone, h`,
      );
      const actual = await readOutput(engine, file('zone_hours.parquet'), 'parquet');
      expect(actual.rows).toHaveLength(expected.rows.length);
      expect(actual.rows.map((r) => r.slice(0, 5))).toEqual(expected.rows.map((r) => r.slice(0, 5)));
      expect(notRounded(actual.rows, expected.rows, { 5: 2, 6: 2, 7: 1, 8: 1, 9: 1, 10: 1 })).toEqual([]);
    });
  });

  it.each(examples)('kanvas validate passes for %s', async (name) => {
    let stdout = '';
    let stderr = '';
    const code = await main(['validate', path.relative(root, pipelineFile(name)), '--engine', kind], {
      stdout: { write: (t: string) => void (stdout += t) },
      stderr: { write: (t: string) => void (stderr += t) },
      cwd: root,
      isTTY: false,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // A check binds the SQL nodes; sinks, analysis, features.* and model.* nodes run only in a full run.
    const sqlNodes = { churn: 13, 'churn-model': 2, trips: 12 }[name];
    const nodes = loadExample(name).doc.nodes;
    expect(nodes.filter((n) => !/^(sink|analysis|features|model)\./.test(n.kind))).toHaveLength(sqlNodes);
    expect(stdout).toBe(`examples/${name}/pipeline.kanvas.json: ok (${nodes.length} nodes, ${sqlNodes} SQL nodes bound)\n`);
  });
});

describe('native and wasm', () => {
  it('produce identical example outputs', () => {
    expect(Object.keys(produced).sort()).toEqual([...engineKinds].sort());
    const [a, b] = engineKinds.map((k) => produced[k]!);
    expect(Object.keys(a!).sort()).toEqual(['churn-model/test_metrics.csv', 'churn/test.csv', 'churn/train.csv', 'trips/zone_hours.csv', 'trips/zone_hours.parquet']);
    for (const key of Object.keys(a!)) expect(b![key], key).toEqual(a![key]);
  });
});

describe('the kanvas CLI', () => {
  it.each(examples)('runs examples/%s/pipeline.kanvas.json with --out and exits 0', async (name) => {
    const out = tempDir('kanvas-example-cli-');
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['bin/kanvas.js', 'run', `examples/${name}/pipeline.kanvas.json`, '--out', out, '--no-cache'], { cwd: root });
    expect(stdout).toMatch(/: ok in \d+ ms/);
    const native = produced.native;
    if (name === 'churn') {
      expect(readFileSync(path.join(out, 'out/train.csv'), 'utf8')).toBe(native?.['churn/train.csv']);
      expect(readFileSync(path.join(out, 'out/test.csv'), 'utf8')).toBe(native?.['churn/test.csv']);
    } else if (name === 'churn-model') {
      expect(readFileSync(path.join(out, 'out/test_metrics.csv'), 'utf8')).toBe(native?.['churn-model/test_metrics.csv']);
      expect(readFileSync(path.join(out, 'out/test_scores.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(2001);
    } else {
      expect(readFileSync(path.join(out, 'out/zone_hours.csv'), 'utf8')).toBe(native?.['trips/zone_hours.csv']);
    }
    expect(JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'))).toMatchObject({ status: 'ok', engine: 'native' });
  });
});
