/**
 * ETL benchmark: the engine against the same work written by hand as one DuckDB statement.
 *
 *   npm run bench -- [--rows N] [--engine native|wasm] [--repeat K] [--format parquet|csv]
 *                    [--seed S] [--store] [--keep]
 *
 * Generates N synthetic taxi trips (seeded, deterministic) and a 265-row zones table into a temp
 * folder, then times, on the same DuckDB adapter in this one process:
 *   - hand-written SQL: one `COPY (...) TO` statement on a fresh database;
 *   - engine, cold: a 9-node pipeline on a fresh `Engine` (fresh database);
 *   - engine, unchanged re-run: the same pipeline again on the warm engine;
 *   - engine, last param changed: the sort direction flipped, on the warm engine.
 * Both outputs are compared row by row before any figure is printed; then extra instrumented
 * runs show where the engine's time goes. See bench/README.md.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  Engine,
  loadPipeline,
  readRows,
  type Database,
  type HostFiles,
  type PipelineDocument,
  type Primitive,
  type ResolvedPipeline,
  type RunRecord,
} from '../engine/index.ts';
import { DiskStore } from '../engine/node/disk-store.ts';
import { nodeHostFiles } from '../engine/node/host-files.ts';
import type { OutputStore } from '../engine/exec/output-store.ts';
import { NativeDatabase } from '../engine/node/native-database.ts';
import { openDatabase, type EngineKind } from '../engine/node/open-database.ts';

// ---- arguments -------------------------------------------------------------------------------

type Format = 'parquet' | 'csv';

interface Args {
  rows: number;
  engine: EngineKind;
  repeat: number;
  format: Format;
  seed: number;
  keep: boolean;
  store: boolean;
}

const usage = `usage: npm run bench -- [options]
  --rows N              trips to generate (default 1000000; accepts 1e6, 2_000_000, 500k, 5m)
  --engine native|wasm  DuckDB adapter for both the engine and the hand-written SQL (default native)
  --repeat K            timed repeats of each measurement; medians are reported (default 5)
  --format parquet|csv  input and output file format (default parquet; csv for wasm, whose
                        offline build has no parquet extension for the hand-written SQL)
  --seed S              data generator seed (default 42)
  --store               give the engine the CLI's disk store (.kanvas/cache, as \`kanvas run\` does):
                        stored outputs are also written as Parquet; adds a fresh-engine re-run
  --keep                keep the temp folder with the data and outputs`;

function parseArgs(argv: string[]): Args {
  const a: Partial<Args> & { keep: boolean; store: boolean } = { keep: false, store: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=') ? (flag.split('=', 2) as [string, string]) : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--rows':
        a.rows = parseCount(value(), name);
        break;
      case '--engine': {
        const v = value();
        if (v !== 'native' && v !== 'wasm') fail(`--engine: expected native or wasm, got "${v}"`);
        a.engine = v;
        break;
      }
      case '--repeat':
        a.repeat = parseCount(value(), name);
        break;
      case '--format': {
        const v = value();
        if (v !== 'parquet' && v !== 'csv') fail(`--format: expected parquet or csv, got "${v}"`);
        a.format = v;
        break;
      }
      case '--seed':
        a.seed = parseCount(value(), name);
        break;
      case '--keep':
        a.keep = true;
        break;
      case '--store':
        a.store = true;
        break;
      case '--help':
      case '-h':
        console.log(usage);
        process.exit(0);
      default:
        fail(`unknown option "${flag}"`);
    }
  }
  const engine = a.engine ?? 'native';
  const format = a.format ?? (engine === 'wasm' ? 'csv' : 'parquet');
  if (engine === 'wasm' && format === 'parquet') {
    fail('--engine wasm needs --format csv: offline duckdb-wasm has no parquet extension, so the hand-written SQL could not read the input');
  }
  return { rows: a.rows ?? 1_000_000, engine, repeat: Math.max(1, a.repeat ?? 5), format, seed: a.seed ?? 42, keep: a.keep, store: a.store };
}

function parseCount(text: string, flag: string): number {
  const m = /^(\d[\d_]*(?:\.\d+)?(?:e\d+)?)([km])?$/i.exec(text.trim());
  const n = m ? Number(m[1]!.replaceAll('_', '')) * (m[2]?.toLowerCase() === 'm' ? 1e6 : m[2]?.toLowerCase() === 'k' ? 1e3 : 1) : NaN;
  if (!Number.isInteger(n) || n < 0) fail(`${flag}: expected a whole number, got "${text}"`);
  return n;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n\n${usage}`);
  process.exit(2);
}

// ---- data ------------------------------------------------------------------------------------

const BOROUGHS = ['Manhattan', 'Brooklyn', 'Queens', 'Bronx', 'Staten Island', 'EWR'];
const ZONES = 265;
/** fare and tip are money: DECIMAL, so sums are exact and the output comparable bit for bit. */
const CSV_TYPES = { fare: 'DECIMAL(9,2)', tip: 'DECIMAL(9,2)' };

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Writes `trips.<fmt>` and `zones.<fmt>` with native DuckDB. Values come from `hash(i, k)`, so
 * the same seed and DuckDB version give the same files whatever the thread count.
 */
