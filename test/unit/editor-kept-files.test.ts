import { describe, expect, it } from 'vitest';
import { overLimit, readIndex } from '../../renderer/app/kept-index.ts';
import { readRecentDocs, rememberDoc } from '../../renderer/app/recent-docs.ts';

function memoryStorage(items: Record<string, string> = {}) {
  return { items, getItem: (k: string) => items[k] ?? null, setItem: (k: string, v: string) => void (items[k] = v) };
}

describe('kept data files (browser)', () => {
  it('drop the least recently used beyond the size limit, and any file larger than it', () => {
    const entries = [
      { path: '/files/a.csv', size: 40, at: 1 },
      { path: '/files/b.csv', size: 30, at: 3 },
      { path: '/files/c.csv', size: 50, at: 2 },
      { path: '/files/huge.csv', size: 500, at: 4 },
    ];
    expect(overLimit(entries, 100)).toEqual(['/files/huge.csv', '/files/a.csv']);
    expect(overLimit(entries, 1000)).toEqual([]);
  });

  it('read an index that is missing or damaged as empty', () => {
    expect(readIndex(memoryStorage())).toEqual([]);
    expect(readIndex(memoryStorage({ 'kanvas.kept-files': '{' }))).toEqual([]);
    expect(readIndex(memoryStorage({ 'kanvas.kept-files': JSON.stringify([{ path: '/files/a.csv', size: 1, at: 2 }, { path: 3 }]) }))).toEqual([{ path: '/files/a.csv', size: 1, at: 2 }]);
  });
});

describe('recent pipelines (browser)', () => {
  it('newest first, one entry per name, at most eight; very large documents are not kept', () => {
    const storage = memoryStorage();
    for (let i = 0; i < 10; i++) rememberDoc(storage, `p${i}.kanvas.json`, `{"n":${i}}`, i);
    rememberDoc(storage, 'p5.kanvas.json', '{"n":"again"}', 99);
    const list = readRecentDocs(storage);
    expect(list.map((d) => d.name)).toEqual(['p5.kanvas.json', 'p9.kanvas.json', 'p8.kanvas.json', 'p7.kanvas.json', 'p6.kanvas.json', 'p4.kanvas.json', 'p3.kanvas.json', 'p2.kanvas.json']);
    expect(list[0]).toEqual({ name: 'p5.kanvas.json', text: '{"n":"again"}', at: 99 });
    rememberDoc(storage, 'big.kanvas.json', 'x'.repeat(600 * 1024), 100);
    expect(readRecentDocs(storage).map((d) => d.name)).not.toContain('big.kanvas.json');
    expect(readRecentDocs(memoryStorage({ 'kanvas.recent-docs': 'nonsense' }))).toEqual([]);
  });
});
