import { z } from 'zod';
import type { KeyValueStorage } from './settings.ts';

/** A pipeline the browser build opened or saved: a browser cannot reopen a path, so the text is kept. */
export interface RecentDoc {
  name: string;
  text: string;
  at: number;
}

const KEY = 'kanvas.recent-docs';
const MAX = 8;
/** Larger documents are not kept (localStorage holds a few MB in all). */
const MAX_TEXT = 512 * 1024;

const recentDocs = z.array(z.object({ name: z.string().min(1), text: z.string(), at: z.number() }));

export function readRecentDocs(storage: Pick<KeyValueStorage, 'getItem'>): RecentDoc[] {
  try {
    const parsed = recentDocs.safeParse(JSON.parse(storage.getItem(KEY) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Adds a document at the top, replacing an older one of the same name; keeps the newest few. */
export function rememberDoc(storage: KeyValueStorage, name: string, text: string, now = Date.now()): RecentDoc[] {
  const rest = readRecentDocs(storage).filter((d) => d.name !== name);
  const next = text.length > MAX_TEXT ? rest : [{ name, text, at: now }, ...rest].slice(0, MAX);
  try {
    storage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Storage full: the list stays as it was.
  }
  return next;
}
