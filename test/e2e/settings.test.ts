import { describe, expect, inject, it } from 'vitest';
import type { Settings } from '../../electron/channel-map.ts';
import { type AppPage, engineReady, useBrowser } from './support.ts';

const browser = useBrowser();

const theme = (a: AppPage) => a.page.evaluate(() => document.documentElement.dataset.theme);

describe('settings in the browser', () => {
  it('Ctrl+, opens them; the theme is kept across a reload; there is no thread setting for wasm', async () => {
    const app = await browser.open();
    const { page } = app;
    // Headless Chromium prefers light: "same as the system" shows light.
    expect(await theme(app)).toBe('light');
    await page.keyboard.press('Control+,');
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('system');
    expect(await dialog.getByRole('combobox', { name: 'Engine threads' }).count()).toBe(0);
    expect(await dialog.textContent()).toContain('runs on one thread');

    await dialog.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await expect.poll(() => theme(app)).toBe('dark');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    await page.reload();
    await engineReady(page);
    expect(await theme(app)).toBe('dark');
    // Above the start page, which the reload shows.
    await page.keyboard.press('Control+,');
    expect(await dialog.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('dark');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });
});

describe('settings in the desktop app', () => {
  it('come from the settings file; threads and theme are saved through IPC; without the native engine the status says so', async () => {
    const app = browser.adopt(await browser.context.newPage());
    const { page } = app;
    // The preload's API, faked in the page: settings kept in memory, every call recorded. No
    // engine port arrives, as when the native module fails to load.
    await page.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      const calls: unknown[][] = [];
      let settings: Settings = { theme: 'dark', engine: { threads: null } };
      let menu: ((command: string) => void)[] = [];
      w.desktopCalls = calls;
      w.sendMenu = (command: string) => menu.forEach((l) => l(command));
      const api: Record<string, unknown> = {
        getSettings: async () => settings,
        setSettings: async (patch: Partial<Settings>) => (settings = { ...settings, ...patch }),
        appInfo: async () => ({ version: '0.1.0', examplesDir: '/examples', engineProblem: null }),
        recentFiles: async () => [],
        setDocumentState: async () => undefined,
        onMenuCommand: (l: (command: string) => void) => {
          menu.push(l);
          return () => (menu = menu.filter((x) => x !== l));
        },
        onOpenFile: () => () => undefined,
      };
      w.kanvasDesktop = new Proxy(api, {
        get: (target, name: string) =>
          typeof target[name] === 'function'
            ? (...args: unknown[]) => {
                calls.push([name, ...args]);
                return (target[name] as (...a: unknown[]) => unknown)(...args);
              }
            : undefined,
      });
    });
    await page.goto(inject('appUrl'));
    await expect.poll(() => page.locator('[role=status]').textContent(), { timeout: 60_000 }).toBe(
      'the native engine did not connect; using the in-browser engine (duckdb-wasm)',
    );
    expect(await theme(app)).toBe('dark');

    // File › Settings… sends the "settings" command.
    await page.evaluate(() => (window as unknown as { sendMenu: (c: string) => void }).sendMenu('settings'));
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const threads = dialog.getByRole('combobox', { name: 'Engine threads' });
    expect(await threads.inputValue()).toBe('auto');
    await threads.selectOption('2');
    await dialog.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    await expect.poll(() => theme(app)).toBe('light');
    const calls = await page.evaluate(() => (window as unknown as { desktopCalls: unknown[][] }).desktopCalls.filter((c) => c[0] === 'setSettings'));
    expect(calls).toEqual([
      ['setSettings', { engine: { threads: 2 } }],
      ['setSettings', { theme: 'light' }],
    ]);
  });
});
