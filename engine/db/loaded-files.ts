import { ident } from '../sql/quote.ts';
import type { HostFiles, ResolvedFile } from './database.ts';

/**
 * Files an adapter must load into a table before SQL can read them (JSON everywhere; Parquet
 * in wasm). A file is loaded once and reloaded only when its size or mtime changes.
 */
export class LoadedFiles {
  private readonly loaded = new Map<string, { stamp: string; relation: string }>();
  private counter = 0;

  constructor(
    private readonly files: HostFiles,
    private readonly load: (table: string, file: ResolvedFile) => Promise<void>,
    private readonly drop: (relation: string) => Promise<void>,
  ) {}

  async relation(file: ResolvedFile): Promise<string> {
    const stat = await this.files.stat(file.path);
    const stamp = `${stat?.size}:${stat?.mtimeMs}`;
    const key = `${file.format}:${file.path}`;
    const known = this.loaded.get(key);
    if (known && known.stamp === stamp) return known.relation;
    const table = `__file_${file.format}_${this.counter++}`;
    await this.load(table, file);
    if (known) await this.drop(known.relation);
    const relation = ident(table);
    this.loaded.set(key, { stamp, relation });
    return relation;
  }
}
