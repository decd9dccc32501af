import type { Engine } from '../exec/engine.ts';
import { previewNode } from '../exec/preview.ts';
import { outputColumns } from '../exec/run-record.ts';
import { loadDocument } from '../index.ts';
import type { HostFiles } from '../db/database.ts';
import { exportSchema } from '../export/schema.ts';
import type { RunRequest, WorkerApi } from './engine-api.ts';

/** What a host provides the service: the engine, and how files from the user reach it. */
export interface ServiceHost {
  readonly engine: Engine;
  readonly files: HostFiles;
  /** Runs before each operation (the desktop engine reopens DuckDB when its permitted folders changed). */
  prepare?(): Promise<void>;
  putFile(path: string, bytes: Uint8Array): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
}

/**
 * The engine behind the renderer's `EngineApi`, the same in the browser's Web Worker
 * (duckdb-wasm, files in memory) and the desktop app's utility process (native DuckDB, files on
 * disk): documents in, run records and previews out, one operation at a time.
 */
export function createEngineService(start: (assets: Record<string, string>) => Promise<ServiceHost>): WorkerApi {
  let host: Promise<ServiceHost> | undefined;
  let controller: AbortController | undefined;
  // One operation at a time (one engine, one database connection); cancel is never queued.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const result = queue.then(op);
    queue = result.catch(() => undefined);
    return result;
  };
  const ready = async () => {
    if (!host) throw new Error('engine not initialised');
    const h = await host;
    await h.prepare?.();
    return h;
  };
  const begin = () => (controller = new AbortController()).signal;

  return {
    async init(assets) {
      host ??= start(assets);
      const { engine } = await host;
      return { engine: engine.db.engine, duckdb: engine.db.version };
    },
    putFile: (path, bytes) => serial(async () => (await ready()).putFile(path, bytes)),
    readFile: (path) => serial(async () => (await ready()).readFile(path)),
    run: (request: RunRequest, onProgress) => serial(async () => {
      const loaded = loadDocument(request.doc);
      if (!loaded.ok) return loaded;
      const { engine } = await ready();
      const record = await engine.run(loaded.pipeline, {
        baseDir: request.baseDir,
        signal: begin(),
        onProgress: (e) => onProgress(e),
        // The editor shows a row count on every node, fused ones too.
        countFused: true,
        ...(request.targets ? { targets: request.targets } : {}),
      });
      return { ok: true as const, record };
    }),
    check: (request) => serial(async () => {
      const loaded = loadDocument(request.doc);
      if (!loaded.ok) return loaded;
      const { engine } = await ready();
      const record = await engine.check(loaded.pipeline, { baseDir: request.baseDir, signal: begin() });
      return { ok: true as const, record, columns: outputColumns(record) };
    }),
    preview: (request, onProgress) => serial(async () => {
      const loaded = loadDocument(request.doc);
      if (!loaded.ok) return loaded;
      const { engine } = await ready();
      const preview = await previewNode(engine, loaded.pipeline, request.node, request.port, {
        baseDir: request.baseDir,
        signal: begin(),
        onProgress: (e) => onProgress(e),
      });
      return { ok: true as const, preview };
    }),
    exportSchema: (request) => serial(async () => {
      const loaded = loadDocument(request.doc);
      if (!loaded.ok) return loaded;
      const host = await ready();
      const { schema } = await exportSchema(host.engine, loaded.pipeline, request.baseDir, host.files);
      return { ok: true as const, schema, results: await host.engine.runResults(loaded.pipeline) };
    }),
    async cancel() {
      controller?.abort();
    },
  };
}
