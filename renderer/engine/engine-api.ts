import type { ColumnInfo, PipelineDocument, Preview, Problem, ProgressEvent, RunRecord } from '../../engine/index.ts';

export type Outcome<T> = ({ ok: true } & T) | { ok: false; problems: Problem[] };

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
  init(): Promise<{ engine: 'native' | 'wasm'; duckdb: string }>;
  /** Makes a file the user opened or dropped readable at `path`. */
  putFile(path: string, bytes: Uint8Array): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  run(request: RunRequest, onProgress: (e: ProgressEvent) => void): Promise<Outcome<{ record: RunRecord }>>;
  /** Binds every SQL node without running: problems, and the columns of each output. */
  check(request: RunRequest): Promise<Outcome<{ record: RunRecord; columns: Record<string, Record<string, ColumnInfo[]>> }>>;
  preview(request: RunRequest & { node: string; port: string }, onProgress: (e: ProgressEvent) => void): Promise<Outcome<{ preview: Preview }>>;
  /** Stops the running operation between statements. */
  cancel(): Promise<void>;
}

/** The worker's side: `init` also takes the URLs of the files the app ships. */
export type WorkerApi = Omit<EngineApi, 'init'> & {
  init(assets: Record<string, string>): Promise<{ engine: 'native' | 'wasm'; duckdb: string }>;
};
