/**
 * Code export per kind: for every catalog kind a small pipeline is exported to all four targets
 * (snapshots), its pandas and SQL exports are executed and their outputs compared with the
 * engine's; expressions are checked one by one against DuckDB; hostile names (quotes, backslashes,
 * spaces, unicode, newlines, SQL and Python keywords) must neither break the code nor inject any.
 * PySpark and Beam exports are parsed with Python's `ast`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog, Engine, exportCode, loadPipeline, type ExportResult, type PipelineDocument } from '../../engine/index.ts';
import { nodeHostFiles } from '../../engine/node/host-files.ts';
import { openDatabase } from '../../engine/node/open-database.ts';
import { literal } from '../../engine/sql/quote.ts';
import { pipeline, tempDir } from '../support/engines.ts';
import { EXPORT_OPTIONS, exportAll, inspectPython, parquetAsCsv, readTable, runPandas, runSqlScript, writeExport, type PandasJob, type PythonInfo } from '../support/export.ts';
import { expectRowsClose } from '../support/pandas.ts';

// ---- data ------------------------------------------------------------------------------------

const T = [
  'id,grp,n,x,s,flag,day,ts',
  '1,a,3,1.5,hello,true,2024-01-02,2024-01-02 10:00:00',
  '2,a,,2.25,World,false,2024-02-29,2024-02-29 23:59:59',
  '3,b,7,,,true,,2024-03-01 00:00:30',
  '4,,0,-0.125,a_b%c,,2023-12-31,',
  '5,b,-4,0.5,it\'s,false,2024-01-02,2024-01-01 00:00:00',
  '6,c,2,2.675,True,true,2024-06-15,2024-06-15 12:30:00',
  '7,a,3,1.5,hello,true,2024-01-02,2024-01-02 10:00:00',
  '8,c,,-3.5,Ünï,,2024-06-16,2024-06-16 01:02:03',
].join('\n');
const U = ['grp,label,n', 'a,Alpha,10', 'b,Beta,20', 'd,Delta,40', ',Nothing,50'].join('\n');
const J = '[{"k": 1, "v": 1.5, "t": "x", "o": {"a": [1, 2]}, "b": true}, {"k": 2, "t": 3, "b": false}, {"k": 3, "v": 2, "o": null}]';

type Spec = { name: string; doc: PipelineDocument; sinks: string[] };
const src = { id: 't', kind: 'source.csv', params: { path: 't.csv' } };
const sink = (from: string, file = 'out.csv', port?: string) => ({
  node: { id: `w_${file.replace(/\W/g, '_')}`, kind: 'sink.csv', params: { path: `out/${file}` } },
  edge: { from, to: `w_${file.replace(/\W/g, '_')}`, ...(port ? { fromPort: port } : {}) },
});

function chain(name: string, nodes: { id: string; kind: string; params?: Record<string, unknown> }[], extra: { node: { id: string; kind: string; params: Record<string, unknown> }; edge: { from: string; to: string; fromPort?: string } }[] = []): Spec {
  const s = sink(nodes[nodes.length - 1]!.id);
  const all = [...nodes, s.node, ...extra.map((e) => e.node)];
  const edges = [...nodes.slice(1).map((n, i) => `${nodes[i]!.id}->${n.id}`), s.edge, ...extra.map((e) => e.edge)];
  return { name, doc: pipeline(all, edges, `kind ${name}`), sinks: [s.node.params.path, ...extra.map((e) => String(e.node.params['path']))] };
}

/** One pipeline per kind (several for kinds with modes), each ending in a CSV sink. */
const specs: Spec[] = [
  chain('source.csv', [{ id: 't', kind: 'source.csv', params: { path: 't.csv', types: { n: 'DOUBLE' }, nullString: 'Ünï' } }]),
  chain('source.parquet', [{ id: 'p', kind: 'source.parquet', params: { path: 't.parquet' } }]),
  chain('source.json', [{ id: 'j', kind: 'source.json', params: { path: 'j.json' } }]),
  chain('source.sample', [{ id: 'iris', kind: 'source.sample', params: { dataset: 'iris' } }]),
  chain('transform.filter', [src, { id: 'f', kind: 'transform.filter', params: { where: "NOT (n > 2) OR s LIKE 'a\\_%' ESCAPE '\\' OR flag IS NULL" } }]),
  chain('transform.select', [src, { id: 'sel', kind: 'transform.select', params: { columns: ['S', 'id', 'x'], rename: { id: 'key', S: 'text' } } }]),
  chain('transform.derive', [src, { id: 'd', kind: 'transform.derive', params: { columns: [{ name: 'y', expr: 'x * 2' }, { name: 'X', expr: 'y + n' }, { name: 'z', expr: "grp || '-' || s" }] } }]),
  chain('transform.aggregate', [
    src,
    {
      id: 'agg',
      kind: 'transform.aggregate',
      params: {
        groupBy: ['grp'],
        aggregates: [
          { fn: 'count' },
          { fn: 'count', column: 'n' },
          { fn: 'count_distinct', column: 's' },
          { fn: 'sum', column: 'n' },
          { fn: 'sum', column: 'x' },
          { fn: 'mean', column: 'x' },
          { fn: 'min', column: 's' },
          { fn: 'max', column: 'ts' },
          { fn: 'std', column: 'x' },
          { fn: 'median', column: 'n' },
        ],
      },
    },
    { id: 'order', kind: 'transform.sort', params: { by: [{ column: 'grp' }] } },
  ]),
  chain('transform.aggregate (whole table)', [src, { id: 'agg', kind: 'transform.aggregate', params: { aggregates: [{ fn: 'count', as: 'rows' }, { fn: 'sum', column: 'x', as: 'total' }, { fn: 'max', column: 's', as: 'last' }] } }]),
  ...(['inner', 'left', 'right', 'outer'] as const).map((how) => ({
    name: `transform.join (${how})`,
    doc: pipeline(
      [
        src,
        { id: 'u', kind: 'source.csv', params: { path: 'u.csv' } },
        { id: 'j', kind: 'transform.join', params: { how, on: ['grp'], suffixes: ['_left', '_right'] } },
        { id: 'order', kind: 'transform.sort', params: { by: [{ column: 'grp' }, { column: 'id' }, { column: 'label' }] } },
        { id: 'w', kind: 'sink.csv', params: { path: 'out/out.csv' } },
      ],
      [{ from: 't', to: 'j', toPort: 'left' }, { from: 'u', to: 'j', toPort: 'right' }, 'j->order', 'order->w'],
      `kind join ${how}`,
    ),
    sinks: ['out/out.csv'],
  })),
  {
    name: 'transform.join (different key names)',
    doc: pipeline(
      [
        src,
        { id: 'u', kind: 'source.csv', params: { path: 'u.csv' } },
        { id: 'j', kind: 'transform.join', params: { how: 'left', on: [{ left: 'n', right: 'n' }, { left: 'GRP', right: 'grp' }] } },
        { id: 'order', kind: 'transform.sort', params: { by: [{ column: 'id' }] } },
        { id: 'w', kind: 'sink.csv', params: { path: 'out/out.csv' } },
      ],
      [{ from: 't', to: 'j', toPort: 'left' }, { from: 'u', to: 'j', toPort: 'right' }, 'j->order', 'order->w'],
      'kind join keys',
    ),
    sinks: ['out/out.csv'],
  },
  chain('transform.sort', [src, { id: 'o', kind: 'transform.sort', params: { by: [{ column: 'grp', descending: true, nullsFirst: true }, { column: 'n', nullsFirst: false }, { column: 'id', descending: true }] } }]),
  chain('transform.limit', [src, { id: 'o', kind: 'transform.sort', params: { by: [{ column: 'id' }] } }, { id: 'l', kind: 'transform.limit', params: { n: 3, offset: 2 } }]),
  chain('transform.sample', [{ id: 'c', kind: 'source.sample', params: { dataset: 'customers' } }, { id: 'smp', kind: 'transform.sample', params: { fraction: 0.013, seed: 7 } }]),
  chain('transform.sample (n)', [src, { id: 'smp', kind: 'transform.sample', params: { n: 3, seed: 5 } }]),
  {
    name: 'transform.split',
    doc: pipeline(
      [
        { id: 'c', kind: 'source.sample', params: { dataset: 'customers' } },
        { id: 'sp', kind: 'transform.split', params: { testFraction: 0.07, seed: 11, stratify: 'plan' } },
        { id: 'w1', kind: 'sink.csv', params: { path: 'out/train.csv' } },
        { id: 'w2', kind: 'sink.csv', params: { path: 'out/test.csv' } },
      ],
      ['c->sp', { from: 'sp', fromPort: 'train', to: 'w1' }, { from: 'sp', fromPort: 'test', to: 'w2' }],
      'kind split',
    ),
    sinks: ['out/train.csv', 'out/test.csv'],
  },
  {
    name: 'transform.split (plain)',
    doc: pipeline(
      [src, { id: 'sp', kind: 'transform.split', params: { testFraction: 0.3, seed: 3 } }, { id: 'w1', kind: 'sink.csv', params: { path: 'out/train.csv' } }, { id: 'w2', kind: 'sink.csv', params: { path: 'out/test.csv' } }],
      ['t->sp', { from: 'sp', fromPort: 'train', to: 'w1' }, { from: 'sp', fromPort: 'test', to: 'w2' }],
      'kind split plain',
    ),
    sinks: ['out/train.csv', 'out/test.csv'],
  },
  chain('transform.window', [
    src,
    {
      id: 'win',
      kind: 'transform.window',
      params: {
        partitionBy: ['grp'],
        orderBy: [{ column: 'n', descending: true }, { column: 'id' }],
        columns: [
          { as: 'rn', fn: 'row_number' },
          { as: 'rk', fn: 'rank' },
          { as: 'drk', fn: 'dense_rank' },
          { as: 'prev', fn: 'lag', column: 'x' },
          { as: 'next2', fn: 'lead', column: 's', offset: 2 },
          { as: 'rsum', fn: 'running_sum', column: 'x' },
          { as: 'rmean', fn: 'running_mean', column: 'n' },
          { as: 'rmin', fn: 'running_min', column: 'x' },
          { as: 'rmax', fn: 'running_max', column: 'ts' },
          { as: 'rcount', fn: 'running_count', column: 'n' },
          { as: 'roll', fn: 'rolling_sum', column: 'x', size: 2 },
          { as: 'rollm', fn: 'rolling_mean', column: 'n', size: 3, minPeriods: 1 },
          { as: 'rollmin', fn: 'rolling_min', column: 'x', size: 2, minPeriods: 1 },
          { as: 'rollmax', fn: 'rolling_max', column: 'n', size: 2 },
        ],
      },
    },
  ]),
  chain('transform.window (no partition, input order)', [src, { id: 'win', kind: 'transform.window', params: { columns: [{ as: 'rn', fn: 'row_number' }, { as: 'prev', fn: 'lag', column: 's' }, { as: 'rk', fn: 'rank' }] } }]),
  chain('transform.sql', [src, { id: 'q', kind: 'transform.sql', params: { query: 'SELECT grp, sum(x) AS total FROM input GROUP BY grp ORDER BY grp' } }]),
  chain('source.sql', [{ id: 'q', kind: 'source.sql', params: { query: 'SELECT range AS i, range * 2 AS j FROM range(5)' } }]),
  chain('analysis.profile', [src, { id: 'o', kind: 'transform.sort', params: { by: [{ column: 'id' }] } }], [{ node: { id: 'prof', kind: 'analysis.profile', params: {} }, edge: { from: 'o', to: 'prof' } } as never]),
  {
    name: 'sink.parquet',
    doc: pipeline([src, { id: 'o', kind: 'transform.sort', params: { by: [{ column: 'id' }] } }, { id: 'w', kind: 'sink.parquet', params: { path: 'out/out.parquet' } }], ['t->o', 'o->w'], 'kind sink parquet'),
    sinks: ['out/out.parquet'],
  },
  {
    name: 'sink.csv',
    doc: pipeline([src, { id: 'o', kind: 'transform.sort', params: { by: [{ column: 'id' }] } }, { id: 'w', kind: 'sink.csv', params: { path: 'out/out.tsv', delimiter: '\t', header: false } }], ['t->o', 'o->w'], 'kind sink csv'),
    sinks: ['out/out.tsv'],
  },
];

