/**
 * Code export: a pipeline document → the code of a target (pandas, PySpark, Beam, DuckDB SQL).
 * Pure and deterministic: the same document, schema and options give the same bytes.
 *
 * Planning: nodes go in topological order; each node's kind generates its code (`codegen`);
 * a node its kind cannot export, or that needs such a node's output, is left out with the
 * reason, and the rest is still produced. In the Python targets consecutive one-input steps
 * whose output has a single consumer are fused into one method chain (the same operations,
 * written as one expression); in SQL, chains are fused into CTEs as the engine fuses them.
 */
import { catalog } from '../catalog/catalog.ts';
import { isRunNode, type NodeDefinition, type SqlContext } from '../catalog/define-node.ts';
import type { ColumnInfo } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { canonicalJson, hash } from '../exec/fingerprint.ts';
import type { PipelineDocument } from '../document/schema.ts';
import { ident, literal } from '../sql/quote.ts';
import { validatePipeline, type ResolvedNode, type ResolvedPipeline } from '../validate/validate.ts';
import { commentText, PyNames, pyStr } from './escape.ts';
import { fileSql } from './sql-files.ts';
import { NotExportable } from './sql-expr.ts';
import { pyTargets, type ModuleParts, type PyTarget } from './targets.ts';
import {
  isUnsupported,
  type SqlCode,
  type ExportOptions,
  type ExportResult,
  type ExportTarget,
  type PyCode,
  type PyGenContext,
  type SkippedNode,
  type SqlGenContext,
} from './types.ts';

/** Exports a document to `target`. Throws `PipelineError` if the document is not valid. */
export function exportCode(doc: PipelineDocument, target: ExportTarget, options: ExportOptions): ExportResult {
  const valid = validatePipeline(doc, catalog);
  if (!valid.ok) throw new PipelineError(valid.problems);
  return target === 'sql' ? exportSql(valid.pipeline, options) : exportPython(valid.pipeline, target, options);
}

/** `customer_churn_training_data` from "Customer churn: training data". */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
    .replace(/_+$/, '');
  return /^[a-z]/.test(s) ? s : `pipeline${s ? `_${s}` : ''}`;
}

export function documentHash(doc: PipelineDocument): string {
  return hash(canonicalJson(doc));
}

function titleOf(p: ResolvedPipeline, id: string): string {
  return p.doc.nodes.find((n) => n.id === id)?.title ?? p.nodes.get(id)!.def.title;
}

function header(p: ResolvedPipeline, o: ExportOptions, label: string, run: string[], skipped: SkippedNode[], extra: string[] = []): string[] {
  return [
    `${commentText(p.doc.name)} — exported from Kanvas as ${label} code.`,
    '',
    `Pipeline:  ${commentText(p.doc.name)}`,
    `Document:  sha256:${documentHash(p.doc)}`,
    `Kanvas:    ${commentText(o.version)}`,
    `Exported:  ${commentText(o.date)}`,
    '',
    ...run,
    ...extra,
    ...(skipped.length
      ? ['', 'Not exported (everything else is):', ...skipped.map((s) => `  - ${s.node} (${s.kind}, "${commentText(s.title)}"): ${commentText(s.reason)}`)]
      : []),
  ];
}

/** Columns of a node's output port from the schema, or a reason to leave the consumer out. */
function schemaColumns(o: ExportOptions, node: string, port: string): ColumnInfo[] {
  const cols = o.schema?.columns[node]?.[port];
  if (!cols) throw new NotExportable(`the columns of "${node}"${port === 'out' ? '' : `.${port}`} are unknown (export with a schema: \`kanvas export\` checks the pipeline against its files)`);
  return cols;
}

function consumers(node: ResolvedNode, port: string): number {
  return node.outputs.get(port)?.length ?? 0;
}

function nodeParams(node: ResolvedNode): never {
  // Params were parsed by the kind's own schema during validation, so they have its output type.
  return node.params as never;
}

// ---- Python targets -------------------------------------------------------------------------

