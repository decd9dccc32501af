import type { KeyValueStorage } from './settings.ts';

/** What is known of a kept file without reading it. */
export interface KeptEntry {
  path: string;
  size: number;
  /** When it was last kept or read back (ms since the epoch). */
  at: number;
}

const INDEX = 'kanvas.kept-files';

/**
 * The kept files to delete so the rest fit in `limit` bytes: least recently used first. A file
 * larger than the limit on its own is deleted too (it is never kept).
 */
export function overLimit(entries: KeptEntry[], limit: number): string[] {
  const newestFirst = [...entries].sort((a, b) => b.at - a.at);
  const drop: string[] = [];
  let total = 0;
  for (const e of newestFirst) {
    if (total + e.size > limit) drop.push(e.path);
    else total += e.size;
  }
  return drop;
}

export function readIndex(storage: Pick<KeyValueStorage, 'getItem'>): KeptEntry[] {
  try {
    const raw = JSON.parse(storage.getItem(INDEX) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.filter((e): e is KeptEntry => typeof e?.path === 'string' && typeof e.size === 'number' && typeof e.at === 'number') : [];
  } catch {
    return [];
  }
}

export function writeIndex(storage: KeyValueStorage, entries: KeptEntry[]): void {
  storage.setItem(INDEX, JSON.stringify(entries));
}
