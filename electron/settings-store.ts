import { renameSync } from 'node:fs';
import type { Options } from 'conf';
import { z } from 'zod';
import { addRecent } from './recent-files.ts';
import type { Settings } from './channels.ts';

const stored = z.object({
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

/** What the settings need of electron-store (main) or conf, the store it extends (tests). */
export interface SettingsBackend {
  readonly store: Record<string, unknown>;
  set(values: Partial<StoredSettings>): void;
}

/** The store as a migration sees it: the whole object, read and replaced. */
type MigrationStore = { store: Record<string, unknown> };

/**
 * Migrations by app version, run by conf in order for settings last written by an older app.
 * Each gets the store; validation is off while they run.
 */
export const settingsMigrations: Record<string, (store: MigrationStore) => void> = {
  // Kanvas 0.1.0 wrote settings.json itself, with a `version: 1` field; conf keeps its own.
  '0.1.0': (s) => {
    s.store = Object.fromEntries(Object.entries(s.store).filter(([key]) => key !== 'version'));
  },
};

/**
 * The options shared by electron-store (in main) and conf (in tests): the JSON Schema conf
 * validates each write against, made from the zod schema above; defaults; migrations; and a
 * file that is not valid JSON or not valid settings is started afresh instead of stopping the app.
 */
export function settingsOptions(migrations = settingsMigrations): Pick<Options<StoredSettings>, 'schema' | 'defaults' | 'migrations' | 'clearInvalidConfig'> {
  const { properties } = z.toJSONSchema(stored, { io: 'input' }) as { properties: Options<StoredSettings>['schema'] };
  return {
    schema: properties,
    defaults: stored.parse({}),
    migrations: migrations as Options<StoredSettings>['migrations'],
    clearInvalidConfig: true,
  };
}

/**
 * Opens the settings with `create(migrations)`. A migration that throws (a file from a newer
 * app, say) must not stop the app from starting: the file is moved aside, kept for the user,
 * and a fresh file starts from the defaults (with no migrations left to run on it); if even
 * that fails, the settings live in memory for this session.
 */
export function openSettings(create: (migrations: typeof settingsMigrations) => SettingsBackend, file: string, migrations = settingsMigrations): SettingsStore {
  try {
    return new SettingsStore(create(migrations));
  } catch {
    try {
      renameSync(file, `${file}.unreadable-${Date.now()}`);
    } catch {
      // Nothing to move aside: the error was not about the file.
    }
    try {
      return new SettingsStore(create({}));
    } catch {
      // The folder cannot be written either: run on defaults kept in memory.
      return new SettingsStore(memoryBackend());
    }
  }
}

function memoryBackend(): SettingsBackend {
  let data: Record<string, unknown> = {};
  return {
    get store() {
      return data;
    },
    set(values) {
      data = { ...data, ...values };
    },
  };
}

/** Settings and recent files in `settings.json` under the app's user-data folder. */
export class SettingsStore {
  constructor(private readonly backend: SettingsBackend) {}

  get all(): StoredSettings {
    const parsed = stored.safeParse(this.backend.store);
    return parsed.success ? parsed.data : stored.parse({});
  }

  settings(): Settings {
    const { theme, engine } = this.all;
    return { theme, engine };
  }

  async update(patch: Partial<StoredSettings>): Promise<void> {
    this.backend.set(stored.parse({ ...this.all, ...patch }));
  }

  async addRecent(file: string): Promise<void> {
    await this.update({ recent: addRecent(this.all.recent, file) });
  }
}
