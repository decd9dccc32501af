import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelMethods, events } from '../../../electron/channel-map.ts';
import { buildDesktopApi } from '../../../electron/desktop-api.ts';
import { menuTemplate, type MenuItem } from '../../../electron/menu.ts';
import { appFile } from '../../../electron/serve-app.ts';
import { contentSecurityPolicy, isAppUrl, windowOptions } from '../../../electron/window-options.ts';

describe('window and page security', () => {
  it('builds BrowserWindow options with isolation, sandbox and no Node in the page', () => {
    const o = windowOptions('/app/preload.cjs', { width: 1200, height: 800 });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(o.show).toBe(false);
  });

  it('has a CSP that allows WebAssembly but not eval, and no remote origin', () => {
    const directives = Object.fromEntries(contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(contentSecurityPolicy).not.toMatch(/'unsafe-eval'/);
    expect(contentSecurityPolicy).not.toMatch(/https?:|\*/);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
  });

  it('trusts only the app origin as an IPC sender or navigation target', () => {
    expect(isAppUrl('app://kanvas/index.html')).toBe(true);
    for (const url of ['file:///etc/passwd', 'https://example.com/', 'app://other/index.html', 'app://kanvas.evil/', 'javascript:alert(1)', '', undefined]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });

  it('serves only files inside the built renderer folder', () => {
    const root = '/opt/kanvas/web';
    expect(appFile('app://kanvas/', root)).toEqual({ file: '/opt/kanvas/web/index.html', type: 'text/html; charset=utf-8' });
    expect(appFile('app://kanvas/assets/duckdb-eh.wasm', root)).toEqual({ file: '/opt/kanvas/web/assets/duckdb-eh.wasm', type: 'application/wasm' });
    // The URL parser folds dot segments first: this stays inside the folder (and is a 404).
    expect(appFile('app://kanvas/%2e%2e/%2e%2e/etc/passwd', root)?.file).toBe('/opt/kanvas/web/etc/passwd');
    expect(appFile('app://kanvas/..%2f..%2fetc%2fpasswd', root)).toBeNull();
  });
});

describe('preload API', () => {
  it('exposes one function per channel, each sending only its channel', async () => {
    const calls: unknown[][] = [];
    const paths = new Map<unknown, string>();
    const api = buildDesktopApi({ invoke: async (...args) => calls.push(args), on: () => undefined, removeListener: () => undefined }, (f) => paths.get(f) ?? '') as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    expect(Object.keys(api).sort()).toEqual([...Object.values(channelMethods), 'onMenuCommand', 'onOpenFile'].sort());
    const plain = Object.entries(channelMethods).filter(([c]) => c !== 'data:allow-dropped');
    for (const [, method] of plain) await api[method]!('arg');
    expect(calls).toEqual(plain.map(([c]) => [c, 'arg']));
    // A dropped file's path is read in the preload: the page passes the File, never a path.
    const dropped = { name: 'sales.csv' };
    paths.set(dropped, '/home/u/sales.csv');
    calls.length = 0;
    await api.allowDroppedFile!(dropped, '/home/u/project');
    expect(calls).toEqual([['data:allow-dropped', '/home/u/sales.csv', '/home/u/project']]);
    await expect(api.allowDroppedFile!({ name: 'made-up.csv' }, '/home/u/project')).rejects.toThrow('"made-up.csv" is not a file on disk');
    expect(calls).toHaveLength(1);
  });

  it('delivers main-process events to listeners without exposing the event object; unsubscribing removes them', () => {
    const listeners: Record<string, ((e: unknown, ...a: unknown[]) => void)[]> = {};
    const send = (channel: string, arg: unknown) => (listeners[channel] ?? []).forEach((l) => l({ sender: 'secret' }, arg));
    const api = buildDesktopApi({
      invoke: async () => undefined,
      on: (channel, l) => void (listeners[channel] ??= []).push(l),
      removeListener: (channel, l) => void (listeners[channel] = (listeners[channel] ?? []).filter((x) => x !== l)),
    }, () => '');
    const got: unknown[] = [];
    const offMenu = api.onMenuCommand((c) => got.push(c));
    api.onOpenFile((f) => got.push(f));
    send(events.menuCommand, 'run');
    send(events.openFile, { path: '/p.kanvas.json', text: '{}' });
    expect(got).toEqual(['run', { path: '/p.kanvas.json', text: '{}' }]);
    offMenu();
    send(events.menuCommand, 'save');
    expect(got).toHaveLength(2);
    expect(listeners[events.openFile]).toHaveLength(1);
  });

  it('the preload never hands ipcRenderer to the page', () => {
    const source = readFileSync(new URL('../../../electron/preload.ts', import.meta.url), 'utf8');
    expect(source).toContain("contextBridge.exposeInMainWorld('kanvasDesktop', buildDesktopApi(ipcRenderer, (file) => webUtils.getPathForFile(file)))");
    expect(source.match(/exposeInMainWorld/g)).toHaveLength(1);
  });

  it('no test imports electron (its binary is not available in CI)', () => {
    const dir = new URL('../../', import.meta.url).pathname;
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) => /from ['"]electron['"]/.test(readFileSync(path.join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('application menu', () => {
  it('has File, Edit, View, Run and Help with the commands and accelerators', () => {
    const menu = menuTemplate(['/work/a.kanvas.json'], false);
    expect(menu.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Run', 'Help']);
    const items = (label: string) => menu.find((m) => m.label === label)!.submenu!.filter((i: MenuItem) => i.label);
    expect(items('File').map((i) => [i.label, i.accelerator ?? null])).toEqual([
      ['New', 'CmdOrCtrl+Alt+N'],
      ['Open…', 'CmdOrCtrl+O'],
      ['Open Recent', null],
      ['Save', 'CmdOrCtrl+S'],
      ['Save As…', 'CmdOrCtrl+Shift+S'],
      ['Export Code…', 'CmdOrCtrl+E'],
      ['Settings…', 'CmdOrCtrl+,'],
    ]);
    expect(items('File')[2]!.submenu).toEqual([{ label: '/work/a.kanvas.json', command: 'openRecent', path: '/work/a.kanvas.json' }]);
    expect(items('Run').map((i) => i.command)).toEqual(['run', 'runToHere', 'preview', 'cancel']);
    const mac = menuTemplate([], true);
    expect(mac[0]!.label).toBe('Kanvas');
    // On macOS, Settings… lives in the application menu, not in File.
    expect(mac[0]!.submenu!.find((i) => i.command === 'settings')).toMatchObject({ accelerator: 'CmdOrCtrl+,' });
    expect(mac[1]!.submenu!.some((i) => i.command === 'settings')).toBe(false);
  });
});