async function generate(dir: string, rows: number, seed: number, format: Format): Promise<{ trips: string; zones: string }> {
  const db = await NativeDatabase.open({ files: nodeHostFiles });
  try {
    const u = (k: number) => `((hash(i, ${seed * 100 + k}) % 1000003)::DOUBLE / 1000003)`;
    const to = (file: string) => `${sqlString(path.join(dir, file))} (FORMAT ${format}${format === 'csv' ? ', HEADER true' : ''})`;
    const trips = `trips.${format}`;
    const zones = `zones.${format}`;
    await db.exec(`
COPY (
  SELECT
    i AS trip_id,
    TIMESTAMP '2024-01-01' + to_seconds((${u(1)} * 31 * 86400)::BIGINT) AS pickup_at,
    -- about 1 % of trips end before they start (bad clocks): the filter drops them
    pickup_at + to_seconds(CASE WHEN ${u(3)} < 0.01 THEN -60 ELSE 120 + (${u(2)} * ${u(2)} * 3600)::BIGINT END) AS dropoff_at,
    (1 + floor(${u(4)} * ${u(4)} * ${ZONES}))::INTEGER AS pu_zone,
    (1 + floor(${u(5)} * ${ZONES}))::INTEGER AS do_zone,
    CASE WHEN ${u(6)} < 0.02 THEN NULL ELSE least(6, 1 + floor(${u(7)} * ${u(7)} * ${u(7)} * 6))::INTEGER END AS passengers,
    -- about 2 % have no distance: dropped by the filter
    CASE WHEN ${u(8)} < 0.02 THEN 0 ELSE round(greatest(60, date_diff('second', pickup_at, dropoff_at)) / 3600 * (8 + 40 * ${u(9)}), 3) END AS distance_km,
    -- about 0.5 % are refunds (negative fares): dropped by the filter
    CASE WHEN ${u(10)} < 0.005 THEN -5.00 ELSE 3.0 + 1.75 * distance_km + 0.5 * greatest(60, date_diff('second', pickup_at, dropoff_at)) / 60 END::DECIMAL(9,2) AS fare,
    CASE WHEN ${u(11)} < 0.70 THEN 'card' WHEN ${u(11)} < 0.95 THEN 'cash' ELSE 'other' END AS payment,
    CASE WHEN payment = 'card' THEN greatest(0, fare) * (0.10 + 0.15 * ${u(12)}) ELSE 0 END::DECIMAL(9,2) AS tip
  FROM range(${rows}) AS t(i)
  ORDER BY i
) TO ${to(trips)}`);
    await db.exec(`
COPY (
  SELECT
    i::INTEGER AS zone_id,
    'Zone ' || lpad(i::VARCHAR, 3, '0') AS zone_name,
    [${BOROUGHS.map(sqlString).join(', ')}][1 + (CASE WHEN i = ${ZONES} THEN 5 ELSE hash(i, ${seed}) % 5 END)::INTEGER] AS borough
  FROM range(1, ${ZONES + 1}) AS t(i)
  ORDER BY i
) TO ${to(zones)}`);
    return { trips, zones };
  } finally {
    await db.close();
  }
}

// ---- the pipeline and its hand-written equivalent -----------------------------------------------

const FILTER = 'distance_km > 0 AND fare > 0 AND dropoff_at > pickup_at';
const DURATION_H = `date_diff('second', pickup_at, dropoff_at) / 3600.0`;

/** A node as the ETL's documents give it: kind and params. */
export type EtlNode = { kind: string; params: Record<string, unknown> };

/**
 * The ETL between its two sources and its sink: trips → filter → derive → aggregate → join
 * (zones) → window → sort → sink, 9 nodes. The export bench uses it too, with CSV in and out.
 */
