/**
 * The schema an export needs (each node's output columns, the delimiter of sniffed CSV sources),
 * from a check of the pipeline against its files: binds every SQL node, reads no data.
 */
import { isRunNode } from '../catalog/define-node.ts';
import type { Engine } from '../exec/engine.ts';
import type { HostFiles } from '../db/database.ts';
import { literal } from '../sql/quote.ts';
import type { ResolvedPipeline } from '../validate/validate.ts';
import type { ExportSchema } from './types.ts';
import { outputColumns } from '../exec/run-record.ts';

export interface SchemaResult {
  schema: ExportSchema;
  /** Problems the check found (a missing file, a bad expression): the export leaves those nodes out. */
  problems: { node?: string; message: string }[];
}

export async function exportSchema(engine: Engine, pipeline: ResolvedPipeline, baseDir: string, files: HostFiles): Promise<SchemaResult> {
  const record = await engine.check(pipeline, { baseDir });
  const columns: ExportSchema['columns'] = outputColumns(record);
  const delimiters: Record<string, string> = {};
  for (const id of pipeline.order) {
    const node = pipeline.nodes.get(id)!;
    const def = node.def;
    if (isRunNode(def) || !def.file || !columns[id]) continue;
    const ref = def.file(node.params);
    if ('sample' in ref || ref.format !== 'csv' || ref.csv?.delimiter !== undefined) continue;
    const path = files.resolve(baseDir, ref.path);
    const sniff = await engine.db
      .query(`SELECT Delimiter FROM sniff_csv(${literal(path)}${ref.csv?.encoding && ref.csv.encoding !== 'utf-8' ? `, encoding = ${literal(ref.csv.encoding)}` : ''})`)
      .catch(() => null);
    const found = sniff?.rows[0]?.[0];
    if (typeof found === 'string' && found.length === 1) delimiters[id] = found;
  }
  return { schema: { columns, delimiters }, problems: record.problems.map((p) => ({ ...(p.node ? { node: p.node } : {}), message: p.message })) };
}
