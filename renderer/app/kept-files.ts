import { overLimit, readIndex, writeIndex } from './kept-index.ts';
import type { KeyValueStorage } from './settings.ts';

/** A kept file's name in the private file system: the path, one name with no separators. */
const opfsName = (path: string) => encodeURIComponent(path);

/**
 * Data files the user gave the browser build (opened with a pipeline, picked, dropped), kept in
 * the origin's private file system (OPFS), so a pipeline opened again from the recent list or
 * recovered after a crash finds them after a reload. Bounded: the least recently used go first.
 * Every failure (no OPFS, quota) only means the file is not kept; nothing else depends on it.
 */
export class KeptFiles {
  /** Bytes just read back: putting them into the engine must not write them again. */
  private readonly restored = new WeakSet<Uint8Array>();
  /** Paths the engine was given in this session: newer than any kept copy. */
  private readonly given = new Set<string>();

  constructor(
    private readonly limit = 1024 * 1024 * 1024,
    private readonly storage: KeyValueStorage = localStorage,
  ) {}

  has(path: string): boolean {
    return readIndex(this.storage).some((e) => e.path === path);
  }

  /** Whether the engine already has `path` from this session (then nothing is restored over it). */
  inEngine(path: string): boolean {
    return this.given.has(path);
  }

  async keep(path: string, bytes: Uint8Array): Promise<void> {
    this.given.add(path);
    if (bytes.byteLength > this.limit || this.restored.has(bytes)) return;
    try {
      const dir = await navigator.storage.getDirectory();
      const writable = await (await dir.getFileHandle(opfsName(path), { create: true })).createWritable();
      await writable.write(bytes as BufferSource);
      await writable.close();
      const entries = readIndex(this.storage).filter((e) => e.path !== path);
      const next = [...entries, { path, size: bytes.byteLength, at: Date.now() }];
      const drop = overLimit(next, this.limit);
      for (const p of drop) await dir.removeEntry(opfsName(p)).catch(() => undefined);
      writeIndex(this.storage, next.filter((e) => !drop.includes(e.path)));
    } catch {
      // Not kept: the file is still in the engine for this session.
    }
  }

  async read(path: string): Promise<Uint8Array | null> {
    if (!this.has(path)) return null;
    try {
      const dir = await navigator.storage.getDirectory();
      const file = await (await dir.getFileHandle(opfsName(path))).getFile();
      writeIndex(this.storage, readIndex(this.storage).map((e) => (e.path === path ? { ...e, at: Date.now() } : e)));
      const bytes = new Uint8Array(await file.arrayBuffer());
      this.restored.add(bytes);
      return bytes;
    } catch {
      writeIndex(this.storage, readIndex(this.storage).filter((e) => e.path !== path));
      return null;
    }
  }
}
