import { describe, expect, it } from 'vitest';
import { readBrowserSettings, resolveTheme, writeBrowserSettings } from '../../renderer/app/settings.ts';

function memoryStorage(items: Record<string, string> = {}) {
  return {
    items,
    getItem: (k: string) => items[k] ?? null,
    setItem: (k: string, v: string) => void (items[k] = v),
  };
}

describe('browser settings', () => {
  it('defaults to the system theme and automatic threads', () => {
    expect(readBrowserSettings(memoryStorage())).toEqual({ theme: 'system', engine: { threads: null } });
  });

  it('carries over the theme of the first version and ignores what it cannot read', () => {
    expect(readBrowserSettings(memoryStorage({ 'kanvas.theme': 'dark' })).theme).toBe('dark');
    expect(readBrowserSettings(memoryStorage({ 'kanvas.settings': '{ "theme": ' })).theme).toBe('system');
    expect(readBrowserSettings(memoryStorage({ 'kanvas.settings': JSON.stringify({ theme: 'purple', engine: { threads: 4 } }) }))).toEqual({ theme: 'system', engine: { threads: 4 } });
    expect(readBrowserSettings(memoryStorage({ 'kanvas.settings': JSON.stringify({ theme: 'light', engine: { threads: -1 } }) }))).toEqual({ theme: 'light', engine: { threads: null } });
  });

  it('writes a change and keeps the rest', () => {
    const storage = memoryStorage();
    writeBrowserSettings(storage, { engine: { threads: 2 } });
    expect(writeBrowserSettings(storage, { theme: 'dark' })).toEqual({ theme: 'dark', engine: { threads: 2 } });
    expect(JSON.parse(storage.items['kanvas.settings']!)).toEqual({ theme: 'dark', engine: { threads: 2 } });
  });

  it('resolves the system theme from the preference', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
  });
});
