/**
 * Every example pipeline, exported to all four targets: the pandas and DuckDB SQL exports are
 * executed on the example data (and the built-in sample datasets an export reads, as
 * `samples/<name>.csv` in its input folder) and their output files compared with the engine's;
 * the PySpark and Beam exports are parsed with Python's `ast` and checked for the APIs each
 * example's code needs. Snapshots keep the exported text of each target.
 *
 * Tolerances. A table that depends on no fitted model: equal, floats to 1e-9 relative (the same
 * SQL/pandas operations; only the summation order of aggregates differs). A table downstream of a
 * fitted artifact (a `model` output: features.*, model.*): the pandas export refits every step
 * with scikit-learn (SimpleImputer, OneHotEncoder, StandardScaler, LogisticRegression with
 * newton-cg), which reaches the optimum Kanvas' own solvers reach by another path, so its
 * discrete cells (text, dates, integers, 0/1 indicators, predicted labels) must be equal and its
 * other numbers (scaled features, probabilities, metrics) within 1e-4 absolute. 1e-4 is the bound
 * the example tests hold scikit-learn's metrics to (example-churn-model.test.ts): it absorbs
 * solver and stopping-rule differences (measured ~1e-11 here; scikit-learn's default lbfgs would
 * be up to 9e-5 off in probabilities, 6e-6 in ROC AUC) and still catches a wrong model: in the
 * churn-model example, C = 0.9 instead of 1 moves a test probability by 2e-4, leaving out any one
 * feature by 3e-3 or more.
 * The SQL export cannot fit: it leaves fitted nodes and everything after them out, with reasons;
 * the sinks it writes are compared, the ones it cannot are checked to be listed as left out.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine, loadPipeline, type ExportResult, type PipelineDocument, type Primitive, type ResolvedPipeline } from '../../engine/index.ts';
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
  /** Sinks in run order; `fitted`: downstream of a fitted artifact (see the tolerances above). */
  sinks: { id: string; path: string; fitted: boolean }[];
  /** Nodes that output a fitted artifact, or depend on one. */
  fitted: Set<string>;
  /** Analysis nodes (profile): reports for the editor, which no target exports. */
  reports: Set<string>;
}

/** Nodes with a `model` output port, and every node downstream of one. */
function fittedNodes(p: ResolvedPipeline): Set<string> {
  const fitted = new Set<string>();
  for (const id of p.order) {
    const node = p.nodes.get(id)!;
    const fits = Object.values(node.def.outputs).some((port) => port.type === 'model');
    if (fits || [...node.inputs.values()].some((e) => fitted.has(e.from))) fitted.add(id);
  }
  return fitted;
}

/**
 * Compares a table written downstream of a fitted model: columns and rows in the same order,
 * discrete cells (anything but a non-integral number in the engine's column) equal, the other
 * numbers within `abs`.
 */
function expectFittedClose(actual: { columns: string[]; rows: Primitive[][] }, expected: { columns: string[]; rows: Primitive[][] }, abs: number): void {
  const continuous = expected.columns.map((_, c) => expected.rows.some((r) => typeof r[c] === 'number' && !Number.isInteger(r[c])));
  const aligned = actual.rows.map((row, r) =>
    row.map((cell, c) => {
      const want = expected.rows[r]?.[c] ?? null;
      return continuous[c] && typeof cell === 'number' && typeof want === 'number' && Math.abs(cell - want) <= abs ? want : cell;
    }),
  );
  expect(aligned).toEqual(expected.rows);
}

/**
 * The framework APIs each example's PySpark and Beam code must use: its reads, transforms and
 * writes (a write only where the target exports a sink, checked separately). A new example
 * needs an entry.
 */
