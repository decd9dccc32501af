import type { z } from 'zod';
import type { NodeDefinition } from '../catalog/define-node.ts';
import { portsCompatible } from '../catalog/ports.ts';
import type { Problem } from '../errors.ts';
import { formatPath, zodText, type JsonPath, type SourceMap } from '../document/parse.ts';
import type { PipelineDocument } from '../document/schema.ts';
import { findCycle, topoSort } from '../graph/graph.ts';
import { closest } from '../text/closest.ts';

/** An edge with both ports named. */
export interface ResolvedEdge {
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}

export interface ResolvedNode {
  id: string;
  def: NodeDefinition;
  /** Params after migration and schema parsing: defaults filled in, types as declared. */
  params: Record<string, unknown>;
  /** Input port → the edge feeding it. */
  inputs: Map<string, ResolvedEdge>;
  /** Output port → edges leaving it. */
  outputs: Map<string, ResolvedEdge[]>;
}

/** A document that passed validation, ready to plan. */
export interface ResolvedPipeline {
  doc: PipelineDocument;
  nodes: Map<string, ResolvedNode>;
  edges: ResolvedEdge[];
  /** Node ids in topological order (document order among independent nodes). */
  order: string[];
}

export type ValidationResult = { ok: true; pipeline: ResolvedPipeline } | { ok: false; problems: Problem[] };

/**
 * Checks a parsed document against the catalog: ids, kinds, params, ports, edges, cycles and
 * unconnected inputs. Every problem names the node (and param or port) and, given a source
 * map, the line in the file.
 */
export function validatePipeline(
  doc: PipelineDocument,
  catalog: ReadonlyMap<string, NodeDefinition>,
  map?: SourceMap,
): ValidationResult {
  const problems: Problem[] = [];
  const where = (path: JsonPath): Partial<Problem> => ({ ...(map?.file ? { file: map.file } : {}), ...(map?.locate(path) ?? {}) });
  const nodes = new Map<string, ResolvedNode>();

  doc.nodes.forEach((node, i) => {
    if (nodes.has(node.id)) {
      problems.push({ code: 'duplicate-id', node: node.id, ...where(['nodes', i, 'id']), message: `id "${node.id}" is used by more than one node` });
      return;
    }
    const def = catalog.get(node.kind);
    if (!def) {
      const hint = closest(node.kind, [...catalog.keys()]);
      problems.push({
        code: 'unknown-kind',
        node: node.id,
        ...where(['nodes', i, 'kind']),
        message: `unknown kind "${node.kind}"${hint ? ` — did you mean "${hint}"?` : ''}`,
      });
      return;
    }
    const params = checkParams(node, def, i, problems, where);
    if (params) nodes.set(node.id, { id: node.id, def, params, inputs: new Map(), outputs: new Map() });
  });

  const ids = new Set(doc.nodes.map((n) => n.id));
  const edges: ResolvedEdge[] = [];
  doc.edges.forEach((edge, i) => {
    const at = where(['edges', i]);
    for (const end of ['from', 'to'] as const) {
      if (!ids.has(edge[end])) {
        const hint = closest(edge[end], [...ids]);
        problems.push({ code: 'unknown-node', edge: i, ...at, message: `"${end}" names node "${edge[end]}", which does not exist${hint ? ` — did you mean "${hint}"?` : ''}` });
      }
    }
    const from = nodes.get(edge.from);
    const to = nodes.get(edge.to);
    if (!from || !to) return;
    const fromPort = resolvePort(from, 'outputs', edge.fromPort, 'fromPort', i, at, problems);
    const toPort = resolvePort(to, 'inputs', edge.toPort, 'toPort', i, at, problems);
    if (!fromPort || !toPort) return;
    const out = from.def.outputs[fromPort]!;
    const inp = to.def.inputs[toPort]!;
    if (!portsCompatible(out.type, inp.type)) {
      problems.push({
        code: 'port-type',
        node: to.id,
        port: toPort,
        ...at,
        message: `expects a ${inp.type}, but "${from.id}".${fromPort} gives a ${out.type}`,
      });
      return;
    }
    const existing = to.inputs.get(toPort);
    if (existing) {
      problems.push({ code: 'duplicate-input', node: to.id, port: toPort, ...at, message: `already connected from "${existing.from}"; an input takes one edge` });
      return;
    }
    const resolved = { from: from.id, fromPort, to: to.id, toPort };
    to.inputs.set(toPort, resolved);
    from.outputs.set(fromPort, [...(from.outputs.get(fromPort) ?? []), resolved]);
    edges.push(resolved);
  });

  const links = doc.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const cycle = findCycle(doc.nodes.map((n) => n.id), links);
  if (cycle) {
    problems.push({ code: 'cycle', node: cycle[0], ...where(['edges']), message: `the graph has a cycle: ${cycle.join(' → ')}` });
  }

  // An edge from a node that is itself in error (unknown kind, bad params) still connects its
  // input: saying "input is not connected" there would send the reader to the wrong node.
  const fedByBroken = new Set(
    doc.edges.filter((e) => ids.has(e.from) && !nodes.has(e.from) && nodes.has(e.to)).map((e) => `${e.to}\u0000${e.toPort ?? ''}`),
  );
  for (const node of nodes.values()) {
    const inputs = Object.keys(node.def.inputs);
    for (const port of inputs) {
      const broken = fedByBroken.has(`${node.id}\u0000${port}`) || (inputs.length === 1 && fedByBroken.has(`${node.id}\u0000`));
      if (!node.inputs.has(port) && !broken && !node.def.inputs[port]!.optional) {
        const i = doc.nodes.findIndex((n) => n.id === node.id);
        problems.push({ code: 'missing-input', node: node.id, port, ...where(['nodes', i]), message: `input is not connected` });
      }
    }
  }

  if (problems.length) return { ok: false, problems };
  const order = topoSort(doc.nodes.map((n) => n.id), edges)!;
  return { ok: true, pipeline: { doc, nodes, edges, order } };
}

