/**
 * Code export of the model kinds, executed: each kind's pandas generator is called with a
 * context as the exporter makes one, the lines are assembled with the runtime helpers they
 * declare (engine/ml/python-helpers.ts) into a module, run by Debian's Python with pandas and
 * scikit-learn, and its outputs are compared with the engine's for the same pipeline. Also checks
 * that every model kind gives code or a reason for every target, and that the generated Python
 * parses.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, readRows, type Engine, type Primitive } from '../../engine/index.ts';
import { pyStr } from '../../engine/export/escape.ts';
import { NotExportable } from '../../engine/export/sql-expr.ts';
import { pyTargets } from '../../engine/export/targets.ts';
import type { PyCode, PyGenContext } from '../../engine/export/types.ts';
import { mlPandasHelpers } from '../../engine/ml/python-helpers.ts';
import { mlSparkHelpers } from '../../engine/ml/spark-helpers.ts';
import { openEngine, pipeline, runDoc, tempDir } from '../support/engines.ts';
import { PYTHON } from '../support/export.ts';

const modelKinds = ['features.scale', 'features.onehot', 'features.impute', 'features.select', 'model.linear', 'model.logistic', 'model.predict', 'model.evaluate', 'model.cross_validate'];

type NodeSpec = { id: string; kind: string; params?: Record<string, unknown> };
type Edge = { from: string; to: string; fromPort?: string; toPort?: string };
type Table = { columns: { name: string; type: string }[]; rows: Primitive[][] };

/** The pandas module for a pipeline of sample sources and model kinds: helpers, then one function. */
function pandasModule(nodes: NodeSpec[], edges: Edge[], returns: [string, string][], helpers = mlPandasHelpers): string {
  const used: string[] = [];
  const use = (name: string): string => {
    const h = helpers[name];
    if (!h) throw new NotExportable(`no helper ${name}`);
    for (const dep of h.uses ?? []) use(dep);
    if (!used.includes(name)) used.push(name);
    return name;
  };
  const body: string[] = [];
  const variable = (node: string, port: string) => `${node}_${port}`;
  for (const n of nodes) {
    if (n.kind === 'source.sample') {
      body.push(`${variable(n.id, 'out')} = _read_sample(${pyStr(String(n.params!['dataset']))})`);
      continue;
    }
    if (n.kind === 'source.sql') throw new Error('only samples in these tests');
    const def = catalog.get(n.kind)!;
    const params = def.params.parse(n.params ?? {});
    const inputs: Record<string, string> = {};
    for (const e of edges.filter((x) => x.to === n.id)) inputs[e.toPort ?? Object.keys(def.inputs)[0]!] = variable(e.from, e.fromPort ?? 'out');
    const outputs = Object.fromEntries(Object.keys(def.outputs).map((p) => [p, variable(n.id, p)]));
    const ctx = {
      node: n.id,
      title: def.title,
      inputs,
      outputs,
      columns: () => {
        throw new NotExportable('no schema');
      },
      outputColumns: () => {
        throw new NotExportable('no schema');
      },
      str: pyStr,
      helper: use,
      csvDelimiter: undefined,
      expr: () => {
        throw new NotExportable('no expressions');
      },
      path: (p: string) => pyStr(p),
      ordered: () => false,
      label: (s?: string) => pyStr(`${n.id}: ${s ?? def.title}`),
    } as unknown as PyGenContext<string, string>;
    const gen = def.codegen.pandas;
    if (typeof gen !== 'function') throw new Error(`${n.kind}: ${gen.unsupported}`);
    const code = (gen as (p: unknown, c: PyGenContext<string, string>) => PyCode)(params, ctx);
    if (!('lines' in code)) throw new Error(`${n.kind}: expected lines, got ${JSON.stringify(code)}`);
    body.push(`# ${n.id} (${n.kind})`, ...code.lines);
  }
  const imports = new Set(used.flatMap((h) => helpers[h]!.imports ?? []));
  return [
    ...[...imports].sort().map((i) => `import ${i}`),
    'import json',
    'import sys',
    'import numpy as np',
    'import pandas as pd',
    '',
    ...used.map((h) => `${helpers[h]!.code}\n`),
    'def _read_sample(name):',
    '    """A sample CSV with nullable dtypes (Int64, Float64, string), as the exported read functions give."""',
    `    path = ${pyStr(path.resolve('engine/samples'))} + "/" + name + ".csv"`,
    '    return pd.read_csv(path, keep_default_na=False, na_values=[""], float_precision="round_trip").convert_dtypes()',
    '',
    'def pipeline():',
    ...body.map((l) => `    ${l}`),
    `    return {${returns.map(([name, v]) => `${pyStr(name)}: ${v}`).join(', ')}}`,
    '',
    'out_dir = sys.argv[1]',
    'for name, frame in pipeline().items():',
    '    frame.to_csv(out_dir + "/" + name + ".csv", index=False, lineterminator="\\n")',
    '',
  ].join('\n');
}

