import { Engine } from '../engine/index.ts';
import { DiskStore } from '../engine/node/disk-store.ts';
import { nodeHostFiles } from '../engine/node/host-files.ts';
import { openDatabase } from '../engine/node/open-database.ts';
import type { CliOptions } from './main.ts';

/**
 * The engine a command runs on: the DuckDB build `--engine` names (native by default), and with
 * `cachedFor` a pipeline path, the disk cache beside it unless `--no-cache`.
 */
export async function openCliEngine(values: CliOptions, cachedFor?: string): Promise<Engine> {
  const db = await openDatabase(values.engine === 'wasm' ? 'wasm' : 'native');
  const store = cachedFor && !values['no-cache'] ? { store: DiskStore.forPipeline(cachedFor) } : {};
  return new Engine({ db, files: nodeHostFiles, ...store });
}