interface Chain {
  /** Variable this output is (or will be) assigned to. */
  variable: string;
  /** Pending expression: base plus steps, not yet assigned; null once assigned. */
  pending: { base: string; steps: { comment: string; step: string }[] } | null;
  ordered: boolean;
}

function exportPython(p: ResolvedPipeline, target: PyTarget, o: ExportOptions): ExportResult {
  const spec = pyTargets[target];
  const functionName = slug(p.doc.name);
  const names = new PyNames([...spec.reserved, ...Object.keys(spec.helpers), functionName]);
  const skipped: SkippedNode[] = [];
  const skippedIds = new Set<string>();
  const chains = new Map<string, Chain>();
  const helpers = new Set<string>();
  const imports = new Set<string>();
  const parts: ModuleParts = {
    header: [],
    imports,
    helpers: [],
    functionName,
    pipelineName: p.doc.name,
    reads: [],
    body: [],
    returns: [],
    writes: [],
    usesParquet: false,
  };
  const useHelper = (name: string): string => {
    const h = spec.helpers[name];
    if (!h) throw new Error(`no ${target} helper ${name}`);
    if (!helpers.has(name)) {
      for (const dep of h.uses ?? []) useHelper(dep);
      helpers.add(name);
      for (const i of h.imports ?? []) imports.add(i);
    }
    return name;
  };
  const key = (node: string, port: string) => `${node}\u0000${port}`;
  const flush = (k: string) => {
    const c = chains.get(k);
    if (!c?.pending) return;
    const { base, steps } = c.pending;
    if (steps.length === 1 && !steps[0]!.step.includes('\n')) parts.body.push(`# ${steps[0]!.comment}`, `${c.variable} = ${base}${oneLine(spec.frame, steps[0]!.step)}`);
    else parts.body.push(`${c.variable} = (`, `    ${base}`, ...steps.flatMap((s) => [`    # ${s.comment}`, ...s.step.split('\n').map((l) => `    ${l}`)]), ')');
    c.pending = null;
  };
  const skip = (node: ResolvedNode, reason: string) => {
    skipped.push({ node: node.id, kind: node.def.kind, title: titleOf(p, node.id), reason });
    skippedIds.add(node.id);
  };

  for (const id of p.order) {
    const node = p.nodes.get(id)!;
    const def = node.def as NodeDefinition;
    const blocked = [...node.inputs.values()].find((e) => skippedIds.has(e.from));
    if (blocked) {
      skip(node, `needs the output of "${blocked.from}", which is not exported`);
      continue;
    }
    const gen = def.codegen?.[target] ?? { unsupported: `the kind declares no ${target} code` };
    if (isUnsupported(gen)) {
      skip(node, gen.unsupported);
      continue;
    }
    const title = titleOf(p, id);
    const inputs: Record<string, string> = {};
    for (const [port, e] of node.inputs) inputs[port] = chains.get(key(e.from, e.fromPort))!.variable;
    const outPorts = Object.keys(def.outputs);
    const outputs: Record<string, string> = Object.fromEntries(outPorts.map((port) => [port, names.take(outPorts.length > 1 ? `${id}_${port}` : id)]));
    const isSink = outPorts.length === 0;
    if (isSink) for (const port of Object.keys(inputs)) inputs[port] = `outputs[${pyStr(id)}]`;
    const ctx: PyGenContext<string, string> = {
      node: id,
      title,
      inputs,
      outputs,
      columns: (port) => {
        const e = node.inputs.get(port)!;
        return schemaColumns(o, e.from, e.fromPort);
      },
      outputColumns: (port) => schemaColumns(o, id, port),
      str: pyStr,
      result: (port) => o.results?.(id, port),
      input: (port) => {
        const e = node.inputs.get(port);
        return e ? o.results?.(e.from, e.fromPort) : undefined;
      },
      csvDelimiter: o.schema?.delimiters?.[id],
      helper: useHelper,
      expr: (sql, columns) => spec.translate(sql, columns, useHelper),
      path: (path, role) => (role === 'input' ? `os.path.join(input_dir, ${pyStr(path)})` : `os.path.join(output_dir, ${pyStr(path)})`),
      ordered: (port) => {
        const e = node.inputs.get(port)!;
        return chains.get(key(e.from, e.fromPort))!.ordered;
      },
      label: (suffix) => pyStr(`${id}: ${suffix ?? def.title}`),
    };
    // Sizes of helper/import sets before, to roll back a node that turns out not exportable.
    const helpersBefore = new Set(helpers);
    const importsBefore = new Set(imports);
    let code: PyCode;
    try {
      code = (gen as (params: never, ctx: PyGenContext<string, string>) => PyCode)(nodeParams(node), ctx);
    } catch (err) {
      if (!(err instanceof NotExportable)) throw err;
      code = { unsupported: err.message };
    }
    if (isUnsupported(code)) {
      helpers.clear();
      for (const h of helpersBefore) helpers.add(h);
      imports.clear();
      for (const i of importsBefore) imports.add(i);
      skip(node, code.unsupported);
      continue;
    }
    const comment = `${commentText(title)} (${id})`;
    if ('read' in code) {
      for (const i of code.imports ?? []) imports.add(i);
      if (def.kind === 'source.parquet') parts.usesParquet = true;
      const variable = outputs[outPorts[0]!]!;
      parts.reads.push({ param: variable, comment, code: code.read });
      chains.set(key(id, outPorts[0]!), { variable, pending: null, ordered: false });
    } else if ('step' in code) {
      const e = node.inputs.values().next().value!;
      const from = chains.get(key(e.from, e.fromPort))!;
      const producer = p.nodes.get(e.from)!;
      const fusable = from.pending !== null && consumers(producer, e.fromPort) === 1;
      const base = fusable ? from.pending!.base : from.variable;
      const steps = fusable ? from.pending!.steps : [];
      if (fusable) from.pending = null;
      chains.set(key(id, outPorts[0]!), { variable: outputs[outPorts[0]!]!, pending: { base, steps: [...steps, { comment, step: code.step }] }, ordered: code.ordered ?? false });
    } else if ('lines' in code) {
      for (const e of node.inputs.values()) flush(key(e.from, e.fromPort));
      parts.body.push(`# ${comment}`, ...code.lines);
      const ordered = code.ordered;
      for (const port of outPorts) {
        chains.set(key(id, port), { variable: outputs[port]!, pending: null, ordered: typeof ordered === 'object' ? (ordered[port] ?? false) : (ordered ?? false) });
      }
    } else {
      for (const e of node.inputs.values()) {
        flush(key(e.from, e.fromPort));
        parts.returns.push({ key: id, value: chains.get(key(e.from, e.fromPort))!.variable });
      }
      parts.writes.push(`# ${comment}`, ...code.write);
      if (def.kind === 'sink.parquet') parts.usesParquet = true;
    }
  }
  // Ends of the graph that no exported sink writes are returned too.
  for (const id of p.order) {
    const node = p.nodes.get(id)!;
    if (skippedIds.has(id)) continue;
    for (const port of Object.keys(node.def.outputs)) {
      const edges = node.outputs.get(port) ?? [];
      if (edges.length && edges.some((e) => !skippedIds.has(e.to))) continue;
      const c = chains.get(key(id, port));
      if (!c) continue;
      flush(key(id, port));
      parts.returns.push({ key: Object.keys(node.def.outputs).length > 1 ? `${id}.${port}` : id, value: c.variable });
    }
  }
  for (const k of chains.keys()) flush(k);
  const file = `${functionName}.py`;
  const samples = sampleNames(p, skippedIds);
  parts.header = header(p, o, spec.label, spec.runLine(file), skipped, samples.length ? sampleNote(samples) : []);
  const order = Object.keys(spec.helpers);
  parts.helpers = order.filter((h) => helpers.has(h)).map((h) => spec.helpers[h]!.code);
  return {
    target,
    files: { [file]: spec.module(parts), 'requirements.txt': spec.requirements(parts) },
    main: file,
    skipped,
    samples,
  };
}

