import path from 'node:path';
import Conf from 'conf';
import { openSettings, settingsMigrations, settingsOptions, type SettingsStore, type StoredSettings } from '../../electron/settings-store.ts';

/**
 * The desktop settings in `dir/settings.json` over conf, the store electron-store extends with
 * Electron's paths (electron-store itself cannot load without Electron's binary).
 */
export function confSettings(dir: string, projectVersion = '0.1.0', migrations = settingsMigrations): SettingsStore {
  const create = (m: typeof settingsMigrations) => new Conf<StoredSettings>({ ...settingsOptions(m), cwd: dir, configName: 'settings', projectVersion });
  return openSettings(create, path.join(dir, 'settings.json'), migrations);
}