export function etlPipeline(o: { name: string; trips: EtlNode; zones: EtlNode; sink: EtlNode; descending: boolean }): PipelineDocument {
  const nodes = [
    { id: 'trips', ...o.trips },
    { id: 'valid', kind: 'transform.filter', params: { where: FILTER } },
    {
      id: 'enrich',
      kind: 'transform.derive',
      params: {
        columns: [
          { name: 'duration_h', expr: DURATION_H },
          { name: 'speed_kmh', expr: 'distance_km / duration_h' },
          { name: 'hour', expr: 'hour(pickup_at)' },
          { name: 'total', expr: 'fare + tip' },
          { name: 'tip_pct', expr: '100.0 * tip / fare' },
        ],
      },
    },
    {
      id: 'by_zone_hour',
      kind: 'transform.aggregate',
      params: {
        groupBy: ['pu_zone', 'hour'],
        aggregates: [
          { fn: 'count', as: 'trips' },
          { fn: 'sum', column: 'total', as: 'revenue' },
          { fn: 'mean', column: 'speed_kmh', as: 'avg_speed_kmh' },
          { fn: 'mean', column: 'tip_pct', as: 'avg_tip_pct' },
          { fn: 'max', column: 'distance_km', as: 'max_distance_km' },
        ],
      },
    },
    { id: 'zones', ...o.zones },
    { id: 'named', kind: 'transform.join', params: { how: 'inner', on: [{ left: 'pu_zone', right: 'zone_id' }] } },
    {
      id: 'ranked',
      kind: 'transform.window',
      params: { partitionBy: ['borough'], orderBy: [{ column: 'revenue', descending: true }], columns: [{ as: 'rank_in_borough', fn: 'rank' }] },
    },
    {
      id: 'ordered',
      kind: 'transform.sort',
      params: { by: [{ column: 'revenue', descending: o.descending }, { column: 'pu_zone' }, { column: 'hour' }] },
    },
    { id: 'out', ...o.sink },
  ];
  return {
    format: 'kanvas.pipeline',
    version: 1,
    name: o.name,
    nodes,
    edges: [
      { from: 'trips', to: 'valid' },
      { from: 'valid', to: 'enrich' },
      { from: 'enrich', to: 'by_zone_hour' },
      { from: 'by_zone_hour', to: 'named', toPort: 'left' },
      { from: 'zones', to: 'named', toPort: 'right' },
      { from: 'named', to: 'ranked' },
      { from: 'ranked', to: 'ordered' },
      { from: 'ordered', to: 'out' },
    ],
    layout: {},
  };
}

/** The bench's pipeline for a file format. */
export function pipelineDoc(format: Format, files: { trips: string; zones: string }, descending: boolean): PipelineDocument {
  const source = (file: string, types?: Record<string, string>): EtlNode =>
    format === 'parquet' ? { kind: 'source.parquet', params: { path: file } } : { kind: 'source.csv', params: { path: file, ...(types ? { types } : {}) } };
  return etlPipeline({
    name: 'bench-etl',
    trips: source(files.trips, CSV_TYPES),
    zones: source(files.zones),
    sink: { kind: format === 'parquet' ? 'sink.parquet' : 'sink.csv', params: { path: `out-engine.${format}` } },
    descending,
  });
}

/** The same ETL as one statement, written the way one would by hand. */
export function handWrittenSql(kind: EngineKind, format: Format, dir: string, files: { trips: string; zones: string }, out: string, descending: boolean): string {
  const read = (file: string, types?: Record<string, string>) => {
    const p = sqlString(path.join(dir, file));
    if (format === 'parquet') return `read_parquet(${p})`;
    const t = types ? `, types = {${Object.entries(types).map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(', ')}}` : '';
    return `read_csv(${p}, header = true${t})`;
  };
  // duckdb-wasm in Node writes local files itself but cannot rename DuckDB's temp file (as the adapter does).
  const options = format === 'parquet' ? 'FORMAT parquet' : `FORMAT csv, HEADER true${kind === 'wasm' ? ', USE_TMP_FILE false' : ''}`;
  return `COPY (
  WITH by_zone_hour AS (
    SELECT pu_zone,
           hour(pickup_at) AS hour,
           count(*) AS trips,
           sum(fare + tip) AS revenue,
           avg(distance_km / (${DURATION_H})) AS avg_speed_kmh,
           avg(100.0 * tip / fare) AS avg_tip_pct,
           max(distance_km) AS max_distance_km
    FROM ${read(files.trips, CSV_TYPES)}
    WHERE ${FILTER}
    GROUP BY ALL
  )
  SELECT a.*, z.zone_id, z.zone_name, z.borough,
         rank() OVER (PARTITION BY z.borough ORDER BY a.revenue DESC) AS rank_in_borough
  FROM by_zone_hour AS a JOIN ${read(files.zones)} AS z ON a.pu_zone = z.zone_id
  ORDER BY a.revenue ${descending ? 'DESC' : 'ASC'}, a.pu_zone, a.hour
) TO ${sqlString(path.join(dir, out))} (${options})`;
}

