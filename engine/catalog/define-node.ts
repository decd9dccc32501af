import type { z } from 'zod';
import type { ColumnInfo, CsvReadOptions, Database, InputFormat, OutputFormat, Primitive, WriteOptions } from '../db/database.ts';
import type { PortSpec } from './ports.ts';
import type { Codegen } from '../export/types.ts';
import type { ModelValue } from '../ml/artifact.ts';

export type Category = 'source' | 'transform' | 'features' | 'model' | 'tune' | 'analysis' | 'sink';

/** A table living in the engine's DuckDB database. */
export interface TableValue {
  type: 'table';
  /** SQL relation to select from: a quoted table name, or a parenthesised query (a sink's fused input). */
  relation: string;
  columns: ColumnInfo[];
  /** Row count; null for a sink's fused input, which is never materialized. */
  rows: number | null;
}

/** A report: tables and plot specs the renderer draws and the CLI writes as JSON. */
export interface ReportValue {
  type: 'report';
  title: string;
  sections: ReportSection[];
}

export type ReportSection =
  | { kind: 'table'; title: string; columns: ColumnInfo[]; rows: Primitive[][] }
  | { kind: 'plot'; title: string; plot: PlotSpec };

/** Declarative plot specs; the renderer maps them to Observable Plot marks. */
export type PlotSpec =
  | { type: 'histogram'; column: string; bins: { x0: number; x1: number; count: number }[] }
  | { type: 'bar'; column: string; bars: { label: string; count: number }[] }
  /** Series of points over a numeric x (e.g. a tuner's value per trial and best so far); `dots` draws points only. */
  | { type: 'line'; x: string; y: string; series: { name: string; points: { x: number; y: number }[]; dots?: boolean }[] }
  /** A value per cell of a grid of labels (e.g. a confusion matrix: x predicted, y actual); label order is axis order. */
  | { type: 'heatmap'; x: string; y: string; xLabels: string[]; yLabels: string[]; cells: { x: string; y: string; value: number }[] };

export type PortValue = TableValue | ReportValue | ModelValue;
export type { ModelValue };

/** A file a source reads: a path (relative to the pipeline's folder) or a built-in sample. */
export type FileRef = { path: string; format: InputFormat; csv?: CsvReadOptions } | { sample: string };

/** A column a param refers to, checked against the input's columns before anything runs. */
export interface ColumnRef<I extends string> {
  param: string;
  column: string;
  input: I;
}

/** A SQL fragment a param holds; on a binding error each is checked alone to name the culprit. */
export interface ExprRef<I extends string> {
  param: string;
  /** A query that uses the fragment (and what it depends on) over the inputs. */
  sql: (inputs: Record<I, string>, ctx: SqlContext<I>) => string;
}

export interface SqlContext<I extends string = string> {
  node: string;
  /** The source's file as a SQL relation (kinds with `file`). */
  file: string;
  /** Columns of the input on port `name` (known: inputs are bound before their consumers). */
  columns(name: I): ColumnInfo[];
}

export interface RunContext<I extends string, P> {
  node: string;
  params: P;
  inputs: Record<I, PortValue>;
  /** The input on port `name`, which must be a table. */
  table(name: I): TableValue;
  db: Database;
  /** Rows of a query as JS values (dates and other non-primitive types as DuckDB prints them). */
  readRows(sql: string, limit?: number): Promise<{ columns: ColumnInfo[]; rows: Primitive[][] }>;
  /** Materializes `sql` as a table owned by this node's output. */
  materialize(sql: string): Promise<TableValue>;
  /** Writes the result of `sql` to a file atomically (temp file + rename); returns rows written. */
  writeFile(sql: string, path: string, format: OutputFormat, options?: WriteOptions): Promise<number>;
  progress(done: number, total: number, message?: string): void;
  signal: AbortSignal;
  /**
   * Resumable work (tuners): this node's output on `port` from its latest run over the same
   * inputs with other params — a run that completed, or one that did not (cancelled, failed)
   * but left a `checkpoint`. Undefined when there is none, or when the run ignores the cache.
   */
  previous(port: string): Promise<PortValue | undefined>;
  /**
   * Keeps outputs (reports and models: no tables) that `previous` gives this node's next run
   * over the same inputs if this run does not complete. Each call replaces the last; a run that
   * completes drops it. Held in memory by the engine, not in the output store.
   */
  checkpoint(outputs: Record<string, ReportValue | ModelValue>): void;
}

interface NodeBase<I extends string, O extends string, S extends z.ZodObject> {
  kind: string;
  /** Bumped when params or results change; documents keep the version they were written with. */
  version: number;
  title: string;
  category: Category;
  /** One line for the palette. */
  description: string;
  /** Longer reference text (markdown) for the docs. */
  docs?: string;
  inputs: Record<I, PortSpec>;
  outputs: Record<O, PortSpec>;
  params: S;
  columnRefs?(params: z.output<S>): ColumnRef<I>[];
  exprRefs?(params: z.output<S>): ExprRef<I>[];
  /** Param migrations: `migrations[n]` turns version-n params into version n+1. */
  migrations?: Record<number, (params: Record<string, unknown>) => Record<string, unknown>>;
  /**
   * Code export: for each target (pandas, PySpark, Beam, DuckDB SQL) a generator of the code that
   * computes exactly what `sql`/`file`/`run` compute, or `{ unsupported: reason }`.
   */
  codegen: Codegen<I, O, z.output<S>>;
}

/** A kind that compiles to SQL; the executor fuses chains of these into one query. */
export interface SqlNode<I extends string, O extends string, S extends z.ZodObject> extends NodeBase<I, O, S> {
  /** A query per output (or one string for a single output), over input relations. */
  sql?(inputs: Record<I, string>, params: z.output<S>, ctx: SqlContext<I>): string | Record<O, string>;
  /** Sources: the file to read. Without `sql`, the node is `SELECT * FROM <file>`. */
  file?(params: z.output<S>): FileRef;
  /** Materialize the output even in a chain (reductions: small, and worth caching). */
  materialize?: boolean;
  /** Inputs must be materialized tables (row-order-dependent kinds such as split). */
  materializedInputs?: boolean;
  run?: never;
}

/** A kind that runs code over materialized inputs (analyses, models, sinks). */
export interface RunNode<I extends string, O extends string, S extends z.ZodObject> extends NodeBase<I, O, S> {
  run(ctx: RunContext<I, z.output<S>>): Promise<Record<O, PortValue>>;
  /**
   * Sinks: the files the node writes (paths as given in params). A sink's input may be a fused
   * query (no table is stored just to be copied out), and a cached sink counts only while the
   * files it wrote are unchanged on disk.
   */
  writes?(params: z.output<S>): string[];
  sql?: never;
  file?: never;
}

export type NodeDefinition<I extends string = string, O extends string = string, S extends z.ZodObject = z.ZodObject> =
  | SqlNode<I, O, S>
  | RunNode<I, O, S>;

/** Identity with inference: param types flow from the zod schema into `sql` and `run`. */
export function defineNode<I extends string = never, O extends string = never, S extends z.ZodObject = z.ZodObject>(
  def: NodeDefinition<I, O, S>,
): NodeDefinition<I, O, S> {
  return def;
}

export function isRunNode(def: NodeDefinition): def is RunNode<string, string, z.ZodObject> {
  return typeof def.run === 'function';
}
