import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRecent } from '../../../electron/recent-files.ts';
import { openSettings, settingsMigrations } from '../../../electron/settings-store.ts';
import { confSettings } from '../../support/settings.ts';
import { tempDir } from '../../support/engines.ts';

describe('settings', () => {
  it('starts from defaults when there is no file, or one that is not JSON or not valid settings', () => {
    const dir = tempDir();
    expect(confSettings(dir).all).toEqual({ theme: 'system', engine: { threads: null }, window: { bounds: { width: 1400, height: 900 }, maximized: false }, recent: [] });
    const broken = tempDir();
    writeFileSync(path.join(broken, 'settings.json'), '{ "theme": ');
    expect(confSettings(broken).all.theme).toBe('system');
    const wrong = tempDir();
    writeFileSync(path.join(wrong, 'settings.json'), JSON.stringify({ theme: 'purple', recent: ['/a.kanvas.json'] }));
    expect(confSettings(wrong).all).toMatchObject({ theme: 'system', recent: [] });
  });

  it('writes changes atomically and reads them back; the schema refuses bad values', async () => {
    const dir = tempDir();
    const store = confSettings(dir);
    await store.update({ theme: 'dark', window: { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true } });
    const again = confSettings(dir);
    expect(again.all.theme).toBe('dark');
    expect(again.all.window).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    await expect(store.update({ engine: { threads: 0 } })).rejects.toThrow(/threads/);
    expect(confSettings(dir).all.engine.threads).toBeNull();
  });

  it('migrates the settings file Kanvas 0.1.0 wrote itself (a `version` field, no conf bookkeeping)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ version: 1, theme: 'dark', engine: { threads: 3 }, window: { bounds: { width: 900, height: 600 }, maximized: false }, recent: ['/a.kanvas.json'] }));
    const store = confSettings(dir, '0.1.0');
    expect(store.all).toMatchObject({ theme: 'dark', engine: { threads: 3 }, recent: ['/a.kanvas.json'] });
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect('version' in written).toBe(false);
    expect(written.__internal__).toEqual({ migrations: { version: '0.1.0' } });
  });

  it('runs the migrations of the versions in between, in order, once', () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    // As an older app left it: a boolean `darkMode` and `recentFiles`, migrated up to 0.1.0.
    writeFileSync(file, JSON.stringify({ darkMode: true, recentFiles: ['/a.kanvas.json'], __internal__: { migrations: { version: '0.1.0' } } }));
    const ran: string[] = [];
    const migrations = {
      ...settingsMigrations,
      '0.2.0': (s: { store: Record<string, unknown> }) => {
        ran.push('0.2.0');
        const { darkMode, recentFiles, ...rest } = s.store;
        s.store = { ...rest, theme: darkMode ? 'dark' : 'light', recent: recentFiles };
      },
      '0.3.0': (s: { store: Record<string, unknown> }) => {
        ran.push('0.3.0');
        s.store = { ...s.store, engine: { threads: 2 } };
      },
      '0.4.0': () => void ran.push('0.4.0'),
    };
    const store = confSettings(dir, '0.3.0', migrations);
    expect(ran).toEqual(['0.2.0', '0.3.0']);
    expect(store.all).toMatchObject({ theme: 'dark', recent: ['/a.kanvas.json'], engine: { threads: 2 } });
    confSettings(dir, '0.3.0', migrations);
    expect(ran).toEqual(['0.2.0', '0.3.0']);
  });

  it('a store that cannot be created at all runs on defaults in memory', async () => {
    const store = openSettings(() => {
      throw new Error('EACCES');
    }, path.join(tempDir(), 'settings.json'));
    expect(store.all.theme).toBe('system');
    await store.update({ theme: 'dark' });
    expect(store.all.theme).toBe('dark');
  });

  it('a migration that fails leaves the file aside and starts with the defaults', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ theme: 'dark' }));
    const store = confSettings(dir, '0.2.0', { ...settingsMigrations, '0.2.0': () => { throw new Error('cannot read this'); } });
    expect(store.all.theme).toBe('system');
    const aside = readdirSync(dir).find((f) => f.startsWith('settings.json.unreadable-'));
    expect(aside).toBeDefined();
    expect(JSON.parse(readFileSync(path.join(dir, aside!), 'utf8')).theme).toBe('dark');
  });

  it('keeps recent files most-recent first, de-duplicated and bounded', async () => {
    let list: string[] = [];
    for (let i = 0; i < 14; i++) list = addRecent(list, `/p${i}.kanvas.json`);
    list = addRecent(list, '/p5.kanvas.json');
    expect(list).toHaveLength(10);
    expect(list[0]).toBe('/p5.kanvas.json');
    expect(list.filter((f) => f === '/p5.kanvas.json')).toHaveLength(1);
    expect(list[1]).toBe('/p13.kanvas.json');
    const store = confSettings(tempDir());
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
