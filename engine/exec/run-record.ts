import type { ColumnInfo } from '../db/database.ts';
import type { Problem } from '../errors.ts';

export type NodeStatus = 'done' | 'cached' | 'error' | 'skipped' | 'cancelled';

export interface OutputSummary {
  type: 'table' | 'report' | 'model';
  /** Rows of a table output; absent for a report. */
  rows?: number;
  columns?: ColumnInfo[];
}

export interface NodeRecord {
  kind: string;
  status: NodeStatus;
  /**
   * Set when the node ran inside another node's query (a fused chain): its work and time are
   * that node's, and its output was never stored on its own.
   */
  fusedInto?: string;
  /** Output port → what it holds (materialized outputs only). */
  outputs?: Record<string, OutputSummary>;
  durationMs: number;
  /** DuckDB's memory in use right after the node ran (native engine; absent when not measured). */
  memoryBytes?: number;
  cache: { hit: boolean; reason: string };
  /** Cache key: hash of kind, version, params, input keys and files read. */
  key?: string;
  /** Files the node wrote, with rows written. */
  files?: { path: string; rows: number }[];
  error?: Problem;
}

/** What `run.json` holds: one run of one pipeline. */
export interface RunRecord {
  format: 'kanvas.run';
  version: 1;
  pipeline: string;
  engine: 'native' | 'wasm';
  duckdb: string;
  startedAt: string;
  durationMs: number;
  status: 'ok' | 'error' | 'cancelled';
  nodes: Record<string, NodeRecord>;
  problems: Problem[];
}

export interface ProgressEvent {
  node: string;
  phase: 'start' | 'step' | 'done' | 'cached' | 'error' | 'skipped' | 'cancelled';
  /** Within a node: trials, epochs, columns, or percent of a query. */
  step?: { done: number; total: number; message?: string };
  /** Across the run. */
  nodes: { done: number; total: number };
  /** The node's record, on the phases that finish it. */
  record?: NodeRecord;
}

/** Node id → output port → the columns of each table output the record knows. */
export function outputColumns(record: RunRecord): Record<string, Record<string, ColumnInfo[]>> {
  const columns: Record<string, Record<string, ColumnInfo[]>> = {};
  for (const [id, rec] of Object.entries(record.nodes)) {
    for (const [port, out] of Object.entries(rec.outputs ?? {})) if (out.columns) (columns[id] ??= {})[port] = out.columns;
  }
  return columns;
}
