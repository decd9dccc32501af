import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, readRows } from '../../engine/index.ts';
import { DiskStore } from '../../engine/node/disk-store.ts';
import { nodeHostFiles } from '../../engine/node/host-files.ts';
import { openDatabase, type EngineKind } from '../../engine/node/open-database.ts';
import { engineKinds, fixtureDir, pipeline, resolve } from '../support/engines.ts';

const doc = pipeline(
  [
    { id: 'src', kind: 'source.csv', params: { path: 'sales.csv' } },
    { id: 'by_region', kind: 'transform.aggregate', params: { groupBy: ['region'], aggregates: [{ column: 'amount', fn: 'sum', as: 'total' }] } },
    { id: 'top', kind: 'transform.sort', params: { by: [{ column: 'total', descending: true }] } },
    { id: 'out', kind: 'sink.csv', params: { path: 'out/top.csv' } },
  ],
  ['src->by_region', 'by_region->top', 'top->out'],
);
const sales = 'region,amount\nnorth,10\nsouth,5\nnorth,7\neast,1\n';

/** A new engine on a new database, as a new CLI process would have. */
async function freshEngine(kind: EngineKind, dir: string, maxBytes?: number) {
  return new Engine({ db: await openDatabase(kind), files: nodeHostFiles, store: DiskStore.forPipeline(path.join(dir, 'p.kanvas.json'), maxBytes) });
}

describe.each(engineKinds)('output cache on disk (%s)', (kind) => {
  it('lets a new process re-run with no work, reading stored tables back', async () => {
    const dir = fixtureDir({ 'sales.csv': sales });
    const first = await freshEngine(kind, dir);
    expect((await first.run(resolve(doc), { baseDir: dir })).status).toBe('ok');
    await first.close();

    const second = await freshEngine(kind, dir);
    const p = resolve(doc);
    const record = await second.run(p, { baseDir: dir });
    expect(Object.values(record.nodes).map((n) => n.status)).toEqual(['cached', 'cached', 'cached', 'cached']);
    const stored = second.output(p, 'by_region', 'out');
    expect(stored?.type).toBe('table');
    if (stored?.type === 'table') {
      expect((await readRows(second.db, `SELECT * FROM ${stored.relation} ORDER BY region`)).rows).toEqual([
        ['east', 1],
        ['north', 17],
        ['south', 5],
      ]);
    }
    // A changed param in a new process: the reason comes from the stored fingerprints.
    const changed = pipeline(
      doc.nodes.map((n) => (n.id === 'top' ? { ...n, params: { by: [{ column: 'total' }] } } : n)),
      ['src->by_region', 'by_region->top', 'top->out'],
    );
    const third = await second.run(resolve(changed), { baseDir: dir });
    expect(third.nodes.by_region!.status).toBe('cached');
    expect(third.nodes.top!.cache.reason).toBe('param "by" changed');
    expect(readFileSync(path.join(dir, 'out/top.csv'), 'utf8')).toBe('region,total\neast,1\nsouth,5\nnorth,17\n');
    await second.close();
    expect(readFileSync(path.join(dir, '.kanvas/.gitignore'), 'utf8')).toBe('*\n');
  });
});

describe('output cache on disk', () => {
  it('treats a corrupt index as an empty cache', async () => {
    const dir = fixtureDir({ 'sales.csv': sales });
    const first = await freshEngine('native', dir);
    await first.run(resolve(doc), { baseDir: dir });
    await first.close();
    writeFileSync(path.join(dir, '.kanvas/cache/p/index.json'), '{ not json');
    const second = await freshEngine('native', dir);
    const record = await second.run(resolve(doc), { baseDir: dir });
    expect(record.status).toBe('ok');
    expect(record.nodes.by_region!.status).toBe('done');
    expect(record.nodes.by_region!.cache.reason).toBe('first run');
    await second.close();
  });

  it('evicts the least recently used outputs beyond its size budget, keeping the latest run', async () => {
    const dir = fixtureDir({ 'sales.csv': sales });
    const engine = await freshEngine('native', dir, 1);
    await engine.run(resolve(doc), { baseDir: dir });
    const files = () => readdirSync(path.join(dir, '.kanvas/cache/p')).filter((f) => f.endsWith('.parquet'));
    const afterFirst = files();
    expect(afterFirst).toHaveLength(1); // by_region (src and top are fused; the sink stores no table)
    const changed = pipeline(
      doc.nodes.map((n) => (n.id === 'by_region' ? { ...n, params: { groupBy: ['region'], aggregates: [{ fn: 'count' }] } } : n)),
      ['src->by_region', 'by_region->top', 'top->out'],
    );
    await engine.run(resolve(changed), { baseDir: dir });
    expect(files()).toHaveLength(1);
    expect(files()).not.toEqual(afterFirst);
    expect(existsSync(path.join(dir, '.kanvas/cache/p/index.json'))).toBe(true);
    await engine.close();
  });
});
