/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import * as duckdb from 'duckdb-browser-blocking';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import initParquet, { readParquet, Table, writeParquet } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { tableToIPC } from 'apache-arrow';
import { Engine, loadDocument, previewNode, type ColumnInfo, type ProgressEvent } from '../../engine/index.ts';
import { WasmDatabase } from '../../engine/db/wasm-database.ts';
import { MemoryFiles } from './memory-files.ts';
import type { RunRequest, WorkerApi } from './engine-api.ts';

let engine: Engine | undefined;
let files: MemoryFiles | undefined;
let controller: AbortController | undefined;

function ready(): Engine {
  if (!engine) throw new Error('engine not initialised');
  return engine;
}

function load(request: RunRequest) {
  return loadDocument(request.doc);
}

const api: WorkerApi = {
  async init(assets) {
    if (engine) return { engine: 'wasm', duckdb: engine.db.version };
    await initParquet({ module_or_path: parquetWasm });
    const bindings = await duckdb.createDuckDB(
      { mvp: { mainModule: mvpWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } },
      new duckdb.VoidLogger(),
      duckdb.BROWSER_RUNTIME,
    );
    await bindings.instantiate(() => undefined);
    bindings.open({});
    files = new MemoryFiles(assets);
    const db = new WasmDatabase({
      bindings,
      files,
      readsLocalFiles: false,
      parquet: {
        toArrowIPC: (bytes) => readParquet(bytes).intoIPCStream(),
        fromArrow: (table) => writeParquet(Table.fromIPCStream(tableToIPC(table, 'stream'))),
      },
    });
    engine = new Engine({ db, files });
    return { engine: 'wasm', duckdb: db.version };
  },
  async putFile(path, bytes) {
    files!.put(path, bytes);
  },
  async readFile(path) {
    return files!.readFile(path);
  },
  async run(request, onProgress) {
    const loaded = load(request);
    if (!loaded.ok) return loaded;
    controller = new AbortController();
    const record = await ready().run(loaded.pipeline, {
      baseDir: request.baseDir,
      signal: controller.signal,
      onProgress: (e: ProgressEvent) => onProgress(e),
      ...(request.targets ? { targets: request.targets } : {}),
    });
    return { ok: true, record };
  },
  async check(request) {
    const loaded = load(request);
    if (!loaded.ok) return loaded;
    const record = await ready().check(loaded.pipeline, { baseDir: request.baseDir });
    const columns: Record<string, Record<string, ColumnInfo[]>> = {};
    for (const [id, n] of Object.entries(record.nodes)) {
      for (const [port, o] of Object.entries(n.outputs ?? {})) if (o.columns) (columns[id] ??= {})[port] = o.columns;
    }
    return { ok: true, record, columns };
  },
  async preview(request, onProgress) {
    const loaded = load(request);
    if (!loaded.ok) return loaded;
    controller = new AbortController();
    const preview = await previewNode(ready(), loaded.pipeline, request.node, request.port, {
      baseDir: request.baseDir,
      signal: controller.signal,
      onProgress: (e: ProgressEvent) => onProgress(e),
    });
    return { ok: true, preview };
  },
  async cancel() {
    controller?.abort();
  },
};

Comlink.expose(api);
