import type { PipelineDocument } from './schema.ts';

/**
 * Writes a document diff-friendly and byte-stable: fixed key order, 2-space indent, params
 * keys sorted, each edge and each layout entry on one line (so dragging a node changes one
 * line), small flat values inline, a final newline. Same document in, same bytes out.
 */
export function formatPipeline(doc: PipelineDocument): string {
  const lines: string[] = ['{'];
  const fields: string[] = [
    `  "format": ${JSON.stringify(doc.format)}`,
    `  "version": ${doc.version}`,
    `  "name": ${JSON.stringify(doc.name)}`,
  ];
  if (doc.description !== undefined) fields.push(`  "description": ${JSON.stringify(doc.description)}`);
  fields.push(`  "nodes": ${block(doc.nodes.map((n) => formatNode(n, 4)), '[', ']', 2)}`);
  const edges = doc.edges.map((e) => `    ${inline({ from: e.from, fromPort: e.fromPort, to: e.to, toPort: e.toPort })}`);
  fields.push(`  "edges": ${block(edges, '[', ']', 2)}`);
  const layout = Object.entries(doc.layout).map(([id, pos]) => `    ${JSON.stringify(id)}: ${inline({ x: pos.x, y: pos.y })}`);
  fields.push(`  "layout": ${block(layout, '{', '}', 2)}`);
  lines.push(fields.join(',\n'));
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function formatNode(node: PipelineDocument['nodes'][number], indent: number): string {
  const pad = ' '.repeat(indent);
  const fields = [`${pad}  "id": ${JSON.stringify(node.id)}`, `${pad}  "kind": ${JSON.stringify(node.kind)}`];
  if (node.version !== undefined && node.version !== 1) fields.push(`${pad}  "version": ${node.version}`);
  if (node.title !== undefined) fields.push(`${pad}  "title": ${JSON.stringify(node.title)}`);
  fields.push(`${pad}  "params": ${value(sortKeys(node.params), indent + 2)}`);
  return `${pad}{\n${fields.join(',\n')}\n${pad}}`;
}

function block(items: string[], open: string, close: string, indent: number): string {
  if (items.length === 0) return `${open}${close}`;
  return `${open}\n${items.join(',\n')}\n${' '.repeat(indent)}${close}`;
}

/** A value at `indent`: inline when short and at most two levels deep, else one entry per line. */
function value(v: unknown, indent: number): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  const one = inline(v);
  if (depth(v) <= 2 && indent + one.length <= 100) return one;
  const pad = ' '.repeat(indent + 2);
  const items = Array.isArray(v)
    ? v.map((x) => `${pad}${value(x, indent + 2)}`)
    : Object.entries(v).map(([k, x]) => `${pad}${JSON.stringify(k)}: ${value(x, indent + 2)}`);
  return block(items, Array.isArray(v) ? '[' : '{', Array.isArray(v) ? ']' : '}', indent);
}

function inline(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return v.length ? `[${v.map(inline).join(', ')}]` : '[]';
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }` : '{}';
}

function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depth));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
  );
}