const tableApis = {
  spark: {
    imports: ['pyspark.sql.SparkSession', 'pyspark.sql.functions', 'pyspark.sql.Window'],
    calls: ['SparkSession.builder.appName', 'F.col', 'F.expr'],
  },
  beam: {
    imports: ['apache_beam', 'apache_beam.options.pipeline_options.PipelineOptions'],
    calls: ['beam.Pipeline', 'beam.Map', 'beam.GroupBy', 'beam.combiners.ToList', 'PipelineOptions'],
  },
};
const frameworkApis: Record<string, typeof tableApis> = {
  churn: tableApis,
  trips: tableApis,
  // Sample read, stratified split, MLlib fits (the evaluation is pandas-only); Beam cannot fit, so
  // its code reads and splits, and exports no sink.
  'churn-model': {
    spark: {
      imports: ['pyspark.sql.SparkSession', 'pyspark.sql.functions', 'pyspark.sql.Window', 'pyspark.ml.classification.LogisticRegression', 'pyspark.ml.feature.VectorAssembler'],
      calls: ['SparkSession.builder.appName', 'spark.read.csv', 'F.col', 'Window.partitionBy.orderBy', 'VectorAssembler', 'LogisticRegression', 'LogisticRegression.fit', '_ml_spark_apply'],
    },
    beam: {
      imports: ['apache_beam', 'apache_beam.options.pipeline_options.PipelineOptions'],
      calls: ['beam.Pipeline', 'beam.Map', 'beam.combiners.ToList', 'PipelineOptions', 'beam.io.ReadFromCsv'],
    },
  },
};

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
    // The built-in sample datasets the exports read, where they read them (as `kanvas export --out DIR` copies them).
    for (const sample of new Set(Object.values(exports).flatMap((e) => e.samples))) {
      mkdirSync(path.join(data, 'samples'), { recursive: true });
      cpSync(nodeHostFiles.samplePath(sample), path.join(data, 'samples', `${sample}.csv`));
    }
    const fitted = fittedNodes(load.pipeline);
    const sinks = load.pipeline.order
      .map((id) => load.pipeline.nodes.get(id)!)
      .filter((n) => n.def.category === 'sink')
      .map((n) => ({ id: n.id, path: String(n.params['path']), fitted: fitted.has(n.id) }));
    const reports = new Set([...load.pipeline.nodes.values()].filter((n) => n.def.category === 'analysis').map((n) => n.id));
    const c: Case = { name, data, doc, exports, engineOut, pandasOut: tempDir(`kanvas-pandas-${name}-`), sqlOut: tempDir(`kanvas-sql-${name}-`), sinks, fitted, reports };
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
    // pandas is the complete target: it leaves out only the editor's reports.
    expect(c.exports['pandas']!.skipped.map((s) => s.node).filter((id) => !c.reports.has(id))).toEqual([]);
    for (const sink of c.sinks) {
      const engine = await readTable(path.join(c.engineOut, sink.path));
      // Parquet outputs come through the test's CSV stand-in for pyarrow (see run_exports.py).
      const pandasFile = path.join(c.pandasOut, sink.path) + (sink.path.endsWith('.parquet') ? '.csv' : '');
      const pandas = await readTable(pandasFile);
      expect(pandas.columns, sink.id).toEqual(engine.columns);
      expect(pandas.rows.length, sink.id).toBe(engine.rows.length);
      expect(engine.rows.length, sink.id).toBeGreaterThan(0);
      if (sink.fitted) expectFittedClose(pandas, engine, 1e-4);
      else expectRowsClose(pandas.rows, engine.rows);
    }
  });

  it('SQL export runs on DuckDB and writes the tables the engine writes, leaving out only what needs a fit', async () => {
    const c = get();
    const skipped = new Map(c.exports['sql']!.skipped.map((s) => [s.node, s]));
    // Only the editor's reports, fitted nodes and what depends on them are left out.
    expect([...skipped.keys()].filter((id) => !c.fitted.has(id) && !c.reports.has(id))).toEqual([]);
    for (const s of skipped.values()) expect(s.reason, s.node).toMatch(/\S/);
    for (const sink of c.sinks) {
      if (skipped.has(sink.id)) {
        expect(sink.fitted, sink.id).toBe(true);
        expect(existsSync(path.join(c.sqlOut, sink.path)), sink.id).toBe(false);
        continue;
      }
      const engine = await readTable(path.join(c.engineOut, sink.path));
      const sql = await readTable(path.join(c.sqlOut, sink.path));
      expect(sql.columns).toEqual(engine.columns);
      expect(sql.rows.length).toBe(engine.rows.length);
      expectRowsClose(sql.rows, engine.rows);
    }
  });

  it('PySpark and Beam exports parse and use the frameworks’ APIs', () => {
    const c = get();
    const apis = frameworkApis[name];
    if (!apis) throw new Error(`no framework APIs listed for example ${name}: add them to frameworkApis`);
    const spark = parsed[pythonFiles[`${name}.pyspark`]!]!;
    const beam = parsed[pythonFiles[`${name}.beam`]!]!;
    if (!spark.ok) throw new Error(spark.error);
    if (!beam.ok) throw new Error(beam.error);
    expect(spark.imports).toEqual(expect.arrayContaining(apis.spark.imports));
    expect(spark.calls).toEqual(expect.arrayContaining(apis.spark.calls));
    expect(beam.imports).toEqual(expect.arrayContaining(apis.beam.imports));
    expect(beam.calls).toEqual(expect.arrayContaining(apis.beam.calls));
    expect(beam.calls.some((c) => /^beam\.io\.(ReadFromCsv|ReadFromParquet)$/.test(c)), beam.calls.join(' ')).toBe(true);
    // A write where the target exports a sink; a sink it does not export is listed, with a reason.
    const exportsSink = (target: string) => {
      const skipped = new Set(c.exports[target]!.skipped.map((s) => s.node));
      return c.sinks.some((s) => !skipped.has(s.id));
    };
    expect(spark.calls.some((c) => /\.write\.mode\.(csv|parquet)$/.test(c)), spark.calls.join(' ')).toBe(exportsSink('pyspark'));
    const beamWrites = beam.calls.some((c) => /^beam\.io\.(WriteToText|WriteToParquet)$/.test(c)) || beam.strings.some((s) => /: write$/.test(s));
    expect(beamWrites, beam.calls.join(' ')).toBe(exportsSink('beam'));
    for (const target of ['pyspark', 'beam']) {
      const skipped = new Map(c.exports[target]!.skipped.map((s) => [s.node, s.reason]));
      for (const [id, reason] of skipped) expect((c.fitted.has(id) || c.reports.has(id)) && /\S/.test(reason), `${target}: ${id}: ${reason}`).toBe(true);
    }
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
