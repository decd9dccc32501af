/**
 * Every example pipeline, exported to all four targets: the pandas and DuckDB SQL exports are
 * executed on the example data and their output files compared with the engine's (tables equal,
 * floats to 1e-9 relative); the PySpark and Beam exports are parsed with Python's `ast` and
 * checked for the APIs they use. Snapshots keep the exported text of each target.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine, loadPipeline, type ExportResult, type PipelineDocument } from '../../engine/index.ts';
import { nodeHostFiles } from '../../engine/node/host-files.ts';
import { openDatabase } from '../../engine/node/open-database.ts';
import { tempDir } from '../support/engines.ts';
import { ensureDir, exportAll, inspectPython, parquetAsCsv, readTable, runPandas, runSqlScript, writeExport, type PythonInfo } from '../support/export.ts';
import { expectRowsClose } from '../support/pandas.ts';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

interface Case {
  name: string;
  data: string;
  doc: PipelineDocument;
  exports: Record<string, ExportResult>;
  engineOut: string;
  pandasOut: string;
  sqlOut: string;
  sinks: { id: string; path: string }[];
}

const cases: Case[] = [];
let pandasResults: { ok: boolean; error?: string }[] = [];
let parsed: Record<string, PythonInfo> = {};
const pythonFiles: Record<string, string> = {};

beforeAll(async () => {
  for (const name of examples) {
    const data = tempDir(`kanvas-example-${name}-`);
    cpSync(path.join(examplesDir, name), data, { recursive: true, filter: (src) => !/[\\/](out|\.kanvas)([\\/]|$)/.test(src) });
    const doc = JSON.parse(readFileSync(path.join(data, 'pipeline.kanvas.json'), 'utf8')) as PipelineDocument;
    const load = loadPipeline(JSON.stringify(doc));
    if (!load.ok) throw new Error(`${name}: invalid`);
    const engineOut = tempDir(`kanvas-engine-${name}-`);
    const engine = new Engine({ db: await openDatabase('native'), files: nodeHostFiles });
    const record = await engine.run(load.pipeline, { baseDir: data, outDir: engineOut, useCache: false });
    await engine.close();
    expect(record.status, JSON.stringify(record.problems)).toBe('ok');
    const exports = await exportAll(doc, data, ['pandas', 'sql', 'pyspark', 'beam']);
    const sinks = load.pipeline.order
      .map((id) => load.pipeline.nodes.get(id)!)
      .filter((n) => n.def.category === 'sink')
      .map((n) => ({ id: n.id, path: String(n.params['path']) }));
    const c: Case = { name, data, doc, exports, engineOut, pandasOut: tempDir(`kanvas-pandas-${name}-`), sqlOut: tempDir(`kanvas-sql-${name}-`), sinks };
    cases.push(c);
    // SQL: run from a folder holding the inputs, as the header says, with the output folders made.
    const sqlRun = tempDir(`kanvas-sqlrun-${name}-`);
    cpSync(data, sqlRun, { recursive: true });
    for (const s of sinks) ensureDir(path.dirname(path.join(sqlRun, s.path)));
    await runSqlScript(exports['sql']!.files[exports['sql']!.main]!, sqlRun);
    c.sqlOut = sqlRun;
    for (const t of ['pyspark', 'beam']) pythonFiles[`${name}.${t}`] = writeExport(exports[t]!);
  }
  const jobs = await Promise.all(
    cases.map(async (c) => {
      const parquetInputs = readdirSync(c.data).filter((f) => f.endsWith('.parquet')).map((f) => path.join(c.data, f));
      return { script: writeExport(c.exports['pandas']!), input_dir: c.data, output_dir: c.pandasOut, parquet: parquetInputs.length ? await parquetAsCsv(parquetInputs) : undefined };
    }),
  );
  pandasResults = runPandas(jobs);
  parsed = inspectPython(Object.values(pythonFiles));
}, 240_000);

describe.each(examples)('example %s', (name) => {
  const get = () => cases.find((c) => c.name === name)!;

  it('pandas export runs and writes the tables the engine writes', async () => {
    const c = get();
    const result = pandasResults[cases.indexOf(c)]!;
    expect(result.error ?? '').toBe('');
    for (const sink of c.sinks) {
      const engine = await readTable(path.join(c.engineOut, sink.path));
      // Parquet outputs come through the test's CSV stand-in for pyarrow (see run_exports.py).
      const pandasFile = path.join(c.pandasOut, sink.path) + (sink.path.endsWith('.parquet') ? '.csv' : '');
      const pandas = await readTable(pandasFile);
      expect(pandas.columns).toEqual(engine.columns);
      expect(pandas.rows.length).toBe(engine.rows.length);
      expect(engine.rows.length).toBeGreaterThan(0);
      expectRowsClose(pandas.rows, engine.rows);
    }
  });

  it('SQL export runs on DuckDB and writes the tables the engine writes', async () => {
    const c = get();
    for (const sink of c.sinks) {
      const engine = await readTable(path.join(c.engineOut, sink.path));
      const sql = await readTable(path.join(c.sqlOut, sink.path));
      expect(sql.columns).toEqual(engine.columns);
      expect(sql.rows.length).toBe(engine.rows.length);
      expectRowsClose(sql.rows, engine.rows);
    }
  });

  it('PySpark and Beam exports parse and use the frameworks’ APIs', () => {
    const spark = parsed[pythonFiles[`${name}.pyspark`]!]!;
    const beam = parsed[pythonFiles[`${name}.beam`]!]!;
    if (!spark.ok) throw new Error(spark.error);
    if (!beam.ok) throw new Error(beam.error);
    expect(spark.imports).toEqual(expect.arrayContaining(['pyspark.sql.SparkSession', 'pyspark.sql.functions', 'pyspark.sql.Window']));
    expect(spark.calls).toEqual(expect.arrayContaining(['SparkSession.builder.appName', 'F.col', 'F.expr']));
    expect(spark.calls.some((c) => /\.write\.mode\.(csv|parquet)$/.test(c)), spark.calls.join(' ')).toBe(true);
    expect(beam.imports).toEqual(expect.arrayContaining(['apache_beam', 'apache_beam.options.pipeline_options.PipelineOptions']));
    expect(beam.calls).toEqual(expect.arrayContaining(['beam.Pipeline', 'beam.Map', 'beam.GroupBy', 'beam.combiners.ToList', 'PipelineOptions']));
    expect(beam.calls.some((c) => /^beam\.io\.(ReadFromCsv|ReadFromParquet)$/.test(c)), beam.calls.join(' ')).toBe(true);
  });

  it('exports the same bytes for the same document, with the header', () => {
    const c = get();
    for (const [target, result] of Object.entries(c.exports)) {
      const text = result.files[result.main]!;
      expect(text).toContain(`Pipeline:  ${c.doc.name}`);
      expect(text).toMatch(/Document:  sha256:[0-9a-f]{64}/);
      expect(text).toContain('Kanvas:    0.1.0');
      expect(text).toContain('Exported:  2026-01-01');
      // Every node appears: as a comment on its code, or in the list of nodes left out.
      const skipped = new Set(result.skipped.map((s) => s.node));
      for (const id of c.doc.nodes.map((n) => n.id)) expect(text, `${target} mentions ${id}`).toContain(skipped.has(id) ? `  - ${id} (` : `(${id})`);
    }
  });

  it.each(['pandas', 'sql', 'pyspark', 'beam'])('matches the %s snapshot', async (target) => {
    const c = get();
    const result = c.exports[target]!;
    const all = Object.entries(result.files).map(([file, text]) => `==> ${file} <==\n${text}`).join('\n');
    await expect(all).toMatchFileSnapshot(`__snapshots__/export/example-${name}.${target}.txt`);
  });
});