function resolve(doc: PipelineDocument): ResolvedPipeline {
  const result = loadPipeline(JSON.stringify(doc));
  if (!result.ok) throw new Error(`bench pipeline is invalid:\n${result.problems.map((p) => p.message).join('\n')}`);
  return result.pipeline;
}

// ---- output comparison -------------------------------------------------------------------------

const REL_TOL = 1e-9;

/**
 * Reads both files (native DuckDB, one thread, so rows come in file order) and compares column
 * names, types and every value in order. DOUBLE averages may differ in the last bits between
 * two runs of the same query (parallel summation order), so non-integer numbers are compared
 * with a relative tolerance; everything else exactly.
 */
async function compareOutputs(a: string, b: string, format: Format): Promise<{ rows: number; columns: number }> {
  const db = await NativeDatabase.open({ files: nodeHostFiles, threads: 1 });
  try {
    const read = (file: string) => readRows(db, `SELECT * FROM ${format === 'parquet' ? `read_parquet(${sqlString(file)})` : `read_csv(${sqlString(file)}, header = true)`}`);
    const [x, y] = [await read(a), await read(b)];
    const names = (r: typeof x) => r.columns.map((c) => `${c.name} ${c.type}`).join(', ');
    if (names(x) !== names(y)) throw new Error(`columns differ:\n  engine: ${names(x)}\n  SQL:    ${names(y)}`);
    if (x.rows.length !== y.rows.length) throw new Error(`row counts differ: engine ${x.rows.length}, SQL ${y.rows.length}`);
    if (x.rows.length === 0) throw new Error('both outputs are empty: nothing was compared');
    for (let r = 0; r < x.rows.length; r++) {
      for (let c = 0; c < x.columns.length; c++) {
        if (!sameValue(x.rows[r]![c]!, y.rows[r]![c]!)) {
          throw new Error(`row ${r + 1}, column ${x.columns[c]!.name}: engine ${x.rows[r]![c]}, SQL ${y.rows[r]![c]}`);
        }
      }
    }
    return { rows: x.rows.length, columns: x.columns.length };
  } finally {
    await db.close();
  }
}

function sameValue(a: Primitive, b: Primitive): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= REL_TOL * Math.max(1, Math.abs(a), Math.abs(b));
  return false;
}

// ---- instrumentation (one extra cold run, not among the timed ones) ---------------------------

interface Tally {
  count: number;
  ms: number;
}

class Tallies {
  readonly byKind = new Map<string, Tally>();
  add(kind: string, ms: number): void {
    const t = this.byKind.get(kind) ?? { count: 0, ms: 0 };
    t.count++;
    t.ms += ms;
    this.byKind.set(kind, t);
  }
  async time<T>(kind: string, f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      this.add(kind, performance.now() - t0);
    }
  }
}

function statementKind(sql: string): string {
  const s = sql.trimStart();
  if (/^DESCRIBE\b/i.test(s)) return 'DESCRIBE (bind each node)';
  if (/^CREATE (OR REPLACE )?TABLE\b/i.test(s)) return 'CREATE TABLE (stored output)';
  if (/^SELECT count\(\*\) FROM "kv_/i.test(s)) return 'SELECT count(*) of stored table';
  if (/duckdb_memory\(\)/i.test(s)) return 'duckdb_memory()';
  if (/^DROP TABLE\b/i.test(s)) return 'DROP TABLE';
  return `other: ${s.slice(0, 40).replace(/\s+/g, ' ')}`;
}

/** A `Database` that times every call by kind of statement, around the real one. */
function timedDatabase(db: Database, t: Tallies): Database {
  return {
    get engine() {
      return db.engine;
    },
    get version() {
      return db.version;
    },
    exec: (sql) => t.time(statementKind(sql), () => db.exec(sql)),
    query: (sql) => {
      // Which node a DESCRIBE binds: the relation its query selects from last.
      const node = /^DESCRIBE\b[\s\S]*SELECT \* FROM "node:([^"]+)"\s*$/.exec(sql)?.[1];
      const t0 = performance.now();
      return t.time(statementKind(sql), () => db.query(sql)).finally(() => node && t.add(`${PER_NODE}${node}`, performance.now() - t0));
    },
    insertRows: (name, rows) => t.time('insertRows', () => db.insertRows(name, rows)),
    fileRelation: (file) => t.time('fileRelation', () => db.fileRelation(file)),
    writeFile: (sql, p, format, options) =>
      t.time(p.includes(`${path.sep}.kanvas${path.sep}`) ? 'COPY … TO store (.kanvas/cache)' : 'COPY … TO (sink, fused query)', () => db.writeFile(sql, p, format, options)),
    interrupt: () => db.interrupt(),
    progress: () => db.progress(),
    close: () => db.close(),
  };
}

