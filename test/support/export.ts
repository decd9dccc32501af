/**
 * Helpers for the code-export tests: export with a schema from a check, run exported pandas code
 * (several modules per Python process: starting Python costs most of a second), run exported SQL
 * on native DuckDB, parse Python with `ast`, and read output tables back for comparison.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine, exportCode, exportSchema, loadPipeline, readRows, type ExportResult, type ExportTarget, type PipelineDocument, type Primitive } from '../../engine/index.ts';
import { nodeHostFiles } from '../../engine/node/host-files.ts';
import { openDatabase } from '../../engine/node/open-database.ts';
import { literal } from '../../engine/sql/quote.ts';
import { tempDir } from './engines.ts';

/** Debian's Python, which has pandas, numpy and scikit-learn (the first python3 on PATH may not). */
export const PYTHON = '/usr/bin/python3';
const supportDir = fileURLToPath(new URL('./', import.meta.url));

export const EXPORT_OPTIONS = { date: '2026-01-01', version: '0.1.0' };

/** Exports `doc` to each target, with the schema a check of it against the files in `dir` gives. */
export async function exportAll(doc: PipelineDocument, dir: string, targets: ExportTarget[]): Promise<Record<string, ExportResult>> {
  const load = loadPipeline(JSON.stringify(doc));
  if (!load.ok) throw new Error(load.problems.map((p) => p.message).join('\n'));
  const engine = new Engine({ db: await openDatabase('native'), files: nodeHostFiles });
  try {
    const { schema } = await exportSchema(engine, load.pipeline, dir, nodeHostFiles);
    return Object.fromEntries(targets.map((t) => [t, exportCode(doc, t, { ...EXPORT_OPTIONS, schema })]));
  } finally {
    await engine.close();
  }
}

/** Writes an export's files into a new folder; returns the main file's path. */
export function writeExport(result: ExportResult, dir = tempDir('kanvas-export-')): string {
  for (const [name, text] of Object.entries(result.files)) writeFileSync(path.join(dir, name), text);
  return path.join(dir, result.main);
}

export interface PandasJob {
  script: string;
  input_dir: string;
  output_dir: string;
  /** Test-environment stand-in for pyarrow: Parquet path → CSV copy and its timestamp columns. */
  parquet?: Record<string, { csv: string; dates: string[] }>;
}

/** Runs exported pandas modules in one Python process; returns per job ok or the traceback. */
export function runPandas(jobs: PandasJob[]): { ok: boolean; error?: string }[] {
  const file = path.join(tempDir('kanvas-jobs-'), 'jobs.json');
  writeFileSync(file, JSON.stringify(jobs));
  const out = execFileSync(PYTHON, [path.join(supportDir, 'run_exports.py'), file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

export type PythonInfo = { ok: true; calls: string[]; imports: string[]; strings: string[] } | { ok: false; error: string };

/** Parses Python files with `ast` (one process); returns their calls, imports and string constants. */
export function inspectPython(files: string[]): Record<string, PythonInfo> {
  const out = execFileSync(PYTHON, [path.join(supportDir, 'check_python.py'), ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

/** Runs an exported SQL script on native DuckDB with `cwd` as the current folder (relative paths). */
export async function runSqlScript(script: string, cwd: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const before = process.cwd();
  process.chdir(cwd);
  try {
    await conn.run(script);
  } finally {
    process.chdir(before);
    conn.closeSync();
    instance.closeSync();
  }
}

/** CSV copies of Parquet files for the pandas shim, timestamps named so pandas parses them. */
export async function parquetAsCsv(files: string[]): Promise<Record<string, { csv: string; dates: string[] }>> {
  const db = await openDatabase('native');
  const out: Record<string, { csv: string; dates: string[] }> = {};
  try {
    for (const file of files) {
      const csv = `${file}.shim.csv`;
      await db.exec(`COPY (SELECT * FROM read_parquet(${literal(file)})) TO ${literal(csv)} (FORMAT csv, HEADER true)`);
      const cols = await db.query(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
      out[path.resolve(file)] = { csv, dates: cols.rows.filter((r) => /^(TIMESTAMP|DATE)/.test(String(r[1]))).map((r) => String(r[0])) };
    }
  } finally {
    await db.close();
  }
  return out;
}

/** A table read back from a CSV or Parquet file, values as JS primitives (others as text). */
export async function readTable(file: string): Promise<{ columns: string[]; rows: Primitive[][] }> {
  const db = await openDatabase('native');
  try {
    const rel = /\.parquet$/.test(file) ? `read_parquet(${literal(file)})` : `read_csv(${literal(file)}, header = true)`;
    const t = await readRows(db, `SELECT * FROM ${rel}`);
    return { columns: t.columns.map((c) => c.name), rows: t.rows };
  } finally {
    await db.close();
  }
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
