import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { Table, Vector } from 'apache-arrow';
import { copyToSql, insertRowsSql, readCsvSql } from './file-sql.ts';
import { parseJsonRows } from './json-rows.ts';
import { LoadedFiles } from './loaded-files.ts';
import { toPrimitive, type Database, type HostFiles, type JsRows, type OutputFormat, type Primitive, type QueryResult, type ResolvedFile, type WriteOptions } from './database.ts';

/**
 * Parquet ⇄ Arrow, since offline duckdb-wasm has no parquet extension. `fromArrow` takes the
 * table duckdb-wasm returned: it must be serialized by the same apache-arrow module instance
 * that made it (in Node that is the CJS build duckdb-wasm requires, not our ESM import).
 */
export interface ParquetCodec {
  toArrowIPC(parquet: Uint8Array): Uint8Array;
  fromArrow(table: Table): Uint8Array;
}

export interface WasmDatabaseOptions {
  bindings: DuckDBBindings;
  files: HostFiles;
  parquet: ParquetCodec;
  /** True where duckdb-wasm's runtime reads local paths itself (Node); false in a browser. */
  readsLocalFiles: boolean;
}

/**
 * duckdb-wasm through its synchronous ("blocking") bindings, which run on the calling thread:
 * in the CLI's process, or inside the browser build's engine worker. Offline it has only the
 * core functions, so Parquet goes through parquet-wasm, JSON through our own parser, and
 * written files through duckdb-wasm's virtual file system.
 */
export class WasmDatabase implements Database {
  readonly engine = 'wasm' as const;
  readonly version: string;
  private readonly conn: DuckDBConnection;
  private readonly loadedFiles: LoadedFiles;
  private tempCounter = 0;

  constructor(private readonly o: WasmDatabaseOptions) {
    this.conn = o.bindings.connect();
    // Offline, an autoloaded extension would try the network and hang: fail fast instead.
    this.conn.query('SET autoload_known_extensions = false');
    this.conn.query('SET autoinstall_known_extensions = false');
    this.version = String(this.conn.query('SELECT version() AS v').getChildAt(0)?.get(0));
    this.loadedFiles = new LoadedFiles(
      o.files,
      async (table, file) => {
        const bytes = await o.files.readFile(file.path);
        if (file.format === 'parquet') {
          this.conn.insertArrowFromIPCStream(o.parquet.toArrowIPC(bytes), { name: table, create: true });
        } else {
          await this.insertRows(table, parseJsonRows(bytes, file.path));
        }
      },
      async (relation) => void this.conn.query(`DROP TABLE IF EXISTS ${relation}`),
    );
  }

  async exec(sql: string): Promise<void> {
    this.prepared(sql, (s) => s.query());
  }

  async query(sql: string): Promise<QueryResult> {
    return this.prepared(sql, (s) => toResult(s.query()));
  }

  async insertRows(name: string, table: JsRows): Promise<void> {
    for (const sql of insertRowsSql(name, table)) this.conn.query(sql);
  }

  async fileRelation(file: ResolvedFile): Promise<string> {
    if (file.format === 'csv') {
      if (this.o.readsLocalFiles) {
        // duckdb-wasm keeps what it learnt of a local file (its size); forget it, so an edited
        // file is read whole.
        this.o.bindings.dropFile(file.path);
      } else {
        this.o.bindings.registerFileBuffer(file.path, await this.o.files.readFile(file.path));
      }
      return readCsvSql(file.path, file.csv);
    }
    return this.loadedFiles.relation(file);
  }

  async writeFile(sql: string, path: string, format: OutputFormat, options?: WriteOptions): Promise<number> {
    let bytes: Uint8Array;
    let rows: number;
    if (format === 'parquet') {
      const table = this.prepared(sql, (s) => s.query());
      rows = table.numRows;
      bytes = this.o.parquet.fromArrow(table);
    } else if (this.o.readsLocalFiles) {
      // Node's runtime writes local files itself, but cannot rename DuckDB's own temp file.
      return this.copy(copyToSql(sql, path, format, options, false));
    } else {
      const vfs = `__out_${this.tempCounter++}.csv`;
      this.o.bindings.registerFileBuffer(vfs, new Uint8Array(0));
      try {
        rows = this.copy(copyToSql(sql, vfs, format, options, false));
        bytes = this.o.bindings.copyFileToBuffer(vfs);
      } finally {
        this.o.bindings.dropFile(vfs);
      }
    }
    await this.o.files.writeFile(path, bytes);
    return rows;
  }

  private copy(statement: string): number {
    return Number(this.prepared(statement, (s) => s.query()).getChildAt(0)?.get(0) ?? 0);
  }

  interrupt(): void {
    // The blocking bindings run on this thread: a statement cannot be stopped from here.
    // The engine checks for cancellation between statements; a browser worker is terminated.
  }

  progress(): number | null {
    return null;
  }

  async close(): Promise<void> {
    this.conn.close();
    this.o.bindings.reset();
  }

  private prepared<T>(sql: string, use: (s: ReturnType<DuckDBConnection['prepare']>) => T): T {
    const statement = this.conn.prepare(sql);
    try {
      return use(statement);
    } finally {
      statement.close();
    }
  }
}

function toResult(table: Table): QueryResult {
  const columns = table.schema.fields.map((f) => f.name);
  const vectors = columns.map((_, i) => table.getChildAt(i) as Vector);
  const rows: Primitive[][] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(vectors.map((v) => toPrimitive(v.get(r))));
  return { columns, rows };
}