/** Expressions checked one by one against DuckDB (each a derived column over T). */
const expressions = [
  'n + x', 'n - 1', 'n * x', 'x / n', 'n / 0', 'n // 2', '(-7) // 2', 'n % 3', '-n % 3', 'x % 2', '-x',
  'round(x, 1)', 'round(x * 100) / 100', 'round(x, 2)', 'round(n)', 'abs(x)', 'floor(x)', 'ceil(x)', 'sqrt(abs(x))', 'ln(abs(x) + 1)', 'power(x, 2)', 'sign(x)',
  'greatest(n, x)', 'least(n, 1)',
  "coalesce(n, 0)", 'coalesce(x, n, -1)', 'nullif(n, 3)', 'ifnull(s, grp)',
  'n > 2', 'n = 3 AND flag', 'n = 3 OR flag', 'NOT flag', 'flag IS NULL', 'x IS NOT NULL', 'flag IS TRUE', 'flag IS NOT FALSE',
  'n BETWEEN 0 AND 3', 'n NOT BETWEEN 0 AND 3', "grp IN ('a', 'c')", "grp NOT IN ('a')", 'n IN (3, NULL)', 'n IS DISTINCT FROM 3', 'n IS NOT DISTINCT FROM NULL',
  "s LIKE 'h%'", "s ILIKE 'W_RLD'", "s NOT LIKE '%l%'",
  "CASE WHEN n > 2 THEN 'big' WHEN n IS NULL THEN 'none' ELSE 'small' END", 'CASE grp WHEN \'a\' THEN 1 WHEN \'b\' THEN 2 END', 'CASE WHEN flag THEN x ELSE n END',
  'CAST(x AS INTEGER)', 'CAST(n AS DOUBLE)', 'CAST(n AS VARCHAR)', 'CAST(flag AS INTEGER)', 'CAST(flag AS VARCHAR)', 'n::BIGINT', 'CAST(2.5 AS INTEGER)', "CAST('12' AS INTEGER)", 'CAST(ts AS DATE)', 'CAST("day" AS VARCHAR)',
  'lower(s)', 'upper(grp)', 'length(s)', "trim('  ' || s || ' ')", "concat(grp, '/', s)", "grp || ':' || s", 'substr(s, 2, 3)', 'substr(s, -2)', "replace(s, 'l', 'L')", "contains(s, 'l')", "starts_with(s, 'h')", "ends_with(s, 'd')",
  'year("day")', 'month(ts)', 'day("day")', 'hour(ts)', 'minute(ts)', 'second(ts)', 'dayofweek("day")',
  "date_diff('second', TIMESTAMP '2024-01-01 00:00:00', ts)", "date_diff('minute', ts, TIMESTAMP '2024-03-01 00:00:00')", 'date_diff(\'hour\', "day", ts)', 'date_diff(\'day\', "day", ts)', 'datediff(\'month\', "day", ts)', 'date_diff(\'year\', "day", ts)',
  'ts > "day"', "ts >= '2024-02-01'", 'epoch(ts)',
];

