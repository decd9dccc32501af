import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Fingerprint } from '../exec/fingerprint.ts';
import { writeFileAtomic } from './atomic-write.ts';
import type { Checkpoint, OutputStore, StoredEntry } from '../exec/output-store.ts';

interface Index {
  format: 'kanvas.cache';
  version: 1;
  fingerprints: Record<string, Fingerprint>;
  entries: Record<string, { entry: StoredEntry; lastUsed: number; bytes: number }>;
  /** Absent in indexes written before checkpoints were kept. */
  checkpoints?: Record<string, Checkpoint>;
}

const emptyIndex = (): Index => ({ format: 'kanvas.cache', version: 1, fingerprints: {}, entries: {} });

/**
 * Node outputs on disk: `.kanvas/cache/<pipeline>/` beside the pipeline file holds an index
 * (fingerprints and entries) and one Parquet file per stored table. Least recently used
 * entries go first once the folder passes `maxBytes`. A corrupt or missing index is an empty
 * cache, never an error.
 */
export class DiskStore implements OutputStore {
  private index: Index | undefined;

  constructor(
    readonly dir: string,
    private readonly maxBytes = 2 * 1024 ** 3,
  ) {}

  /** The store for a pipeline file: `<its folder>/.kanvas/cache/<its name>/`. */
  static forPipeline(pipelinePath: string, maxBytes?: number): DiskStore {
    const name = path.basename(pipelinePath).replace(/\.kanvas\.json$|\.json$/, '');
    return new DiskStore(path.join(path.dirname(pipelinePath), '.kanvas', 'cache', name), maxBytes);
  }

  async fingerprints(): Promise<Record<string, Fingerprint>> {
    return (await this.load()).fingerprints;
  }

  async get(key: string): Promise<StoredEntry | undefined> {
    const item = (await this.load()).entries[key];
    if (!item) return undefined;
    const outputs: StoredEntry['outputs'] = {};
    for (const [port, o] of Object.entries(item.entry.outputs)) {
      if (o.type !== 'table') {
        outputs[port] = o;
        continue;
      }
      const file = path.join(this.dir, o.file);
      if (!(await exists(file))) return undefined;
      outputs[port] = { ...o, file };
    }
    return { outputs, files: item.entry.files };
  }

  tablePath(key: string, port: string): string {
    return path.join(this.dir, `${key.slice(0, 32)}-${port.replace(/[^A-Za-z0-9_-]/g, '_')}.parquet`);
  }

  async put(key: string, entry: StoredEntry): Promise<void> {
    const index = await this.load();
    let bytes = 0;
    const outputs: StoredEntry['outputs'] = {};
    for (const [port, o] of Object.entries(entry.outputs)) {
      if (o.type !== 'table') {
        outputs[port] = o;
        continue;
      }
      bytes += (await fs.stat(o.file)).size;
      outputs[port] = { ...o, file: path.relative(this.dir, o.file) };
    }
    index.entries[key] = { entry: { outputs, files: entry.files }, lastUsed: Date.now(), bytes };
  }

  async checkpoints(): Promise<Record<string, Checkpoint>> {
    return (await this.load()).checkpoints ?? {};
  }

  async commit(fingerprints: Record<string, Fingerprint>, used: string[], checkpoints: Record<string, Checkpoint>): Promise<void> {
    const index = await this.load();
    index.fingerprints = fingerprints;
    // Tables live in the database that made them: only checkpoints of JSON values outlive it.
    index.checkpoints = Object.fromEntries(Object.entries(checkpoints).filter(([, c]) => Object.values(c.outputs).every((o) => o.type !== 'table')));
    const now = Date.now();
    for (const key of used) if (index.entries[key]) index.entries[key].lastUsed = now;
    let total = Object.values(index.entries).reduce((n, e) => n + e.bytes, 0);
    const byAge = Object.entries(index.entries).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [key, item] of byAge) {
      if (total <= this.maxBytes || used.includes(key)) continue;
      delete index.entries[key];
      total -= item.bytes;
    }
    await fs.mkdir(this.dir, { recursive: true });
    await ignoreInGit(path.dirname(path.dirname(this.dir)));
    await writeFileAtomic(path.join(this.dir, 'index.json'), JSON.stringify(index));
    await this.removeUnreferenced(index);
  }

  private async removeUnreferenced(index: Index): Promise<void> {
    const referenced = new Set(
      Object.values(index.entries).flatMap((e) => Object.values(e.entry.outputs).flatMap((o) => (o.type === 'table' ? [o.file] : []))),
    );
    for (const name of await fs.readdir(this.dir)) {
      if (name.endsWith('.parquet') && !referenced.has(name)) await fs.rm(path.join(this.dir, name), { force: true });
    }
  }

  private async load(): Promise<Index> {
    if (this.index) return this.index;
    try {
      const parsed = JSON.parse(await fs.readFile(path.join(this.dir, 'index.json'), 'utf8')) as Index;
      this.index = parsed.format === 'kanvas.cache' && parsed.version === 1 ? parsed : emptyIndex();
    } catch {
      this.index = emptyIndex();
    }
    return this.index;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** `.kanvas/` holds caches, never something to commit: a `.gitignore` of `*` keeps it out. */
async function ignoreInGit(kanvasDir: string): Promise<void> {
  const file = path.join(kanvasDir, '.gitignore');
  if (!(await exists(file))) await fs.writeFile(file, '*\n');
}