/** The disk store's calls, timed (index reads and writes; its Parquet files go through `writeFile`). */
function timedStore(store: OutputStore, t: Tallies): OutputStore {
  return {
    fingerprints: () => t.time('store: read index (fingerprints)', () => store.fingerprints()),
    checkpoints: () => t.time('store: checkpoints', () => store.checkpoints()),
    get: (key) => t.time('store: get', () => store.get(key)),
    tablePath: (key, port) => store.tablePath(key, port),
    put: (key, entry) => t.time('store: put (index write)', () => store.put(key, entry)),
    commit: (fps, used, checkpoints) => t.time('store: commit (index write)', () => store.commit(fps, used, checkpoints)),
  };
}

function timedFiles(files: HostFiles, t: Tallies): HostFiles {
  return {
    ...files,
    stat: (p) => t.time('stat (files)', () => files.stat(p)),
    rename: (a, b) => t.time('rename (files)', () => files.rename(a, b)),
    makeParentDirs: (p) => t.time('mkdir (files)', () => files.makeParentDirs(p)),
  };
}

type Profile = Map<string, Tally>;
/** Tallies under this prefix split the DESCRIBE total by node; not added into the run's total. */
const PER_NODE = 'describe:';
const TOTAL = 'whole run (Engine.run)';
const REST = 'rest: JS (fingerprints, SQL building, …)';

async function profiledRun(engine: Engine, p: ResolvedPipeline, dir: string, tallies: Tallies, what: string): Promise<Profile> {
  tallies.byKind.clear();
  // Zero-delay timers (the engine yields to the event loop between nodes): time from scheduling
  // to callback. Node clamps a 0 ms timeout to 1 ms, so each costs about that much.
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, delay?: number, ...rest: unknown[]) => {
    if (delay) return realSetTimeout(fn, delay, ...rest);
    const s0 = performance.now();
    return realSetTimeout(() => (tallies.add('setTimeout(0) waits (yield between nodes)', performance.now() - s0), fn(...rest)), delay);
  }) as typeof setTimeout;
  const t0 = performance.now();
  let record: RunRecord;
  try {
    record = await engine.run(p, { baseDir: dir });
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  const total = performance.now() - t0;
  checkRecord(record, what);
  const profile: Profile = new Map(tallies.byKind);
  const accounted = [...profile.entries()].filter(([k]) => !k.startsWith(PER_NODE)).reduce((sum, [, t]) => sum + t.ms, 0);
  profile.set(REST, { count: 1, ms: total - accounted });
  profile.set(TOTAL, { count: 1, ms: total });
  return profile;
}

/** Per kind: the median time over the runs (and the median count of calls). */
function summarize(profiles: Profile[]): Map<string, Tally> {
  const kinds = new Set(profiles.flatMap((p) => [...p.keys()]));
  return new Map(
    [...kinds].map((k) => [k, { count: median(profiles.map((p) => p.get(k)?.count ?? 0)), ms: median(profiles.map((p) => p.get(k)?.ms ?? 0)) }]),
  );
}

/**
 * CPU time used by other processes while we measure (Linux: /proc/stat busy time of the whole
 * machine minus this process's own CPU time, DuckDB's threads included). Others on the same
 * cores slow both sides unevenly, so the report shows it next to the figures.
 */
function cpuMeter(): () => { otherCores: number; seconds: number } | null {
  const machine = () => {
    try {
      const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
      return { busy: (user + nice + system + irq + softirq + (steal ?? 0)) / 100, iowait: iowait / 100, idle: idle / 100 };
    } catch {
      return null;
    }
  };
  const m0 = machine();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const m1 = machine();
    if (!m0 || !m1) return null;
    const c = process.cpuUsage(c0);
    const seconds = (performance.now() - t0) / 1000;
    const ours = (c.user + c.system) / 1e6;
    return { otherCores: Math.max(0, (m1.busy - m0.busy - ours) / seconds), seconds };
  };
}

// ---- measurement -------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function checkRecord(record: RunRecord, what: string): void {
  if (record.status !== 'ok') {
    throw new Error(`${what}: engine run ${record.status}: ${record.problems.map((p) => `${p.node ?? ''}: ${p.message}`).join('; ')}`);
  }
}

