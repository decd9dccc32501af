import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRecent } from '../../../electron/recent-files.ts';
import { SettingsStore } from '../../../electron/settings-store.ts';
import { tempDir } from '../../support/engines.ts';

describe('settings', () => {
  it('starts from defaults when there is no file, or an unreadable one', async () => {
    const dir = tempDir();
    const fresh = await SettingsStore.open(path.join(dir, 'settings.json'));
    expect(fresh.all).toEqual({ version: 1, theme: 'system', engine: { threads: null }, window: { bounds: { width: 1400, height: 900 }, maximized: false }, recent: [] });
    writeFileSync(path.join(dir, 'broken.json'), '{ "theme": ');
    expect((await SettingsStore.open(path.join(dir, 'broken.json'))).all.theme).toBe('system');
    writeFileSync(path.join(dir, 'wrong.json'), JSON.stringify({ version: 1, theme: 'purple' }));
    expect((await SettingsStore.open(path.join(dir, 'wrong.json'))).all.theme).toBe('system');
  });

  it('writes changes and reads them back', async () => {
    const file = path.join(tempDir(), 'settings.json');
    const store = await SettingsStore.open(file);
    await store.update({ theme: 'dark', window: { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true } });
    const again = await SettingsStore.open(file);
    expect(again.all.theme).toBe('dark');
    expect(again.all.window).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(readdirSync(path.dirname(file))).toEqual(['settings.json']);
  });

  it('migrates settings written by an older schema version', async () => {
    const file = path.join(tempDir(), 'settings.json');
    // Version 0 stored a boolean `darkMode` and `recentFiles`; a migration maps them.
    writeFileSync(file, JSON.stringify({ version: 0, darkMode: true, recentFiles: ['/a.kanvas.json'] }));
    const migrations = {
      0: (s: Record<string, unknown>) => ({ theme: s.darkMode ? 'dark' : 'light', recent: s.recentFiles }),
    };
    const store = await SettingsStore.open(file, migrations, 1);
    expect(store.all.theme).toBe('dark');
    expect(store.all.recent).toEqual(['/a.kanvas.json']);
  });

  it('keeps recent files most-recent first, de-duplicated and bounded', async () => {
    let list: string[] = [];
    for (let i = 0; i < 14; i++) list = addRecent(list, `/p${i}.kanvas.json`);
    list = addRecent(list, '/p5.kanvas.json');
    expect(list).toHaveLength(10);
    expect(list[0]).toBe('/p5.kanvas.json');
    expect(list.filter((f) => f === '/p5.kanvas.json')).toHaveLength(1);
    expect(list[1]).toBe('/p13.kanvas.json');
    const store = await SettingsStore.open(path.join(tempDir(), 's.json'));
    await store.addRecent('/x.kanvas.json');
    await store.addRecent('/y.kanvas.json');
    await store.addRecent('/x.kanvas.json');
    expect(store.all.recent).toEqual(['/x.kanvas.json', '/y.kanvas.json']);
  });
});

describe('atomic save', () => {
  it('a writer killed half-way leaves the old file intact', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.kanvas.json');
    writeFileSync(file, 'the old pipeline\n');
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(new URL('../../../engine/node/atomic-write.ts', import.meta.url).pathname)};
      process.send('writing');
      await writeFileAtomic(${JSON.stringify(file)}, 'x'.repeat(400 * 1024 * 1024));
      process.send('done');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    await new Promise<void>((resolve) => child.on('message', (m) => m === 'writing' && resolve()));
    // Wait until the temp file exists and is growing, then kill the writer outright.
    for (let i = 0; i < 500 && !readdirSync(dir).some((f) => f.includes('.tmp-')); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(readFileSync(file, 'utf8')).toBe('the old pipeline\n');
    expect(existsSync(file)).toBe(true);
  });
});
