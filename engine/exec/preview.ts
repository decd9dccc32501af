import type { ReportValue } from '../catalog/define-node.ts';
import type { ModelArtifact } from '../ml/artifact.ts';
import type { ColumnInfo, Primitive } from '../db/database.ts';
import { readRows } from '../db/read-rows.ts';
import { histogram, type Bin } from '../sql/histogram.ts';
import { ident } from '../sql/quote.ts';
import { isNumericType } from '../sql/types.ts';
import type { ResolvedPipeline } from '../validate/validate.ts';
import type { Engine, RunOptions } from './engine.ts';
import type { RunRecord } from './run-record.ts';

export type ColumnSummary =
  | { column: string; kind: 'histogram'; bins: Bin[] }
  | { column: string; kind: 'bar'; bars: { label: string; count: number }[]; others: number };

/** What the data preview shows for one node output. */
export interface Preview {
  record: RunRecord;
  table?: { columns: ColumnInfo[]; rows: Primitive[][]; totalRows: number; summaries: ColumnSummary[] };
  report?: ReportValue;
  model?: ModelArtifact;
}

/**
 * Runs what a node needs (cached work is reused), stores that node's output even if it is part
 * of a fused chain, and reads its first rows, total row count and a small plot per column.
 */
export async function previewNode(
  engine: Engine,
  pipeline: ResolvedPipeline,
  node: string,
  port: string,
  options: Pick<RunOptions, 'baseDir' | 'outDir' | 'onProgress' | 'signal'> & { limit?: number; summaryColumns?: number },
): Promise<Preview> {
  const record = await engine.run(pipeline, { ...options, targets: [node], materialize: [node] });
  const value = record.nodes[node]?.status === 'done' || record.nodes[node]?.status === 'cached' ? engine.output(pipeline, node, port) : undefined;
  if (!value) return { record };
  if (value.type === 'report') return { record, report: value };
  if (value.type === 'model') return { record, model: value.artifact };
  const { columns, rows } = await readRows(engine.db, `SELECT * FROM ${value.relation}`, options.limit ?? 1000);
  const summaries: ColumnSummary[] = [];
  for (const c of columns.slice(0, options.summaryColumns ?? 40)) summaries.push(await summarize(engine, value.relation, c));
  return { record, table: { columns, rows, totalRows: value.rows ?? rows.length, summaries } };
}

async function summarize(engine: Engine, relation: string, c: ColumnInfo): Promise<ColumnSummary> {
  const read = (sql: string) => readRows(engine.db, sql);
  const col = ident(c.name);
  if (isNumericType(c.type)) return { column: c.name, kind: 'histogram', bins: await histogram(read, relation, col, 20) };
  const top = await read(
    `SELECT ${col}::VARCHAR AS label, count(*) AS n, sum(count(*)) OVER () AS total FROM ${relation} WHERE ${col} IS NOT NULL GROUP BY ALL ORDER BY n DESC, label LIMIT 8`,
  );
  const bars = top.rows.map(([label, n]) => ({ label: String(label), count: Number(n) }));
  const total = Number(top.rows[0]?.[2] ?? 0);
  return { column: c.name, kind: 'bar', bars, others: total - bars.reduce((s, b) => s + b.count, 0) };
}
