/**
 * The code-export contract: what a node kind declares for each target (`codegen` in
 * `defineNode`), and what the exporter gives back.
 */
import type { PortValue } from '../catalog/define-node.ts';
import type { ColumnInfo } from '../db/database.ts';
import type { ValueType } from './sql-expr.ts';

export const exportTargets = ['pandas', 'pyspark', 'beam', 'sql'] as const;
export type ExportTarget = (typeof exportTargets)[number];

/** A kind (or one node's params) that a target cannot express, and why. */
export interface Unsupported {
  unsupported: string;
}

/** An expression translated to a Python target, with its value type. */
export interface PyExpr {
  code: string;
  type: ValueType;
}

/** What a kind's generator gets, in every Python target. */
export interface PyGenContext<I extends string, O extends string> {
  node: string;
  /** The node's title (its own, or the kind's). */
  title: string;
  /** The variable (or expression) holding each input. */
  inputs: Record<I, string>;
  /** Variables to assign, for `lines` results. */
  outputs: Record<O, string>;
  /** Columns of an input, from the export's schema; throws `NotExportable` when unknown. */
  columns(port: I): ColumnInfo[];
  /** Columns of an output, from the export's schema; throws `NotExportable` when unknown. */
  outputColumns(port: O): ColumnInfo[];
  /** A Python string literal. */
  str(text: string): string;
  /** With run results: this node's output on `port` from the run (a tuner's study, a fitted model). */
  result(port: O): PortValue | undefined;
  /** With run results: the value that reached the node's input `port` in the run (e.g. a fitted artifact). */
  input(port: I): PortValue | undefined;
  /** Declares a runtime helper the code calls; returns its name. */
  helper(name: string): string;
  /** Translates a DuckDB expression over `columns` (throws `NotExportable`). Pandas: over frame `d`; Beam: over dict `row`; PySpark: a Column. */
  expr(sql: string, columns: ColumnInfo[]): PyExpr;
  /** A Python expression for a path in params, under the input (sources) or output (sinks) folder. */
  path(path: string, role: 'input' | 'output'): string;
  /** Sources: the delimiter DuckDB's sniffer found in the file (from the schema), when params give none. */
  csvDelimiter: string | undefined;
  /** Beam: whether the input is one ordered list of rows (after a sort) rather than a PCollection of rows. */
  ordered(port: I): boolean;
  /** Beam: a unique step label for this node (`suffix` tells steps of one node apart). */
  label(suffix?: string): string;
}

export type PyCode<O extends string = string> =
  /** A source: an expression that reads the data. */
  | { read: string; imports?: string[] }
  /** A one-input, one-output step applied to the input as a method-chain suffix (fusable). */
  | { step: string; ordered?: boolean }
  /** Statements that assign `ctx.outputs`. */
  | { lines: string[]; ordered?: boolean | Partial<Record<O, boolean>> }
  /** A sink: statements that write `ctx.inputs.in`. */
  | { write: string[] }
  | Unsupported;

/** What a kind's generator gets for the DuckDB SQL target. */
export interface SqlGenContext<I extends string> {
  node: string;
  title: string;
  /** Relations (CTE or table names) of the inputs. */
  inputs: Record<I, string>;
  columns(port: I): ColumnInfo[];
  /** The kind's own query (its `sql`), over `inputs` with these columns: what the engine runs. */
  kindSql(): string | Record<string, string>;
  /** The kind's file (its `file`) as a DuckDB table function over the path in params. */
  fileSql(): string;
  /** A SQL string literal. */
  str(text: string): string;
  /** With run results: the value that reached the node's input `port` in the run (e.g. a fitted artifact). */
  input(port: I): PortValue | undefined;
}

export type SqlCode =
  /** The query of each output (one string for a single output). */
  | { query: string | Record<string, string> }
  /** A sink: writes `query` (the input) to a file. */
  | { copy: (query: string) => string }
  | Unsupported;

/**
 * Generators are typed with their kind's params and ports; declared as methods so a catalog of
 * kinds with different params is one list (the same bivariance `sql` and `run` have).
 */
export type PyGenerator<I extends string, O extends string, P> = {
  generate(params: P, ctx: PyGenContext<I, O>): PyCode<O>;
}['generate'];
export type SqlGenerator<I extends string, P> = {
  generate(params: P, ctx: SqlGenContext<I>): SqlCode;
}['generate'];

/** Per target: a generator, or why the kind cannot be exported there. */
export interface Codegen<I extends string, O extends string, P> {
  pandas: PyGenerator<I, O, P> | Unsupported;
  pyspark: PyGenerator<I, O, P> | Unsupported;
  beam: PyGenerator<I, O, P> | Unsupported;
  sql: SqlGenerator<I, P> | Unsupported;
}

/** Output columns of each node's ports, from a check of the pipeline against its files. */
export interface ExportSchema {
  columns: Record<string, Record<string, ColumnInfo[]>>;
  /** The delimiter DuckDB's sniffer found, for CSV sources that do not give one. */
  delimiters?: Record<string, string>;
}

export interface ExportOptions {
  /** Date written in the header (`YYYY-MM-DD`): an option so the same document gives the same bytes. */
  date: string;
  /** Kanvas version written in the header. */
  version: string;
  schema?: ExportSchema;
  /**
   * Outputs of a run of the document (what `Engine.output` gives): fitted artifacts and tuner
   * results are only known after a run, and their export writes them in.
   */
  results?: (node: string, port: string) => PortValue | undefined;
}

export interface SkippedNode {
  node: string;
  kind: string;
  title: string;
  reason: string;
}

export interface ExportResult {
  target: ExportTarget;
  /** File name → text; `main` names the one to run. */
  files: Record<string, string>;
  main: string;
  skipped: SkippedNode[];
  /** Built-in sample datasets the code reads, as `samples/<name>.csv` under the input folder. */
  samples: string[];
}

export function isUnsupported(x: unknown): x is Unsupported {
  return typeof x === 'object' && x !== null && 'unsupported' in x;
}
