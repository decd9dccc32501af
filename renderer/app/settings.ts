import { z } from 'zod';
import type { Settings } from '../../electron/channel-map.ts';

export type { Settings };
export type Theme = 'light' | 'dark';

const KEY = 'kanvas.settings';

/** The part of `localStorage` used here (so Node tests can pass a map). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const browserSettings = z.object({
  theme: z.enum(['light', 'dark', 'system']).catch('system'),
  engine: z.object({ threads: z.number().int().min(1).max(256).nullable().catch(null) }).catch({ threads: null }),
});

/**
 * The browser's settings, from localStorage. Anything unreadable gives the defaults, field by
 * field; the theme of the first version (`kanvas.theme`) is carried over.
 */
export function readBrowserSettings(storage: Pick<KeyValueStorage, 'getItem'>): Settings {
  let raw: unknown = null;
  try {
    raw = JSON.parse(storage.getItem(KEY) ?? 'null');
  } catch {
    raw = null;
  }
  if (raw === null || typeof raw !== 'object') {
    const legacy = storage.getItem('kanvas.theme');
    raw = { theme: legacy === 'light' || legacy === 'dark' ? legacy : 'system' };
  }
  return browserSettings.parse({ engine: { threads: null }, ...(raw as object) });
}

export function writeBrowserSettings(storage: KeyValueStorage, patch: Partial<Settings>): Settings {
  const next = { ...readBrowserSettings(storage), ...patch };
  storage.setItem(KEY, JSON.stringify(next));
  return next;
}

/** The theme to show: `system` follows the operating system's preference. */
export function resolveTheme(theme: Settings['theme'], systemDark: boolean): Theme {
  return theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
}