// ---- hostile names ---------------------------------------------------------------------------

const hostile = [`it's "quoted"`, 'back\\slash', 'with space', 'ünï©ødé ✓', 'new\nline', 'select', 'class', 'lambda', "__import__('os').system('echo PWNED')", '"""', '-- comment', '$x{1}'];
const hostileRows = [hostile.map((_, i) => `v'${i}"\\`), hostile.map((_, i) => (i === 0 ? 'line\nbreak' : `w ${i}`)), hostile.map((_, i) => (i === 4 ? '' : `z${i}`))];
const csvField = (v: string) => `"${v.replaceAll('"', '""')}"`;
const hostileCsv = [hostile, ...hostileRows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
const hostileFile = `in "put" it's.csv`;
const hostileDoc: PipelineDocument = {
  ...pipeline(
    [
      { id: 'src', kind: 'source.csv', params: { path: hostileFile } },
      { id: 'class', kind: 'transform.filter', params: { where: `"with space" IS NOT NULL AND "back\\slash" <> 'it''s \\ "q"' AND "${hostile[0]!.replaceAll('"', '""')}" IS NOT NULL` } },
      { id: 'lambda', kind: 'transform.derive', params: { columns: [{ name: 'x\'"\\\n\u2028y', expr: `"select" || 'it''s\n\\n"' || "new\nline"` }, { name: 'import os', expr: "'\"\"\"; import os; os.system(''x'')'" }] } },
      { id: 'sel', kind: 'transform.select', params: { columns: [...hostile, 'x\'"\\\n\u2028y', 'import os'], rename: { select: 'from', class: 'def' } } },
      { id: 'out', kind: 'sink.csv', params: { path: `out dir/re"sult's\\.csv` } },
    ],
    ['src->class', 'class->lambda', 'lambda->sel', 'sel->out'],
    'evil """ name\n import os; os.system("x") -- \'; DROP TABLE t; --',
  ),
};
hostileDoc.nodes[1]!.title = 'title\nimport os\nos.system("echo PWNED") */ -- \u2028';

// ---- run everything once ----------------------------------------------------------------------

const dataDir = tempDir('kanvas-export-kinds-');
const results = new Map<string, { exports: Record<string, ExportResult>; engineOut: string; pandasOut: string; sqlOut: string; spec: Spec }>();
let pandasRuns: Record<string, { ok: boolean; error?: string }> = {};
let parsed: Record<string, PythonInfo> = {};
const pyFiles = new Map<string, string>();

async function runEngine(doc: PipelineDocument, out: string): Promise<void> {
  const load = loadPipeline(JSON.stringify(doc));
  if (!load.ok) throw new Error(load.problems.map((p) => p.message).join('\n'));
  const engine = new Engine({ db: await openDatabase('native'), files: nodeHostFiles });
  const record = await engine.run(load.pipeline, { baseDir: dataDir, outDir: out, useCache: false });
  await engine.close();
  if (record.status !== 'ok') throw new Error(`${doc.name}: ${JSON.stringify(record.problems)}`);
}

const exprDoc = pipeline(
  [src, { id: 'e', kind: 'transform.derive', params: { columns: expressions.map((expr, i) => ({ name: `e${i}`, expr })) } }, { id: 'w', kind: 'sink.csv', params: { path: 'out/exprs.csv' } }],
  ['t->e', 'e->w'],
  'expressions',
);

beforeAll(async () => {
  writeFileSync(path.join(dataDir, 't.csv'), T);
  writeFileSync(path.join(dataDir, 'u.csv'), U);
  writeFileSync(path.join(dataDir, 'j.json'), J);
  writeFileSync(path.join(dataDir, hostileFile), hostileCsv);
  const db = await openDatabase('native');
  await db.exec(`COPY (SELECT * FROM read_csv(${literal(path.join(dataDir, 't.csv'))})) TO ${literal(path.join(dataDir, 't.parquet'))} (FORMAT parquet)`);
  await db.close();
  mkdirSync(path.join(dataDir, 'samples'), { recursive: true });
  for (const s of ['iris', 'customers']) writeFileSync(path.join(dataDir, 'samples', `${s}.csv`), await import('node:fs').then((fs) => fs.readFileSync(nodeHostFiles.samplePath(s))));
  const shim = await parquetAsCsv([path.join(dataDir, 't.parquet')]);
  const jobs: Record<string, PandasJob> = {};
  for (const spec of [...specs, { name: 'expressions', doc: exprDoc, sinks: ['out/exprs.csv'] }, { name: 'hostile', doc: hostileDoc, sinks: [hostileDoc.nodes[4]!.params['path'] as string] }]) {
    const engineOut = tempDir('kanvas-kind-engine-');
    await runEngine(spec.doc, engineOut);
    const exports = await exportAll(spec.doc, dataDir, ['pandas', 'sql', 'pyspark', 'beam']);
    const entry = { exports, engineOut, pandasOut: tempDir('kanvas-kind-pandas-'), sqlOut: tempDir('kanvas-kind-sql-'), spec };
    results.set(spec.name, entry);
    if (exports['sql']!.skipped.length === 0) {
      for (const s of spec.sinks) mkdirSync(path.dirname(path.join(entry.sqlOut, s)), { recursive: true });
      // The script reads relative paths: run it where the data is, writing into a copy's folder.
      const script = exports['sql']!.files[exports['sql']!.main]!.replaceAll("COPY (", 'COPY (').replace(/TO '((?:[^']|'')*)'/g, (_m, p: string) => `TO ${literal(path.join(entry.sqlOut, p.replaceAll("''", "'")))}`);
      await runSqlScript(script, dataDir);
    }
    if (exports['pandas']!.skipped.length === 0) {
      jobs[spec.name] = { script: writeExport(exports['pandas']!), input_dir: dataDir, output_dir: entry.pandasOut, parquet: shim };
    }
    for (const t of ['pyspark', 'beam']) pyFiles.set(`${spec.name}.${t}`, writeExport(exports[t]!));
  }
  const names = Object.keys(jobs);
  const runs = runPandas(names.map((n) => jobs[n]!));
  pandasRuns = Object.fromEntries(names.map((n, i) => [n, runs[i]!]));
  parsed = inspectPython([...pyFiles.values()]);
}, 300_000);