/** Runs the module; returns each returned frame as header + rows (numbers parsed, empty → null). */
function runPandas(module: string): Record<string, { header: string[]; rows: Primitive[][] }> {
  const dir = tempDir('kanvas-ml-export-');
  const file = path.join(dir, 'module.py');
  writeFileSync(file, module);
  execFileSync(PYTHON, ['-W', 'ignore', file, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return new Proxy({} as Record<string, { header: string[]; rows: Primitive[][] }>, {
    get: (_t, name: string) => {
      const lines = readFileSync(path.join(dir, `${name}.csv`), 'utf8').trimEnd().split('\n');
      const parse = (cell: string): Primitive => (cell === '' ? null : cell === 'True' ? true : cell === 'False' ? false : Number.isNaN(Number(cell)) ? cell : Number(cell));
      return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',').map(parse)) };
    },
  });
}

/** Cells agree: numbers to `rel` relative (or absolute below 1e-12), the rest exactly. */
function expectTablesClose(actual: { header: string[]; rows: Primitive[][] }, expected: Table, rel: number, columns?: string[]) {
  const names = columns ?? expected.columns.map((c) => c.name);
  expect(actual.header.filter((h) => names.includes(h))).toEqual(names.filter((n) => actual.header.includes(n)));
  expect(names.every((n) => actual.header.includes(n)), `${names} in ${actual.header}`).toBe(true);
  expect(actual.rows.length).toBe(expected.rows.length);
  let worst = 0;
  for (const n of names) {
    const a = actual.header.indexOf(n);
    const e = expected.columns.findIndex((c) => c.name === n);
    for (let r = 0; r < expected.rows.length; r++) {
      const x = actual.rows[r]![a]!;
      const y = expected.rows[r]![e]!;
      if (typeof x === 'number' && typeof y === 'number') {
        const d = Math.abs(x - y) / Math.max(Math.abs(y), 1e-12);
        worst = Math.max(worst, d);
        expect(d, `${n} row ${r}: ${x} vs ${y}`).toBeLessThanOrEqual(rel);
      } else expect(x, `${n} row ${r}`).toEqual(typeof y === 'boolean' ? y : y);
    }
  }
  return worst;
}

const agreement: Record<string, number> = {};

describe('every model kind declares code or a reason for every target', () => {
  it.each(modelKinds)('%s', (kind) => {
    const def = catalog.get(kind)!;
    for (const target of ['pandas', 'pyspark', 'beam', 'sql'] as const) {
      const gen = def.codegen[target];
      if (typeof gen === 'function') continue;
      expect(gen.unsupported.length, `${kind} → ${target}`).toBeGreaterThan(40);
    }
    expect(typeof def.codegen.pandas).toBe('function');
  });
});