/** Which nodes did work in a run, and which were served from the cache. */
function statuses(record: RunRecord): { ran: string[]; cached: string[] } {
  const ran: string[] = [];
  const cached: string[] = [];
  for (const [id, n] of Object.entries(record.nodes)) (n.status === 'cached' ? cached : ran).push(id);
  return { ran, cached };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(path.join(tmpdir(), 'kanvas-bench-'));
  const files = nodeHostFiles;
  const sqlOut = `out-sql.${args.format}`;
  const engineOut = `out-engine.${args.format}`;
  const removeOutputs = () => {
    for (const f of [sqlOut, engineOut]) rmSync(path.join(dir, f), { force: true });
  };

  try {
    // Generation: not measured.
    const g0 = performance.now();
    const data = await generate(dir, args.rows, args.seed, args.format);
    const genMs = performance.now() - g0;
    const inputBytes = statSync(path.join(dir, data.trips)).size;

    const docDesc = pipelineDoc(args.format, data, true);
    const docAsc = pipelineDoc(args.format, data, false);
    const pDesc = resolve(docDesc);
    const pAsc = resolve(docAsc);
    const sqlDesc = handWrittenSql(args.engine, args.format, dir, data, sqlOut, true);
    const sqlAsc = handWrittenSql(args.engine, args.format, dir, data, sqlOut, false);

    const runSql = async (sql: string): Promise<number> => {
      const db = await openDatabase(args.engine, files);
      try {
        const t0 = performance.now();
        await db.exec(sql);
        return performance.now() - t0;
      } finally {
        await db.close();
      }
    };
    // With --store, each cold run gets its own empty store; re-runs use the warm engine's.
    const storeDir = (name: string) => path.join(dir, '.kanvas', 'cache', name);
    const store = (name: string) => (args.store ? { store: new DiskStore(storeDir(name)) } : {});
    const coldEngine = async (name: string): Promise<{ ms: number; engine: Engine; record: RunRecord; name: string }> => {
      const engine = new Engine({ db: await openDatabase(args.engine, files), files, ...store(name) });
      const t0 = performance.now();
      const record = await engine.run(pDesc, { baseDir: dir });
      const ms = performance.now() - t0;
      checkRecord(record, 'cold run');
      return { ms, engine, record, name };
    };

    // Warm-up (not measured): page cache, JIT, DuckDB's first-use costs; and the honesty check.
    removeOutputs();
    await runSql(sqlDesc);
    const warm = await coldEngine('warm-up');
    const version = warm.engine.db.version;
    await warm.engine.close();
    const check = await compareOutputs(path.join(dir, engineOut), path.join(dir, sqlOut), args.format);

    const meter = cpuMeter();
    // Cold runs, alternating which goes first; fresh database (and engine) every time.
    const sqlTimes: number[] = [];
    const coldTimes: number[] = [];
    let last: Awaited<ReturnType<typeof coldEngine>> | undefined;
    for (let k = 0; k < args.repeat; k++) {
      removeOutputs();
      const doEngine = async () => {
        await last?.engine.close();
        last = await coldEngine(`cold-${k}`);
        coldTimes.push(last.ms);
      };
      const doSql = async () => void sqlTimes.push(await runSql(sqlDesc));
      if (k % 2 === 0) {
        await doSql();
        await doEngine();
      } else {
        await doEngine();
        await doSql();
      }
    }
    const engine = last!.engine;
    const coldRecord = last!.record;

    // Unchanged re-runs on the warm engine.
    const unchangedTimes: number[] = [];
    let unchangedRecord: RunRecord | undefined;
    for (let k = 0; k < args.repeat; k++) {
      const t0 = performance.now();
      unchangedRecord = await engine.run(pDesc, { baseDir: dir });
      unchangedTimes.push(performance.now() - t0);
      checkRecord(unchangedRecord, 'unchanged re-run');
      const s = statuses(unchangedRecord);
      if (s.ran.length) throw new Error(`unchanged re-run did work in: ${s.ran.join(', ')}`);
    }

    // Last transform's param changed: flip the sort direction each time (each run differs from the one before).
    const changedTimes: number[] = [];
    let changedRecord: RunRecord | undefined;
    let ascending = false;
    for (let k = 0; k < args.repeat; k++) {
      ascending = !ascending;
      const t0 = performance.now();
      changedRecord = await engine.run(ascending ? pAsc : pDesc, { baseDir: dir });
      changedTimes.push(performance.now() - t0);
      checkRecord(changedRecord, 'param-change re-run');
    }
    const pLast = ascending ? pAsc : pDesc;

    // --store: unchanged re-run in a fresh engine over the warm store (a second `kanvas run`).
    const freshTimes: number[] = [];
    if (args.store) {
      for (let k = 0; k < args.repeat; k++) {
        const fresh = new Engine({ db: await openDatabase(args.engine, files), files, store: new DiskStore(storeDir(last!.name)) });
        const t0 = performance.now();
        const record = await fresh.run(pLast, { baseDir: dir });
        freshTimes.push(performance.now() - t0);
        await fresh.close();
        checkRecord(record, 'fresh-engine re-run');
        const s = statuses(record);
        if (s.ran.length) throw new Error(`fresh-engine re-run over the warm store did work in: ${s.ran.join(', ')}`);
      }
    }
    // The last changed run's output must match the hand-written SQL with the same direction.
    rmSync(path.join(dir, sqlOut), { force: true });
    await runSql(ascending ? sqlAsc : sqlDesc);
    const changedCheck = await compareOutputs(path.join(dir, engineOut), path.join(dir, sqlOut), args.format);
    await engine.close();

    const contention = meter();

    // Instrumented runs (not among the timed ones): where the engine's time goes, statement by
    // statement, in a cold run and in a param-change run. K of each; medians per kind.
    const profileCold: Profile[] = [];
    const profileChanged: Profile[] = [];
    const profileUnchanged: Profile[] = [];
    for (let k = 0; k < args.repeat; k++) {
      const tallies = new Tallies();
      const profiled = new Engine({ db: timedDatabase(await openDatabase(args.engine, files), tallies), files: timedFiles(files, tallies), ...(args.store ? { store: timedStore(new DiskStore(storeDir(`profile-${k}`)), tallies) } : {}) });
      profileCold.push(await profiledRun(profiled, pDesc, dir, tallies, 'instrumented cold run'));
      profileChanged.push(await profiledRun(profiled, pAsc, dir, tallies, 'instrumented param-change run'));
      profileUnchanged.push(await profiledRun(profiled, pAsc, dir, tallies, 'instrumented unchanged re-run'));
      await profiled.close();
    }

    // ---- report ----
    const sqlMs = median(sqlTimes);
    const coldMs = median(coldTimes);
    const unchangedMs = median(unchangedTimes);
    const changedMs = median(changedTimes);
    const ratio = coldMs / sqlMs;
    const unchangedPct = (100 * unchangedMs) / coldMs;
    const changedPct = (100 * changedMs) / coldMs;

    const n = (x: number) => x.toLocaleString('en-US');
    const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
    const rate = (t: number) => `${n(Math.round(args.rows / (t / 1000)))}`;
    const pad = (s: string, w: number) => s.padEnd(w);
    const lpad = (s: string, w: number) => s.padStart(w);

    const cpu = cpus();
    console.log(`Kanvas ETL benchmark (bench/etl.ts)`);
    console.log(`  adapter   ${args.engine} DuckDB ${version}; Node ${process.version}, ${process.platform} ${process.arch}, ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}`);
    console.log(`  data      ${n(args.rows)} trips (${args.format}, ${(inputBytes / 1e6).toFixed(1)} MB, seed ${args.seed}) + ${ZONES} zones, in ${dir}`);
    console.log(`            generated in ${(genMs / 1000).toFixed(2)} s with native DuckDB (not measured)`);
    console.log(`  pipeline  ${pDesc.order.length} nodes: trips → valid (filter) → enrich (derive ×5) → by_zone_hour (aggregate) → named (join zones) → ranked (window) → ordered (sort) → out (sink.${args.format})`);
    console.log(`  timing    median of ${args.repeat}; a fresh database for every SQL and every cold engine run; one untimed warm-up of each first`);
    console.log(`  cache     ${args.store ? 'in memory + disk store (.kanvas/cache in the temp folder), as `kanvas run`' : 'in memory only (no disk store; --store adds the one `kanvas run` uses)'}`);
    console.log('');
    const head = `${pad('', 34)}${lpad('median', 10)}${lpad('min', 10)}${lpad('max', 10)}${lpad('rows/s', 14)}   comparison`;
    console.log(head);
    console.log('-'.repeat(head.length + 18));
    const line = (label: string, xs: number[], cmp: string, withRate = true) =>
      console.log(
        `${pad(label, 34)}${lpad(`${ms(median(xs))} ms`, 10)}${lpad(`${ms(Math.min(...xs))} ms`, 10)}${lpad(`${ms(Math.max(...xs))} ms`, 10)}${lpad(withRate ? rate(median(xs)) : '—', 14)}   ${cmp}`,
      );
    line('hand-written SQL (one COPY)', sqlTimes, '1.00× (baseline)');
    line('engine, cold (fresh engine)', coldTimes, `${ratio.toFixed(2)}× hand-written SQL`);
    line('engine, unchanged re-run', unchangedTimes, `${unchangedPct.toFixed(2)} % of cold engine run`, false);
    line('engine, sort direction changed', changedTimes, `${changedPct.toFixed(2)} % of cold engine run`, false);
    if (args.store) line('fresh engine, warm store, unchanged', freshTimes, `${((100 * median(freshTimes)) / coldMs).toFixed(2)} % of cold engine run`, false);
    const paired = median(coldTimes.map((t, k) => t / sqlTimes[k]!));
    const ofMins = Math.min(...coldTimes) / Math.min(...sqlTimes);
    console.log(`  engine / SQL: ratio of medians ${ratio.toFixed(2)}×; median of paired runs ${paired.toFixed(2)}×; ratio of minimums ${ofMins.toFixed(2)}×`);
    if (contention) {
      const busy = contention.otherCores;
      const note = busy >= 0.1 ? ' — other processes competed for the CPU: figures are noisy, compare the minimums' : '';
      console.log(`  other processes used ${busy.toFixed(2)} of ${cpus().length} cores on average during the timed runs${note}`);
    }
    console.log('');
    const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
    console.log('goals');
    console.log(`  engine ≤ 1.15× hand-written SQL         ${lpad(`${ratio.toFixed(2)}×`, 8)}   met: ${yes(ratio <= 1.15)}`);
    console.log(`  unchanged re-run ≤ 1 % of first run     ${lpad(`${unchangedPct.toFixed(2)} %`, 8)}   met: ${yes(unchangedPct <= 1)}`);
    console.log(`  last param changed ≤ 10 % of full run   ${lpad(`${changedPct.toFixed(2)} %`, 8)}   met: ${yes(changedPct <= 10)}`);
    console.log('');
    console.log('checks');
    console.log(`  cold output = hand-written output: ${n(check.rows)} rows × ${check.columns} columns, same order (non-integers within ${REL_TOL} relative)`);
    console.log(`  changed output = hand-written with ORDER BY revenue ${ascending ? 'ASC' : 'DESC'}: ${n(changedCheck.rows)} rows × ${changedCheck.columns} columns`);
    const sCold = statuses(coldRecord);
    const sChanged = statuses(changedRecord!);
    const stored = Object.entries(coldRecord.nodes).filter(([, r]) => r.outputs).map(([id, r]) => `${id} (${n(r.outputs!['out']?.rows ?? 0)} rows)`);
    console.log(`  cold run: stored outputs: ${stored.join(', ') || 'none'}; fused: ${Object.entries(coldRecord.nodes).filter(([, r]) => r.fusedInto).map(([id, r]) => `${id}→${r.fusedInto}`).join(', ')}`);
    console.log(`  cold run: ${sCold.ran.length} nodes ran; unchanged re-run: all ${statuses(unchangedRecord!).cached.length} cached`);
    console.log(`  param change: ran ${sChanged.ran.join(', ')}; cached ${sChanged.cached.join(', ')}`);
    console.log('');
    console.log(`where the engine's time goes (medians of ${args.repeat} extra instrumented runs of each kind; per call kind)`);
    console.log(`  ${pad('', 42)}${lpad('cold run', 20)}${lpad('sort changed', 20)}${lpad('unchanged', 20)}`);
    const cold = summarize(profileCold);
    const changed = summarize(profileChanged);
    const unchanged = summarize(profileUnchanged);
    const kinds = [...new Set([...cold.keys(), ...changed.keys(), ...unchanged.keys()])].filter((k) => k !== TOTAL && k !== REST && !k.startsWith(PER_NODE));
    kinds.sort((a, b) => (cold.get(b)?.ms ?? 0) - (cold.get(a)?.ms ?? 0));
    const cell = (t: Tally | undefined) => lpad(t && t.count ? `${t.count} × ${ms(t.ms)} ms` : '—', 20);
    for (const kind of [...kinds, REST, TOTAL]) {
      console.log(`  ${pad(kind, 42)}${cell(cold.get(kind))}${cell(changed.get(kind))}${cell(unchanged.get(kind))}`);
      if (kind.startsWith('DESCRIBE')) {
        const perNode = (m: Map<string, Tally>) =>
          pDesc.order.filter((id) => m.has(PER_NODE + id)).map((id) => `${id} ${ms(m.get(PER_NODE + id)!.ms)}`).join(', ');
        console.log(`      cold, per node (ms): ${perNode(cold)}`);
        console.log(`      sort changed, per node (ms): ${perNode(changed)}`);
      }
    }
    console.log(`  (hand-written SQL, timed above: ${ms(sqlMs)} ms)`);
  } finally {
    if (args.keep) console.log(`\nkept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

// Run when executed (`npm run bench`), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
