/**
 * Export benchmark: the engine against its own pandas export, on the ETL benchmark's data.
 *
 *   npm run bench:export -- [--rows N] [--python PATH] [--seed S] [--keep]
 *
 * Generates N synthetic taxi trips and a 265-row zones table as CSV (the generator of
 * bench/etl.ts, restated here), then times, one run each:
 *   - the engine: a fresh native Engine running the 9-node ETL pipeline (CSV in, CSV out);
 *   - pandas: the pipeline's `--target pandas` export, executed by Python (process wall time,
 *     interpreter start and imports included, and the time of the pipeline function alone).
 * Both outputs are compared (row count, columns, values to 1e-9 relative) before the figures are
 * printed. Goal: the engine at least 3× faster than the exported pandas code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine, exportCode, exportSchema, loadPipeline, readRows, type PipelineDocument, type Primitive } from '../engine/index.ts';
import { nodeHostFiles } from '../engine/node/host-files.ts';
import { NativeDatabase } from '../engine/node/native-database.ts';
import { openDatabase } from '../engine/node/open-database.ts';
import { literal } from '../engine/sql/quote.ts';
import { version } from '../cli/version.ts';
import { etlPipeline } from './etl.ts';

interface Args {
  rows: number;
  python: string;
  seed: number;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { rows: 1_000_000, python: '/usr/bin/python3', seed: 42, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes('=') ? (argv[i]!.split('=', 2) as [string, string]) : [argv[i]!, undefined];
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === '--rows') a.rows = Math.round(Number(value().replace(/_/g, '').replace(/k$/i, 'e3').replace(/m$/i, 'e6')));
    else if (flag === '--python') a.python = value();
    else if (flag === '--seed') a.seed = Number(value());
    else if (flag === '--keep') a.keep = true;
    else fail(`unknown option ${flag}\nusage: npm run bench:export -- [--rows N] [--python PATH] [--seed S] [--keep]`);
  }
  if (!Number.isInteger(a.rows) || a.rows < 1) fail('--rows must be a positive integer');
  return a;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const ZONES = 265;
const BOROUGHS = ['Manhattan', 'Brooklyn', 'Queens', 'Bronx', 'Staten Island', 'EWR'];

/** The ETL benchmark's trips and zones (same formulas as bench/etl.ts), as CSV. */
async function generate(dir: string, rows: number, seed: number): Promise<void> {
  const db = await NativeDatabase.open({ files: nodeHostFiles });
  try {
    const u = (k: number) => `((hash(i, ${seed * 100 + k}) % 1000003)::DOUBLE / 1000003)`;
    await db.exec(`
COPY (
  SELECT
    i AS trip_id,
    TIMESTAMP '2024-01-01' + to_seconds((${u(1)} * 31 * 86400)::BIGINT) AS pickup_at,
    pickup_at + to_seconds(CASE WHEN ${u(3)} < 0.01 THEN -60 ELSE 120 + (${u(2)} * ${u(2)} * 3600)::BIGINT END) AS dropoff_at,
    (1 + floor(${u(4)} * ${u(4)} * ${ZONES}))::INTEGER AS pu_zone,
    (1 + floor(${u(5)} * ${ZONES}))::INTEGER AS do_zone,
    CASE WHEN ${u(6)} < 0.02 THEN NULL ELSE least(6, 1 + floor(${u(7)} * ${u(7)} * ${u(7)} * 6))::INTEGER END AS passengers,
    CASE WHEN ${u(8)} < 0.02 THEN 0 ELSE round(greatest(60, date_diff('second', pickup_at, dropoff_at)) / 3600 * (8 + 40 * ${u(9)}), 3) END AS distance_km,
    CASE WHEN ${u(10)} < 0.005 THEN -5.00 ELSE 3.0 + 1.75 * distance_km + 0.5 * greatest(60, date_diff('second', pickup_at, dropoff_at)) / 60 END::DECIMAL(9,2) AS fare,
    CASE WHEN ${u(11)} < 0.70 THEN 'card' WHEN ${u(11)} < 0.95 THEN 'cash' ELSE 'other' END AS payment,
    CASE WHEN payment = 'card' THEN greatest(0, fare) * (0.10 + 0.15 * ${u(12)}) ELSE 0 END::DECIMAL(9,2) AS tip
  FROM range(${rows}) AS t(i)
  ORDER BY i
) TO ${literal(path.join(dir, 'trips.csv'))} (FORMAT csv, HEADER true)`);
    await db.exec(`
COPY (
  SELECT i::INTEGER AS zone_id, 'Zone ' || lpad(i::VARCHAR, 3, '0') AS zone_name,
    [${BOROUGHS.map((b) => literal(b)).join(', ')}][1 + (CASE WHEN i = ${ZONES} THEN 5 ELSE hash(i, ${seed}) % 5 END)::INTEGER] AS borough
  FROM range(1, ${ZONES + 1}) AS t(i)
  ORDER BY i
) TO ${literal(path.join(dir, 'zones.csv'))} (FORMAT csv, HEADER true)`);
  } finally {
    await db.close();
  }
}

/** The ETL benchmark's pipeline (filter, derive, aggregate, join, window, sort), CSV in and out. */
function pipelineDoc(out: string): PipelineDocument {
  return etlPipeline({
    name: 'bench export etl',
    trips: { kind: 'source.csv', params: { path: 'trips.csv' } },
    zones: { kind: 'source.csv', params: { path: 'zones.csv' } },
    sink: { kind: 'sink.csv', params: { path: out } },
    descending: true,
  });
}

