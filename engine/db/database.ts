/**
 * The one interface the engine needs from DuckDB. Two implementations: native DuckDB in Node
 * (`engine/node/native-database.ts`) and duckdb-wasm (`engine/db/wasm-database.ts`), which
 * the same test suite runs against.
 */
export interface Database {
  readonly engine: 'native' | 'wasm';
  /** DuckDB's version string, e.g. `v1.4.3`. */
  readonly version: string;
  /** Runs one statement (never several: fragments from documents cannot smuggle a second). */
  exec(sql: string): Promise<void>;
  /**
   * Runs one query. Values come back as JS primitives for BOOLEAN, integer, floating and
   * VARCHAR columns; callers cast other types first (see `readRows`).
   */
  query(sql: string): Promise<QueryResult>;
  /** Creates table `name` from rows parsed in JS (JSON sources), with the given column types. */
  insertRows(name: string, table: JsRows): Promise<void>;
  /** A SQL table expression reading the file (a table function call, or a loaded table). */
  fileRelation(file: ResolvedFile): Promise<string>;
  /** Writes the result of `sql` to `path` in `format`; returns rows written. Not atomic: callers write a temp file. */
  writeFile(sql: string, path: string, format: OutputFormat, options?: WriteOptions): Promise<number>;
  /** Stops the statement that is running now, if the backend can (native can). */
  interrupt(): void;
  /** Fraction (0–1) of the running statement done, when the backend reports it. */
  progress(): number | null;
  close(): Promise<void>;
}

export type Primitive = null | boolean | number | string;

/** A value from either adapter as a `Primitive`: big integers as numbers, other types as DuckDB's text. */
export function toPrimitive(v: unknown): Primitive {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

export interface ColumnInfo {
  name: string;
  /** DuckDB's type name, e.g. `BIGINT`, `VARCHAR`, `TIMESTAMP`, `DECIMAL(10,2)`. */
  type: string;
}

export interface QueryResult {
  columns: string[];
  rows: Primitive[][];
}

/** A small table built in JS: JSON sources parse into this, then `insertRows` loads it. */
export interface JsRows {
  columns: { name: string; type: 'BOOLEAN' | 'BIGINT' | 'DOUBLE' | 'VARCHAR' }[];
  rows: Primitive[][];
}

export type InputFormat = 'csv' | 'parquet' | 'json';
export type OutputFormat = 'csv' | 'parquet';

export interface CsvReadOptions {
  delimiter?: string;
  header?: boolean;
  /** Column name → DuckDB type, overriding detection for those columns. */
  types?: Record<string, string>;
  encoding?: 'utf-8' | 'latin-1' | 'utf-16';
  nullString?: string;
}

/** A file to read, with an absolute path. */
export interface ResolvedFile {
  path: string;
  format: InputFormat;
  csv?: CsvReadOptions;
}

export interface WriteOptions {
  delimiter?: string;
  header?: boolean;
}

/** Host file access the engine needs; injected so the engine core stays free of `node:fs`. */
export interface HostFiles {
  /** Resolves `path` (relative paths against `baseDir`) to an absolute path. */
  resolve(baseDir: string, path: string): string;
  /** Size and modification time, or null when the file does not exist. */
  stat(path: string): Promise<{ size: number; mtimeMs: number } | null>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Creates the folder that will hold `path`, and its parents, if missing. */
  makeParentDirs(path: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Absolute path of a built-in sample dataset's CSV file. */
  samplePath(name: string): string;
}