async function compareSinks(name: string, target: 'pandas' | 'sql'): Promise<void> {
  const r = results.get(name)!;
  for (const s of r.spec.sinks) {
    const engine = await readTable(path.join(r.engineOut, s));
    const file = path.join(target === 'pandas' ? r.pandasOut : r.sqlOut, s) + (target === 'pandas' && s.endsWith('.parquet') ? '.csv' : '');
    const other = await readTable(file);
    expect(other.columns).toEqual(engine.columns);
    expect(other.rows.length, `${name} ${s}`).toBe(engine.rows.length);
    expectRowsClose(other.rows, engine.rows);
  }
}

// ---- tests ------------------------------------------------------------------------------------

describe('every kind declares its code or a reason for every target', () => {
  it.each([...catalog.values()].map((d) => d.kind))('%s', (kind) => {
    const def = catalog.get(kind)!;
    for (const target of ['pandas', 'pyspark', 'beam', 'sql'] as const) {
      const gen = def.codegen[target];
      if (typeof gen === 'function') continue;
      expect(gen.unsupported.length, `${kind} → ${target}`).toBeGreaterThan(20);
    }
  });
});

describe.each(specs.map((s) => s.name))('kind %s', (name) => {
  it('pandas export computes what the engine computes (or says why not)', async () => {
    const r = results.get(name)!;
    if (r.exports['pandas']!.skipped.length) {
      expect(r.exports['pandas']!.skipped.every((s) => s.reason.length > 20)).toBe(true);
      return;
    }
    expect(pandasRuns[name]!.error ?? '').toBe('');
    await compareSinks(name, 'pandas');
  });

  it('SQL export computes what the engine computes (or says why not)', async () => {
    const r = results.get(name)!;
    if (r.exports['sql']!.skipped.length) {
      expect(r.exports['sql']!.skipped.map((s) => s.kind)).toEqual(['analysis.profile']);
      return;
    }
    await compareSinks(name, 'sql');
  });

  it('PySpark and Beam exports parse', () => {
    for (const t of ['pyspark', 'beam']) {
      const info = parsed[pyFiles.get(`${name}.${t}`)!]!;
      expect(info.ok ? '' : info.error).toBe('');
    }
  });

  it.each(['pandas', 'sql', 'pyspark', 'beam'])('%s snapshot', async (target) => {
    const r = results.get(name)!.exports[target]!;
    const text = Object.entries(r.files).map(([file, t]) => `==> ${file} <==\n${t}`).join('\n');
    await expect(text).toMatchFileSnapshot(`__snapshots__/export/kind-${name.replace(/[^\w.]+/g, '_')}.${target}.txt`);
  });
});

