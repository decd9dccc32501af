import type { ColumnInfo } from '../db/database.ts';
import type { PipelineDocument } from '../document/schema.ts';
import type { Problem } from '../errors.ts';
import type { Preview } from '../exec/preview.ts';
import type { ProgressEvent, RunRecord } from '../exec/run-record.ts';
import type { PortValue } from '../catalog/define-node.ts';
import type { ExportSchema } from '../export/types.ts';

/** Node id → output port → a model or report the last run made (see `Engine.runResults`). */
export type RunResults = Record<string, Record<string, PortValue>>;

export type Outcome<T> = ({ ok: true } & T) | { ok: false; problems: Problem[] };

export interface EngineInfo {
  engine: 'native' | 'wasm';
  duckdb: string;
  notice?: string;
}

export interface RunRequest {
  doc: PipelineDocument;
  baseDir: string;
  targets?: string[];
}

/**
 * The engine as the renderer sees it, whatever runs it: a Web Worker on duckdb-wasm in the
 * browser, the Electron utility process on native DuckDB in the desktop app. Plain data in,
 * plain data out; progress comes through a callback.
 */
export interface EngineApi {
  /** Starts the engine; `notice` says why a fallback engine runs instead of the expected one. */
  init(): Promise<EngineInfo>;
  /** Makes a file the user opened or dropped readable at `path`. */
  putFile(path: string, bytes: Uint8Array): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  run(request: RunRequest, onProgress: (e: ProgressEvent) => void): Promise<Outcome<{ record: RunRecord }>>;
  /** Binds every SQL node without running: problems, and the columns of each output. */
  check(request: RunRequest): Promise<Outcome<{ record: RunRecord; columns: Record<string, Record<string, ColumnInfo[]>> }>>;
  preview(request: RunRequest & { node: string; port: string }, onProgress: (e: ProgressEvent) => void): Promise<Outcome<{ preview: Preview }>>;
  /**
   * What code export needs from the engine: output columns and sniffed CSV delimiters (binds,
   * reads no data), and the models and reports of the last run that are still current.
   */
  exportSchema(request: RunRequest): Promise<Outcome<{ schema: ExportSchema; results: RunResults }>>;
  /** Stops the running operation between statements. */
  cancel(): Promise<void>;
}

/** The serving side: `init` also takes the URLs of the files the app ships (browser build). */
export type WorkerApi = Omit<EngineApi, 'init'> & {
  init(assets: Record<string, string>): Promise<EngineInfo>;
};
