import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPipeline, loadPipeline, parsePipeline } from '../../engine/index.ts';
import { migrateDocument } from '../../engine/document/migrations.ts';
import { writeFileAtomic } from '../../engine/node/atomic-write.ts';
import { pipeline } from '../support/engines.ts';

const doc = {
  ...pipeline(
    [
      { id: 'customers', kind: 'source.csv', params: { path: 'data/customers.csv', header: true } },
      { id: 'active', kind: 'transform.filter', params: { where: 'tenure > 3' } },
    ],
    ['customers->active'],
    'churn model',
  ),
  layout: { customers: { x: 0, y: 0 }, active: { x: 240, y: 0 } },
};

describe('pipeline document', () => {
  it('formats byte-stably: a round trip gives the same text', () => {
    const text = formatPipeline(doc);
    const parsed = parsePipeline(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(formatPipeline(parsed.doc)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('keeps each edge and each layout entry on one line, so a move changes one line', () => {
    const text = formatPipeline(doc);
    expect(text).toContain('    { "from": "customers", "to": "active" }');
    expect(text).toContain('    "active": { "x": 240, "y": 0 }');
    const moved = formatPipeline({ ...doc, layout: { ...doc.layout, active: { x: 300, y: 40 } } });
    const before = text.split('\n');
    const after = moved.split('\n');
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(['    "active": { "x": 300, "y": 40 }']);
  });

  it('sorts params keys and writes them inline when short', () => {
    const text = formatPipeline(doc);
    expect(text).toContain('"params": { "header": true, "path": "data/customers.csv" }');
  });

  it('reports malformed JSON with line and column', () => {
    const result = parsePipeline('{\n  "format": "kanvas.pipeline",\n  "version": 1\n  "name": "x"\n}', 'p.kanvas.json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code: 'json', file: 'p.kanvas.json', line: 4, column: 3 });
  });

  it('names the node and the line of a schema error', () => {
    const text = formatPipeline(doc).replace('"id": "active"', '"id": "active", "colour": "red"');
    const result = parsePipeline(text, 'p.kanvas.json');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toEqual([
        { code: 'schema', file: 'p.kanvas.json', line: 12, column: 23, node: 'active', message: 'unknown field "colour"' },
      ]);
    }
  });

  it('refuses a newer format version with a clear message', () => {
    const result = parsePipeline(JSON.stringify({ ...doc, version: 7 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toBe('this file is format version 7, written by a newer Kanvas; this one reads up to version 1');
  });

  it('migrates older documents forward step by step', () => {
    const steps = {
      1: (d: Record<string, unknown>) => ({ ...d, nodes: (d.nodes as { id: string }[]).map((n) => ({ ...n, title: n.id })) }),
      2: (d: Record<string, unknown>) => ({ ...d, name: `${d.name} (migrated)` }),
    };
    const out = migrateDocument({ version: 1, name: 'p', nodes: [{ id: 'a' }] }, steps, 3);
    expect(out).toEqual({ version: 3, name: 'p (migrated)', nodes: [{ id: 'a', title: 'a' }] });
    expect(() => migrateDocument({ version: 1 }, {}, 2)).toThrow('no migration from format version 1');
  });

  it('fills param defaults when validating, and the defaults do not change the file', () => {
    const loaded = loadPipeline(formatPipeline(doc));
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      expect(loaded.pipeline.nodes.get('customers')!.params).toEqual({ path: 'data/customers.csv', header: true, encoding: 'utf-8' });
      expect(formatPipeline(loaded.pipeline.doc)).toBe(formatPipeline(doc));
    }
  });

  it('saves atomically: a write that fails half-way leaves the old file whole and no temp file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kanvas-save-'));
    const file = path.join(dir, 'p.kanvas.json');
    writeFileSync(file, 'old contents\n');
    const failingFs = {
      ...fs,
      open: async (p: string, flags: string) => {
        const handle = await fs.open(p, flags);
        return Object.assign(Object.create(handle), {
          writeFile: async (data: string) => {
            await handle.writeFile(data.slice(0, 20));
            throw new Error('disk full');
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        });
      },
    } as typeof fs;
    await expect(writeFileAtomic(file, formatPipeline(doc), failingFs)).rejects.toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('old contents\n');
    expect(readdirSync(dir)).toEqual(['p.kanvas.json']);

    await writeFileAtomic(file, formatPipeline(doc));
    expect(readFileSync(file, 'utf8')).toBe(formatPipeline(doc));
    expect(readdirSync(dir)).toEqual(['p.kanvas.json']);
  });
});