describe('exported pandas code (scikit-learn) reproduces the engine', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine('native');
  });
  afterAll(async () => {
    await engine.close();
    console.log('exported pandas vs engine (max relative difference)', JSON.stringify(agreement));
  });

  async function engineTables(nodes: NodeSpec[], edges: Edge[], wanted: [string, string, string][]): Promise<Record<string, Table>> {
    const r = await runDoc(engine, pipeline(nodes, edges), '.');
    expect(r.record.status, JSON.stringify(r.record.problems)).toBe('ok');
    const out: Record<string, Table> = {};
    for (const [name, node, port] of wanted) out[name] = (await r.rows(node, port)) as Table;
    return out;
  }

  it('churn: impute → one-hot (drop first) → scale → logistic → predict → evaluate', async () => {
    const nodes: NodeSpec[] = [
      { id: 'src', kind: 'source.sample', params: { dataset: 'customers' } },
      { id: 'imp', kind: 'features.impute', params: { columns: ['total_charges'], strategy: 'median' } },
      { id: 'enc', kind: 'features.onehot', params: { columns: ['plan', 'region', 'contract'], dropFirst: true } },
      { id: 'sc', kind: 'features.scale', params: { columns: ['tenure_months', 'monthly_charges', 'total_charges', 'support_calls'] } },
      { id: 'fit', kind: 'model.logistic', params: { target: 'churned', C: 0.5 } },
      { id: 'pred', kind: 'model.predict' },
      { id: 'ev', kind: 'model.evaluate', params: { target: 'churned' } },
    ];
    const edges: Edge[] = [
      { from: 'src', to: 'imp' },
      { from: 'imp', fromPort: 'out', to: 'enc' },
      { from: 'enc', fromPort: 'out', to: 'sc' },
      { from: 'sc', fromPort: 'out', to: 'fit' },
      { from: 'fit', fromPort: 'model', to: 'pred', toPort: 'model' },
      { from: 'sc', fromPort: 'out', to: 'pred', toPort: 'data' },
      { from: 'pred', fromPort: 'out', to: 'ev' },
    ];
    const py = runPandas(pandasModule(nodes, edges, [['scaled', 'sc_out'], ['pred', 'pred_out'], ['metrics', 'ev_metrics']]));
    const e = await engineTables(nodes, edges, [['scaled', 'sc', 'out'], ['pred', 'pred', 'out'], ['metrics', 'ev', 'metrics']]);
    agreement['churn scaled'] = expectTablesClose(py['scaled']!, e['scaled']!, 1e-9, e['scaled']!.columns.map((c) => c.name).filter((n) => n !== 'signup_date'));
    agreement['churn probability'] = expectTablesClose(py['pred']!, e['pred']!, 1e-6, ['customer_id', 'prediction', 'probability']);
    agreement['churn metrics'] = expectTablesClose(py['metrics']!, e['metrics']!, 1e-6);
  });

  it('diabetes: select (F-test, k=5) → ridge → predict → evaluate; cross-validated lasso', async () => {
    const nodes: NodeSpec[] = [
      { id: 'src', kind: 'source.sample', params: { dataset: 'diabetes' } },
      { id: 'sel', kind: 'features.select', params: { target: 'progression', k: 5 } },
      { id: 'fit', kind: 'model.linear', params: { target: 'progression', penalty: 'l2', alpha: 2.5 } },
      { id: 'pred', kind: 'model.predict' },
      { id: 'ev', kind: 'model.evaluate', params: { target: 'progression' } },
      { id: 'cv', kind: 'model.cross_validate', params: { model: 'model.linear', target: 'progression', params: { penalty: 'l1', alpha: 0.3 }, k: 4, seed: 7 } },
    ];
    const edges: Edge[] = [
      { from: 'src', to: 'sel' },
      { from: 'sel', fromPort: 'out', to: 'fit' },
      { from: 'fit', fromPort: 'model', to: 'pred', toPort: 'model' },
      { from: 'sel', fromPort: 'out', to: 'pred', toPort: 'data' },
      { from: 'pred', fromPort: 'out', to: 'ev' },
      { from: 'src', to: 'cv' },
    ];
    const returns: [string, string][] = [['selected', 'sel_out'], ['scores', 'sel_scores'], ['pred', 'pred_out'], ['metrics', 'ev_metrics'], ['cv', 'cv_metrics']];
    const py = runPandas(pandasModule(nodes, edges, returns));
    const e = await engineTables(nodes, edges, [['selected', 'sel', 'out'], ['scores', 'sel', 'scores'], ['pred', 'pred', 'out'], ['metrics', 'ev', 'metrics'], ['cv', 'cv', 'metrics']]);
    expect(py['selected']!.header).toEqual(e['selected']!.columns.map((c) => c.name));
    agreement['select scores'] = expectTablesClose(py['scores']!, e['scores']!, 1e-9);
    agreement['ridge prediction'] = expectTablesClose(py['pred']!, e['pred']!, 1e-9);
    agreement['ridge metrics'] = expectTablesClose(py['metrics']!, e['metrics']!, 1e-9);
    agreement['lasso cv'] = expectTablesClose(py['cv']!, e['cv']!, 1e-7);
  });

  it('iris: mutual-information select → multinomial logistic → predict → evaluate; stratified cross-validation', async () => {
    const nodes: NodeSpec[] = [
      { id: 'src', kind: 'source.sample', params: { dataset: 'iris' } },
      { id: 'sel', kind: 'features.select', params: { target: 'species', k: 3, method: 'mutual-info', seed: 3 } },
      { id: 'fit', kind: 'model.logistic', params: { target: 'species', C: 2 } },
      { id: 'pred', kind: 'model.predict' },
      { id: 'ev', kind: 'model.evaluate', params: { target: 'species' } },
      { id: 'cv', kind: 'model.cross_validate', params: { model: 'model.logistic', target: 'species', k: 3, stratified: true, seed: 11 } },
    ];
    const edges: Edge[] = [
      { from: 'src', to: 'sel' },
      { from: 'sel', fromPort: 'out', to: 'fit' },
      { from: 'fit', fromPort: 'model', to: 'pred', toPort: 'model' },
      { from: 'sel', fromPort: 'out', to: 'pred', toPort: 'data' },
      { from: 'pred', fromPort: 'out', to: 'ev' },
      { from: 'src', to: 'cv' },
    ];
    const py = runPandas(pandasModule(nodes, edges, [['scores', 'sel_scores'], ['pred', 'pred_out'], ['metrics', 'ev_metrics'], ['cv', 'cv_metrics']]));
    const e = await engineTables(nodes, edges, [['scores', 'sel', 'scores'], ['pred', 'pred', 'out'], ['metrics', 'ev', 'metrics'], ['cv', 'cv', 'metrics']]);
    agreement['mutual info'] = expectTablesClose(py['scores']!, e['scores']!, 1e-9);
    agreement['multinomial prediction'] = expectTablesClose(py['pred']!, e['pred']!, 1e-5);
    agreement['multinomial metrics'] = expectTablesClose(py['metrics']!, e['metrics']!, 1e-5);
    agreement['stratified cv'] = expectTablesClose(py['cv']!, e['cv']!, 1e-5);
  });

  it('predict applies a transform to data it was not fitted on: unseen categories and NULLs', async () => {
    const nodes: NodeSpec[] = [
      { id: 'src', kind: 'source.sample', params: { dataset: 'customers' } },
      { id: 'enc', kind: 'features.onehot', params: { columns: ['plan', 'contract'] } },
      { id: 'imp', kind: 'features.impute', params: { strategy: 'most_frequent', columns: ['total_charges', 'region'] } },
      { id: 'apply', kind: 'model.predict' },
    ];
    const edges: Edge[] = [
      { from: 'src', to: 'enc' },
      { from: 'src', to: 'imp' },
      { from: 'enc', fromPort: 'model', to: 'apply', toPort: 'model' },
      { from: 'imp', fromPort: 'out', to: 'apply', toPort: 'data' },
    ];
    const py = runPandas(pandasModule(nodes, edges, [['applied', 'apply_out'], ['imputed', 'imp_out']]));
    const e = await engineTables(nodes, edges, [['applied', 'apply', 'out'], ['imputed', 'imp', 'out']]);
    const cols = (t: Table) => t.columns.map((c) => c.name).filter((n) => n !== 'signup_date');
    agreement['onehot applied'] = expectTablesClose(py['applied']!, e['applied']!, 0, cols(e['applied']!));
    agreement['impute most_frequent'] = expectTablesClose(py['imputed']!, e['imputed']!, 0, cols(e['imputed']!));
  });
});

