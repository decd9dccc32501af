import { createRequire } from 'node:module';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { readParquet, writeParquet, Table } from 'parquet-wasm';
import { WasmDatabase } from '../db/wasm-database.ts';
import type { Database, HostFiles } from '../db/database.ts';
import { NativeDatabase } from './native-database.ts';
import { nodeHostFiles } from './host-files.ts';

export type EngineKind = 'native' | 'wasm';

/** Opens DuckDB in Node: native by default, or duckdb-wasm (the browser build's engine). */
export async function openDatabase(kind: EngineKind = 'native', files: HostFiles = nodeHostFiles): Promise<Database> {
  if (kind === 'native') return NativeDatabase.open({ files });
  const require = createRequire(import.meta.url);
  const arrow = require('apache-arrow') as typeof import('apache-arrow');
  const bundles = {
    mvp: { mainModule: require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'), mainWorker: '' },
    eh: { mainModule: require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'), mainWorker: '' },
  };
  const bindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await bindings.instantiate();
  bindings.open({});
  return new WasmDatabase({
    bindings,
    files,
    readsLocalFiles: true,
    parquet: {
      toArrowIPC: (bytes) => readParquet(bytes).intoIPCStream(),
      fromArrow: (table) => writeParquet(Table.fromIPCStream(arrow.tableToIPC(table, 'stream'))),
    },
  });
}