function checkParams(
  node: PipelineDocument['nodes'][number],
  def: NodeDefinition,
  index: number,
  problems: Problem[],
  where: (path: JsonPath) => Partial<Problem>,
): Record<string, unknown> | null {
  const written = node.version ?? 1;
  if (written > def.version) {
    problems.push({
      code: 'param',
      node: node.id,
      ...where(['nodes', index, 'version']),
      message: `written for version ${written} of ${def.kind}; this Kanvas has version ${def.version}`,
    });
    return null;
  }
  let raw: Record<string, unknown> = node.params;
  for (let v = written; v < def.version; v++) {
    const step = def.migrations?.[v];
    if (step) raw = step(raw);
  }
  const result = (def.params as z.ZodType<Record<string, unknown>>).safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const param = path.length ? formatPath(path) : undefined;
    problems.push({
      code: 'param',
      node: node.id,
      ...(param ? { param } : {}),
      ...where(['nodes', index, 'params', ...path, ...(issue.code === 'unrecognized_keys' ? [issue.keys[0]!] : [])]),
      message: paramMessage(issue, def, valueAt(node.params, path)),
    });
  }
  return null;
}

/** The value at `path` in the params as written (for "did you mean" on a wrong enum value). */
function valueAt(params: unknown, path: JsonPath): unknown {
  let v = params;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[key] : undefined;
  return v;
}

function paramMessage(issue: z.core.$ZodIssue, def: NodeDefinition, given: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(def.params.shape);
    return issue.keys
      .map((k) => {
        const hint = closest(k, known);
        return `unknown param "${k}"${hint ? ` — did you mean "${hint}"?` : ''}`;
      })
      .join('; ');
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return `required, expected ${issue.expected}`;
  if (issue.code === 'invalid_value' && given === undefined) return `required, ${zodText(issue)}`;
  if (issue.code === 'invalid_value' && typeof given === 'string' && issue.values.every((v) => typeof v === 'string')) {
    const hint = closest(given, issue.values as string[]);
    return `unknown value ${JSON.stringify(given)}; ${zodText(issue)}${hint ? ` — did you mean ${JSON.stringify(hint)}?` : ''}`;
  }
  return zodText(issue);
}

function resolvePort(
  node: ResolvedNode,
  side: 'inputs' | 'outputs',
  given: string | undefined,
  field: 'fromPort' | 'toPort',
  edge: number,
  at: Partial<Problem>,
  problems: Problem[],
): string | null {
  const ports = Object.keys(node.def[side]);
  const what = side === 'inputs' ? 'inputs' : 'outputs';
  if (given !== undefined) {
    if (ports.includes(given)) return given;
    const hint = closest(given, ports);
    problems.push({
      code: 'unknown-port',
      node: node.id,
      port: given,
      edge,
      ...at,
      message: ports.length
        ? `${node.def.kind} has no ${side === 'inputs' ? 'input' : 'output'} "${given}"; its ${what}: ${ports.join(', ')}${hint ? ` — did you mean "${hint}"?` : ''}`
        : `${node.def.kind} has no ${what}`,
    });
    return null;
  }
  if (ports.length === 1) return ports[0]!;
  problems.push({
    code: ports.length ? 'ambiguous-port' : 'unknown-port',
    node: node.id,
    edge,
    ...at,
    message: ports.length
      ? `${node.def.kind} has ${what} ${ports.join(', ')}: set "${field}" on the edge to say which`
      : `${node.def.kind} has no ${what}, so it cannot be ${side === 'inputs' ? 'the target' : 'the source'} of an edge`,
  });
  return null;
}