describe('DuckDB SQL export of model.predict, from the run’s fitted artifact', () => {
  it('is the applier’s query: the same rows as the engine’s predict, for linear, logistic and transforms', async () => {
    const engine = await openEngine('native');
    try {
      const cases: [string, NodeSpec][] = [
        ['diabetes', { id: 'fit', kind: 'model.linear', params: { target: 'progression', penalty: 'l2', alpha: 1 } }],
        ['iris', { id: 'fit', kind: 'model.logistic', params: { target: 'species' } }],
        ['customers', { id: 'fit', kind: 'features.onehot', params: { columns: ['plan', 'region'], dropFirst: true } }],
      ];
      for (const [dataset, fit] of cases) {
        const doc = pipeline(
          [{ id: 'src', kind: 'source.sample', params: { dataset } }, fit, { id: 'pred', kind: 'model.predict' }],
          ['src->fit', { from: 'fit', fromPort: 'model', to: 'pred', toPort: 'model' }, { from: 'src', to: 'pred', toPort: 'data' }],
        );
        const r = await runDoc(engine, doc, '.');
        expect(r.record.status, JSON.stringify(r.record.problems)).toBe('ok');
        const source = engine.output(r.pipeline, 'src', 'out') as { relation: string; columns: { name: string; type: string }[] };
        const model = engine.output(r.pipeline, 'fit', 'model');
        const gen = catalog.get('model.predict')!.codegen.sql;
        if (typeof gen !== 'function') throw new Error('model.predict has no SQL generator');
        const ctx = { node: 'pred', title: 'Predict', inputs: { model: '"fit"', data: source.relation }, columns: () => source.columns, kindSql: () => '', fileSql: () => '', str: pyStr, input: (port: string) => (port === 'model' ? model : undefined) };
        const code = (gen as (p: unknown, c: unknown) => { query?: string; unsupported?: string })({}, ctx);
        expect(code.unsupported).toBeUndefined();
        const exported = await readRows(engine.db, code.query!);
        expect(exported.rows).toEqual((await r.rows('pred')).rows);
        const without = (gen as (p: unknown, c: unknown) => { unsupported?: string })({}, { ...ctx, input: undefined });
        expect(without.unsupported).toMatch(/only a run has/);
      }
    } finally {
      await engine.close();
    }
  });
});