describe('expressions', () => {
  it('every expression translates to pandas and gives DuckDB’s values', async () => {
    const r = results.get('expressions')!;
    expect(r.exports['pandas']!.skipped).toEqual([]);
    expect(pandasRuns['expressions']!.error ?? '').toBe('');
    const engine = await readTable(path.join(r.engineOut, 'out/exprs.csv'));
    const pandas = await readTable(path.join(r.pandasOut, 'out/exprs.csv'));
    expect(pandas.columns).toEqual(engine.columns);
    // Column by column, so a failure names the expression.
    for (const [i, expr] of expressions.entries()) {
      const at = engine.columns.indexOf(`e${i}`);
      // NaN's sign bit (DuckDB writes 0/0 as -nan) means nothing.
      const col = (t: typeof engine) => t.rows.map((row) => [row[at] === '-nan' ? 'nan' : row[at]!]);
      expect(JSON.stringify(col(pandas)) === JSON.stringify(col(engine)) ? '' : (() => { try { expectRowsClose(col(pandas), col(engine)); return ''; } catch { return `${expr}: ${JSON.stringify(col(pandas))} vs engine ${JSON.stringify(col(engine))}`; } })()).toBe('');
    }
  });

  it('PySpark and Beam translate every expression', () => {
    const r = results.get('expressions')!;
    expect(r.exports['pyspark']!.skipped).toEqual([]);
    expect(r.exports['beam']!.skipped).toEqual([]);
    for (const t of ['pyspark', 'beam']) {
      const info = parsed[pyFiles.get(`expressions.${t}`)!]!;
      expect(info.ok ? '' : info.error).toBe('');
    }
  });

  it('an expression outside the translated language leaves its node out, with the reason, and the rest in', () => {
    const doc = pipeline(
      [src, { id: 'ok', kind: 'transform.filter', params: { where: 'n > 1' } }, { id: 'rx', kind: 'transform.derive', params: { columns: [{ name: 'm', expr: "regexp_matches(s, 'l+')" }] } }, { id: 'w', kind: 'sink.csv', params: { path: 'o.csv' } }, { id: 'w2', kind: 'sink.csv', params: { path: 'o2.csv' } }],
      ['t->ok', 'ok->rx', 'rx->w', 'ok->w2'],
      'partial',
    );
    const schema = { columns: { t: { out: [{ name: 'n', type: 'BIGINT' }, { name: 's', type: 'VARCHAR' }] }, ok: { out: [{ name: 'n', type: 'BIGINT' }, { name: 's', type: 'VARCHAR' }] } } };
    for (const target of ['pandas', 'pyspark', 'beam'] as const) {
      const r = exportCode(doc, target, { ...EXPORT_OPTIONS, schema });
      expect(r.skipped.map((s) => [s.node, s.reason])).toEqual([
        ['rx', expect.stringContaining('regexp_matches()')],
        ['w', 'needs the output of "rx", which is not exported'],
      ]);
      const text = r.files[r.main]!;
      expect(text).toContain('Not exported (everything else is):');
      expect(text).toContain('  - rx (transform.derive, "Derive columns"): function regexp_matches() has no');
      expect(text).toContain('"w2"');
      expect(text).not.toMatch(/TODO/i);
    }
    expect(exportCode(doc, 'sql', { ...EXPORT_OPTIONS, schema }).skipped).toEqual([]);
  });
});