/** A single step appended to its base: `.loc[...]` directly, a Beam `| label >> …` with spaces. */
function oneLine(frame: string, step: string): string {
  const s = step.includes('\n') ? step.split('\n').map((l, i) => (i ? `    ${l}` : l)).join('\n') : step;
  return frame === 'beam.PCollection' ? ` ${s}` : s;
}

function sampleNames(p: ResolvedPipeline, skipped: Set<string>): string[] {
  const names = new Set<string>();
  for (const id of p.order) {
    const node = p.nodes.get(id)!;
    if (node.def.kind === 'source.sample' && !skipped.has(id)) names.add(String(node.params['dataset']));
  }
  return [...names].sort();
}

function sampleNote(samples: string[]): string[] {
  return [
    `Built-in sample data is read from samples/<name>.csv under the input folder: ${samples.join(', ')}`,
    '(Kanvas keeps them in engine/samples/; `kanvas export --out DIR` copies them to DIR/samples/).',
  ];
}

// ---- DuckDB SQL -------------------------------------------------------------------------

interface Rel {
  ctes: { name: string; sql: string; comment: string }[];
  ref: string;
}

function exportSql(p: ResolvedPipeline, o: ExportOptions): ExportResult {
  const skipped: SkippedNode[] = [];
  const skippedIds = new Set<string>();
  const queries = new Map<string, Record<string, string>>();
  const statements: string[] = [];
  const skip = (node: ResolvedNode, reason: string) => {
    skipped.push({ node: node.id, kind: node.def.kind, title: titleOf(p, node.id), reason });
    skippedIds.add(node.id);
  };
  const relName = (node: ResolvedNode, port: string) => ident(Object.keys(node.def.outputs).length > 1 ? `${node.id}:${port}` : node.id);
  const stored = new Set<string>();
  const rels = new Map<string, Rel>();
  const relation = (id: string, port: string): Rel => {
    const k = `${id}\u0000${port}`;
    const node = p.nodes.get(id)!;
    const ref = relName(node, port);
    if (stored.has(id)) return { ctes: [], ref };
    const known = rels.get(k);
    if (known) return known;
    const inputs = [...node.inputs.values()].map((e) => relation(e.from, e.fromPort));
    const seen = new Set<string>();
    const ctes = inputs.flatMap((r) => r.ctes).filter((c) => !seen.has(c.name) && seen.add(c.name));
    const rel = { ctes: [...ctes, { name: ref, sql: queries.get(id)![port]!, comment: `${commentText(titleOf(p, id))} (${id})` }], ref };
    rels.set(k, rel);
    return rel;
  };
  const selectFrom = (rel: Rel): string => {
    if (rel.ctes.length === 0) return `SELECT * FROM ${rel.ref}`;
    const ctes = rel.ctes.map((c) => `-- ${c.comment}\n${c.name} AS (\n${c.sql}\n)`).join(',\n');
    return `WITH\n${ctes}\nSELECT * FROM ${rel.ref}`;
  };

  for (const id of p.order) {
    const node = p.nodes.get(id)!;
    const def = node.def;
    const blocked = [...node.inputs.values()].find((e) => skippedIds.has(e.from));
    if (blocked) {
      skip(node, `needs the output of "${blocked.from}", which is not exported`);
      continue;
    }
    const gen = def.codegen?.sql ?? { unsupported: 'the kind declares no SQL code' };
    if (isUnsupported(gen)) {
      skip(node, gen.unsupported);
      continue;
    }
    const inputs: Record<string, string> = {};
    for (const [port, e] of node.inputs) inputs[port] = relName(p.nodes.get(e.from)!, e.fromPort);
    const columns = (port: string) => {
      const e = node.inputs.get(port)!;
      return schemaColumns(o, e.from, e.fromPort);
    };
    const sqlCtx: SqlContext = { node: id, file: '', columns };
    const ctx: SqlGenContext<string> = {
      node: id,
      title: titleOf(p, id),
      inputs,
      columns,
      kindSql: () => {
        if (isRunNode(def) || !def.sql) throw new Error(`${def.kind} has no SQL`);
        return def.sql(inputs, nodeParams(node), { ...sqlCtx, file: !isRunNode(def) && def.file ? fileSql(def.file(nodeParams(node)), o.schema?.columns[id]?.['out'], o.schema?.delimiters?.[id]) : '' });
      },
      fileSql: () => {
        if (isRunNode(def) || !def.file) throw new Error(`${def.kind} reads no file`);
        return fileSql(def.file(nodeParams(node)), o.schema?.columns[id]?.['out'], o.schema?.delimiters?.[id]);
      },
      str: literal,
      input: (port) => {
        const e = node.inputs.get(port);
        return e ? o.results?.(e.from, e.fromPort) : undefined;
      },
    };
    let code: SqlCode;
    try {
      code = (gen as (params: never, ctx: SqlGenContext<string>) => SqlCode)(nodeParams(node), ctx);
    } catch (err) {
      if (!(err instanceof NotExportable)) throw err;
      code = { unsupported: err.message };
    }
    if (isUnsupported(code)) {
      skip(node, code.unsupported);
      continue;
    }
    const comment = `-- ${commentText(titleOf(p, id))} (${id})`;
    if ('query' in code) {
      const outPorts = Object.keys(def.outputs);
      queries.set(id, typeof code.query === 'string' ? { [outPorts[0]!]: code.query } : code.query);
      // Consumers whose kind has no SQL are left out, so they do not make this node a branch.
      const edges = outPorts.flatMap((port) => node.outputs.get(port) ?? []).filter((e) => !isUnsupported(p.nodes.get(e.to)!.def.codegen?.sql ?? { unsupported: '' }));
      const needsTable = edges.some((e) => {
        const to = p.nodes.get(e.to)!.def;
        return !isRunNode(to) && to.materializedInputs === true;
      });
      if (outPorts.length > 1 || needsTable || edges.length > 1) {
        const built = outPorts.map((port) => [port, relation(id, port)] as const);
        stored.add(id);
        for (const [port, rel] of built) {
          statements.push(`${comment}${outPorts.length > 1 ? ` — output "${port}"` : ''}\nCREATE OR REPLACE TEMP TABLE ${relName(node, port)} AS\n${selectFrom(rel)};`);
        }
      }
    } else {
      const e = node.inputs.values().next().value!;
      statements.push(`${comment}\n${code.copy(selectFrom(relation(e.from, e.fromPort)))};`);
    }
  }
  // SQL ends that no sink writes: views, to query in the same session.
  for (const id of p.order) {
    const node = p.nodes.get(id)!;
    if (skippedIds.has(id) || stored.has(id) || !queries.has(id)) continue;
    const edges = [...node.outputs.values()].flat();
    if (edges.length && edges.some((e) => !skippedIds.has(e.to))) continue;
    statements.push(`-- ${commentText(titleOf(p, id))} (${id}): written by no sink, kept as a view\nCREATE OR REPLACE TEMP VIEW ${relName(node, 'out')} AS\n${selectFrom(relation(id, Object.keys(node.def.outputs)[0]!))};`);
  }
  const file = `${slug(p.doc.name)}.sql`;
  const samples = sampleNames(p, skippedIds);
  const outDirs = [...new Set(p.order.flatMap((id) => {
    const n = p.nodes.get(id)!;
    return isRunNode(n.def) && n.def.writes && !skippedIds.has(id) ? n.def.writes(nodeParams(n)) : [];
  }).map((f) => f.replace(/[^/\\]*$/, '')).filter((d) => d && !/^([/\\]|[A-Za-z]:)/.test(d)))].sort();
  const run = [
    `Run with the DuckDB CLI (1.1+) from the folder the pipeline's relative paths start from:  duckdb < ${file}`,
    'Relative input paths are read from the current folder and COPY writes relative output paths there.',
    ...(outDirs.length ? [`COPY does not create folders: create them first (mkdir -p ${outDirs.map((d) => commentText(d)).join(' ')}).`] : []),
  ];
  const head = header(p, o, 'DuckDB SQL', run, skipped, samples.length ? sampleNote(samples) : []).map((l) => `-- ${l}`.trimEnd());
  return {
    target: 'sql',
    files: { [file]: `${[head.join('\n'), ...statements].join('\n\n')}\n` },
    main: file,
    skipped,
    samples,
  };
}
