/// <reference lib="webworker" />
import * as duckdb from 'duckdb-browser-blocking';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import initParquet, { readParquet, Table, writeParquet } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { tableToIPC } from 'apache-arrow';
import { Engine } from '../../engine/index.ts';
import { WasmDatabase } from '../../engine/db/wasm-database.ts';
import { createEngineService } from '../../engine/service/engine-service.ts';
import { serveEngine } from '../../engine/service/rpc.ts';
import { MemoryFiles } from './memory-files.ts';
import { useBrowserTensorFlow } from './tf-browser.ts';

// model.mlp trains with TensorFlow.js: its wasm backend, with files the app serves.
useBrowserTensorFlow();

/** The browser build's engine: duckdb-wasm on this worker's thread, files in memory. */
const service = createEngineService(async (assets) => {
  await initParquet({ module_or_path: parquetWasm });
  const bindings = await duckdb.createDuckDB(
    { mvp: { mainModule: mvpWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } },
    new duckdb.VoidLogger(),
    duckdb.BROWSER_RUNTIME,
  );
  await bindings.instantiate(() => undefined);
  bindings.open({});
  const files = new MemoryFiles(assets);
  const db = new WasmDatabase({
    bindings,
    files,
    readsLocalFiles: false,
    parquet: {
      toArrowIPC: (bytes) => readParquet(bytes).intoIPCStream(),
      fromArrow: (table) => writeParquet(Table.fromIPCStream(tableToIPC(table, 'stream'))),
    },
  });
  return {
    engine: new Engine({ db, files }),
    files,
    putFile: async (path, bytes) => files.put(path, bytes),
    readFile: (path) => files.readFile(path),
  };
});

serveEngine(service, { post: (m) => self.postMessage(m), listen: (h) => self.addEventListener('message', (e) => h(e.data)) });
