import type { ModelValue, TableValue } from '../catalog/define-node.ts';
import type { ColumnInfo, Primitive } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { ident } from '../sql/quote.ts';
import type { ModelArtifact } from './artifact.ts';

type ReadRows = (sql: string) => Promise<{ columns: ColumnInfo[]; rows: Primitive[][] }>;

/** Columns a param names, matched as DuckDB matches names (case-insensitively), in the order given. */
export function namedColumns(table: TableValue, names: string[], node: string, param: string): ColumnInfo[] {
  const byName = new Map(table.columns.map((c) => [c.name.toLowerCase(), c]));
  const seen = new Set<string>();
  return names.map((name, i) => {
    const c = byName.get(name.toLowerCase());
    if (!c) throw new PipelineError({ code: 'param', node, param: `${param}[${i}]`, message: `column "${name}" not found; columns: ${table.columns.map((col) => col.name).join(', ')}` });
    if (seen.has(c.name)) throw new PipelineError({ code: 'param', node, param: `${param}[${i}]`, message: `column "${name}" is listed twice` });
    seen.add(c.name);
    return c;
  });
}

/** The column a param names, or an error naming the param. */
export function namedColumn(table: TableValue, name: string, node: string, param: string): ColumnInfo {
  const c = table.columns.find((col) => col.name.toLowerCase() === name.toLowerCase());
  if (!c) throw new PipelineError({ code: 'param', node, param, message: `column "${name}" not found; columns: ${table.columns.map((col) => col.name).join(', ')}` });
  return c;
}

/** Rows and an order-independent hash of the columns a fit read (as `readDataset` computes it). */
export async function trainingInfo(readRows: ReadRows, relation: string, columns: ColumnInfo[]): Promise<{ rows: number; hash: string }> {
  const select = columns.map((c) => ident(c.name)).join(', ');
  const r = await readRows(`SELECT count(*)::DOUBLE, coalesce(bit_xor(hash(t)), 0)::VARCHAR FROM (SELECT ${select} FROM ${relation}) t`);
  return { rows: Number(r.rows[0]?.[0] ?? 0), hash: String(r.rows[0]?.[1] ?? '') };
}

/** An artifact as a port value. */
export function modelValue<S>(artifact: Omit<ModelArtifact<S>, 'format' | 'version'>): ModelValue {
  return { type: 'model', artifact: { format: 'kanvas.model', version: 1, ...artifact } as ModelArtifact };
}
