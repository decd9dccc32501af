import type { TableValue } from '../catalog/define-node.ts';
import type { ColumnInfo, Primitive } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { ident } from '../sql/quote.ts';
import { isNumericType } from '../sql/types.ts';

type ReadRows = (sql: string) => Promise<{ columns: ColumnInfo[]; rows: Primitive[][] }>;

/** Numeric feature columns (column-major) and the target, read from a table for fitting. */
export interface Dataset {
  features: ColumnInfo[];
  X: Float64Array[];
  /** The target as read (numbers or labels), when there is one. */
  y?: Primitive[];
  rows: number;
  /** Order-independent hash of the rows fitted on (DuckDB's row hash, xor-combined). */
  hash: string;
}

/** The feature columns: the ones given, or every numeric column but the target. */
export function featureColumns(table: TableValue, features: string[] | undefined, target: string | undefined, node: string): ColumnInfo[] {
  const byName = new Map(table.columns.map((c) => [c.name.toLowerCase(), c]));
  if (features?.length) {
    return features.map((f, i) => {
      const c = byName.get(f.toLowerCase());
      if (!c) throw new PipelineError({ code: 'param', node, param: `features[${i}]`, message: `column "${f}" not found; columns: ${table.columns.map((c) => c.name).join(', ')}` });
      if (!isNumericType(c.type) && c.type !== 'BOOLEAN') {
        throw new PipelineError({ code: 'param', node, param: `features[${i}]`, message: `column "${f}" is ${c.type}, not numeric: encode it first (features.onehot)` });
      }
      return c;
    });
  }
  const numeric = table.columns.filter((c) => (isNumericType(c.type) || c.type === 'BOOLEAN') && c.name.toLowerCase() !== target?.toLowerCase());
  if (numeric.length === 0) throw new PipelineError({ code: 'param', node, param: 'features', message: 'the input has no numeric columns besides the target' });
  return numeric;
}

/** Reads features (as doubles) and the target; NULL features are an error naming the column. */
export async function readDataset(readRows: ReadRows, table: TableValue, features: ColumnInfo[], target: string | undefined, node: string): Promise<Dataset> {
  const rel = table.relation;
  if (target !== undefined && !table.columns.some((c) => c.name.toLowerCase() === target.toLowerCase())) {
    throw new PipelineError({ code: 'param', node, param: 'target', message: `column "${target}" not found; columns: ${table.columns.map((c) => c.name).join(', ')}` });
  }
  const nulls = await readRows(`SELECT ${[...features.map((f) => `count(*) - count(${ident(f.name)})`), target ? `count(*) - count(${ident(target)})` : '0'].join(', ')} FROM ${rel}`);
  const counts = nulls.rows[0]!.map(Number);
  features.forEach((f, i) => {
    if (counts[i]! > 0) throw new PipelineError({ code: 'data', node, param: 'features', message: `column "${f.name}" has ${counts[i]} NULL values: fill them first (features.impute) or filter them out` });
  });
  if (target && counts[features.length]! > 0) {
    throw new PipelineError({ code: 'data', node, param: 'target', message: `target "${target}" has ${counts[features.length]} NULL values: filter them out first` });
  }
  const select = [...features.map((f) => `${ident(f.name)}::DOUBLE`), ...(target ? [ident(target)] : [])].join(', ');
  const { rows } = await readRows(`SELECT ${select} FROM ${rel}`);
  if (rows.length === 0) throw new PipelineError({ code: 'data', node, message: 'the input has no rows to fit on' });
  const X = features.map((_, j) => Float64Array.from(rows, (r) => r[j] as number));
  const y = target ? rows.map((r) => r[features.length]!) : undefined;
  const h = await readRows(`SELECT bit_xor(hash(t))::VARCHAR FROM (SELECT ${select} FROM ${rel}) t`);
  return { features, X, ...(y ? { y } : {}), rows: rows.length, hash: String(h.rows[0]?.[0] ?? '') };
}

export function numericTarget(y: Primitive[], node: string): Float64Array {
  return Float64Array.from(y, (v) => {
    if (typeof v !== 'number') throw new PipelineError({ code: 'param', node, param: 'target', message: `the target must be numeric for regression (found ${JSON.stringify(v)})` });
    return v;
  });
}