async function readCsv(file: string): Promise<{ columns: string[]; rows: Primitive[][] }> {
  const db = await openDatabase('native');
  try {
    const t = await readRows(db, `SELECT * FROM read_csv(${literal(file)}, header = true)`);
    return { columns: t.columns.map((c) => c.name), rows: t.rows };
  } finally {
    await db.close();
  }
}

function same(a: Primitive, b: Primitive): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(path.join(tmpdir(), 'kanvas-bench-export-'));
  try {
    const g0 = performance.now();
    await generate(dir, args.rows, args.seed);
    console.log(`data: ${args.rows.toLocaleString('en')} trips as CSV in ${((performance.now() - g0) / 1000).toFixed(1)} s (not timed below)`);

    // Engine: fresh database, cold, one run.
    const engineDoc = pipelineDoc('out-engine.csv');
    const load = loadPipeline(JSON.stringify(engineDoc));
    if (!load.ok) throw new Error(load.problems.map((p) => p.message).join('\n'));
    const e0 = performance.now();
    const engine = new Engine({ db: await openDatabase('native'), files: nodeHostFiles });
    const record = await engine.run(load.pipeline, { baseDir: dir, useCache: false });
    const engineMs = performance.now() - e0;
    if (record.status !== 'ok') throw new Error(`engine run failed: ${JSON.stringify(record.problems)}`);

    // The pandas export of the same pipeline (writing its own output file), then run by Python.
    const pandasDoc = pipelineDoc('out-pandas.csv');
    const pandasLoad = loadPipeline(JSON.stringify(pandasDoc));
    if (!pandasLoad.ok) throw new Error('invalid');
    const { schema } = await exportSchema(engine, pandasLoad.pipeline, dir, nodeHostFiles);
    await engine.close();
    const exported = exportCode(pandasDoc, 'pandas', { date: new Date().toISOString().slice(0, 10), version, schema });
    if (exported.skipped.length) throw new Error(`export left nodes out: ${JSON.stringify(exported.skipped)}`);
    const script = path.join(dir, exported.main);
    writeFileSync(script, exported.files[exported.main]!);
    // A wrapper that also times the pipeline function alone (reading and writing excluded).
    const timer = path.join(dir, 'timed.py');
    writeFileSync(
      timer,
      `import runpy, sys, time\nmod = runpy.run_path(${JSON.stringify(script)})\nt0 = time.perf_counter()\ninputs = mod["read_inputs"](sys.argv[1])\nt1 = time.perf_counter()\nout = mod[${JSON.stringify(exported.main.replace(/\.py$/, ''))}](**inputs)\nt2 = time.perf_counter()\nmod["write_outputs"](out, sys.argv[1])\nt3 = time.perf_counter()\nprint(f"{(t1 - t0) * 1000:.0f} {(t2 - t1) * 1000:.0f} {(t3 - t2) * 1000:.0f}")\n`,
    );
    const p0 = performance.now();
    const phases = execFileSync(args.python, [timer, dir], { encoding: 'utf8' }).trim().split(/\s+/).map(Number) as [number, number, number];
    const pandasMs = performance.now() - p0;

    const a = await readCsv(path.join(dir, 'out-engine.csv'));
    const b = await readCsv(path.join(dir, 'out-pandas.csv'));
    if (JSON.stringify(a.columns) !== JSON.stringify(b.columns)) throw new Error(`columns differ: ${a.columns} / ${b.columns}`);
    if (a.rows.length !== b.rows.length) throw new Error(`row counts differ: ${a.rows.length} / ${b.rows.length}`);
    // Revenues are float sums added in another order (DuckDB in parallel): groups whose revenues
    // agree to the last bits may swap places in the sort, so rows are matched by their keys.
    const key = (r: Primitive[]) => `${r[a.columns.indexOf('pu_zone')]}|${r[a.columns.indexOf('hour')]}`;
    const byKey = new Map(b.rows.map((r) => [key(r), r]));
    const rank = a.columns.indexOf('rank_in_borough');
    const bad = a.rows.findIndex((r) => {
      const other = byKey.get(key(r));
      return !other || r.some((v, j) => j !== rank && !same(v, other[j]!));
    });
    if (bad >= 0) throw new Error(`row ${bad + 1} differs: ${JSON.stringify(a.rows[bad])} / ${JSON.stringify(byKey.get(key(a.rows[bad]!)))}`);
    const rankDiffs = a.rows.filter((r) => byKey.get(key(r))![rank] !== r[rank]).length;
    const orderDiffs = a.rows.filter((r, i) => key(r) !== key(b.rows[i]!)).length;

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`outputs equal: ${a.rows.length} rows × ${a.columns.length} columns (values to 1e-9 relative; ${orderDiffs} rows in another place and ${rankDiffs} ranks differ, from revenue near-ties)\n`);
    console.log(`engine (native DuckDB, cold, one run):       ${s(engineMs)}`);
    console.log(`  per node: ${Object.entries(record.nodes).filter(([, n]) => !n.fusedInto).map(([id, n]) => `${id} ${n.durationMs} ms`).join(', ')}`);
    console.log(`pandas export (python process, one run):     ${s(pandasMs)}   (read ${s(phases[0])}, pipeline ${s(phases[1])}, write ${s(phases[2])}; the rest is start-up and imports)`);
    console.log(`ratio: engine is ${(pandasMs / engineMs).toFixed(1)}× faster than the exported pandas code (goal ≥ 3×); ${(phases.reduce((x, y) => x + y, 0) / engineMs).toFixed(1)}× counting read + pipeline + write only`);
  } finally {
    if (args.keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