describe('generated PySpark code parses (no Spark here to run it)', () => {
  it('every PySpark generator and helper is valid Python', async () => {
    const dir = tempDir('kanvas-ml-spark-');
    const helperFile = path.join(dir, 'helpers.py');
    writeFileSync(helperFile, ['import math', 'from pyspark.sql import functions as F', ...Object.values(mlSparkHelpers).map((h) => h.code)].join('\n\n'));
    const check = `import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f).read(), f)\nprint("ok")`;
    expect(execFileSync(PYTHON, ['-c', check, helperFile], { encoding: 'utf8' }).trim()).toBe('ok');
  });
});

describe('the export targets register the model kinds’ helpers', () => {
  // engine/export/targets.ts owns the registries; until it spreads these in, exportCode leaves the
  // model kinds out ("no runtime helper"), which this test reports.
  it('pandas registry has every ML helper', () => {
    for (const name of Object.keys(mlPandasHelpers)) expect(pyTargets.pandas.helpers[name]?.code).toBe(mlPandasHelpers[name]!.code);
  });
  it('PySpark registry has every ML helper', () => {
    for (const name of Object.keys(mlSparkHelpers)) expect(pyTargets.pyspark.helpers[name]?.code).toBe(mlSparkHelpers[name]!.code);
  });
});