describe('hostile names, paths and literals', () => {
  it('pandas and SQL exports run and give the engine’s table', async () => {
    const r = results.get('hostile')!;
    expect(r.exports['pandas']!.skipped).toEqual([]);
    expect(pandasRuns['hostile']!.error ?? '').toBe('');
    await compareSinks('hostile', 'pandas');
    await compareSinks('hostile', 'sql');
  });

  it('every name reaches the Python code as the exact string, and nothing else is called', () => {
    const r = results.get('hostile')!;
    for (const target of ['pandas', 'pyspark', 'beam']) {
      const file = target === 'pandas' ? writeExport(r.exports['pandas']!) : pyFiles.get(`hostile.${target}`)!;
      const info = target === 'pandas' ? inspectPython([file])[file]! : parsed[file]!;
      if (!info.ok) throw new Error(info.error);
      for (const name of [...hostile.filter((h) => h !== 'select' && h !== 'class'), 'x\'"\\\n\u2028y', 'import os']) {
        expect(info.strings.some((s) => s === name || s.includes(name)), `${target}: ${JSON.stringify(name)}`).toBe(true);
      }
      expect(info.calls.filter((c) => ['os.system', 'system', '__import__', 'eval', 'exec', 'compile'].includes(c)), target).toEqual([]);
      expect(info.imports.filter((i) => i === 'os' || i === 'os.system').length).toBeLessThanOrEqual(1);
    }
  });

  it('comments cannot end early: the title and name stay inside them', () => {
    const r = results.get('hostile')!;
    for (const target of ['pandas', 'sql', 'pyspark', 'beam']) {
      const text = r.exports[target]!.files[r.exports[target]!.main]!;
      const comment = target === 'sql' ? '--' : '#';
      for (const line of text.split('\n')) {
        if (line.includes('os.system("echo PWNED")')) expect(line.trimStart().startsWith(comment), `${target}: ${line}`).toBe(true);
        if (line.includes('DROP TABLE')) expect(line.trimStart().startsWith(comment) || /^\s*"|parser|appName|description/.test(line), `${target}: ${line}`).toBe(true);
      }
      // Python literals escape it; SQL has no escapes in quoted names, where it is a plain character.
      if (target !== 'sql') expect(text).not.toContain('\u2028');
    }
  });
});

describe('determinism', () => {
  it('the same document, schema and options give the same bytes; the date comes from the options', async () => {
    const spec = specs.find((s) => s.name === 'transform.window')!;
    const a = await exportAll(spec.doc, dataDir, ['pandas', 'sql']);
    const b = await exportAll(spec.doc, dataDir, ['pandas', 'sql']);
    expect(a).toEqual(b);
    const schema = { columns: {} };
    const d1 = exportCode(spec.doc, 'sql', { date: '2020-01-01', version: '9.9.9', schema });
    const d2 = exportCode(spec.doc, 'sql', { date: '2021-02-02', version: '9.9.9', schema });
    const diff = d1.files[d1.main]!.split('\n').filter((l, i) => l !== d2.files[d2.main]!.split('\n')[i]);
    expect(diff).toEqual(['-- Exported:  2020-01-01']);
  });
});
