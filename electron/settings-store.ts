import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/node/atomic-write.ts';
import { addRecent } from './recent-files.ts';
import type { Settings } from './channels.ts';

export const SETTINGS_VERSION = 1;

const stored = z.object({
  version: z.literal(SETTINGS_VERSION),
  theme: z.enum(['light', 'dark', 'system']).default('system'),
  engine: z.object({ threads: z.number().int().min(1).max(256).nullable().default(null) }).default({ threads: null }),
  window: z
    .object({
      bounds: z.object({ x: z.number().optional(), y: z.number().optional(), width: z.number().min(400), height: z.number().min(300) }),
      maximized: z.boolean().default(false),
    })
    .default({ bounds: { width: 1400, height: 900 }, maximized: false }),
  recent: z.array(z.string()).max(50).default([]),
});

export type StoredSettings = z.output<typeof stored>;

type Json = Record<string, unknown>;

/** `migrations[n]` turns version-n settings into version n + 1. Version 1 is the first. */
export const settingsMigrations: Record<number, (s: Json) => Json> = {};

/**
 * Settings and recent files in one JSON file under the app's user-data folder: validated on
 * load, migrated forward from older versions, written atomically. A missing or unreadable file
 * gives the defaults; it never stops the app from starting.
 */
export class SettingsStore {
  private constructor(
    private readonly file: string,
    private data: StoredSettings,
  ) {}

  static async open(file: string, migrations = settingsMigrations, version = SETTINGS_VERSION): Promise<SettingsStore> {
    let raw: Json = {};
    try {
      raw = JSON.parse(await readFile(file, 'utf8')) as Json;
    } catch {
      raw = {};
    }
    let v = typeof raw.version === 'number' ? raw.version : version;
    while (v < version && migrations[v]) raw = { ...migrations[v]!(raw), version: ++v };
    const parsed = stored.safeParse({ ...raw, version: SETTINGS_VERSION });
    return new SettingsStore(file, parsed.success ? parsed.data : stored.parse({ version: SETTINGS_VERSION }));
  }

  get all(): StoredSettings {
    return this.data;
  }

  settings(): Settings {
    return { theme: this.data.theme, engine: this.data.engine };
  }

  async update(patch: Partial<Omit<StoredSettings, 'version'>>): Promise<void> {
    this.data = stored.parse({ ...this.data, ...patch });
    await writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }

  async addRecent(file: string): Promise<void> {
    await this.update({ recent: addRecent(this.data.recent, file) });
  }
}
