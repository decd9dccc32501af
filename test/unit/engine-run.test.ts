import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, ProgressEvent } from '../../engine/index.ts';
import { engineKinds, fixtureDir, openEngine, pipeline, resolve } from '../support/engines.ts';

const customers = `id,plan,tenure,charges
1,basic,3,20.5
2,pro,10,55
3,basic,,30
4,pro,7,60.25
5,trial,1,0
6,pro,12,70
`;

/** src → active (filter) → per_month (derive) → by_plan (aggregate) → out (sink.csv); src → prof. */
const churnDoc = (where = 'tenure > 2', sinkPath = 'out/by_plan.csv') =>
  pipeline(
    [
      { id: 'src', kind: 'source.csv', params: { path: 'customers.csv' } },
      { id: 'active', kind: 'transform.filter', params: { where } },
      { id: 'per_month', kind: 'transform.derive', params: { columns: [{ name: 'per_month', expr: 'charges / tenure' }] } },
      { id: 'by_plan', kind: 'transform.aggregate', params: { groupBy: ['plan'], aggregates: [{ fn: 'count' }, { column: 'per_month', fn: 'mean' }] } },
      { id: 'out', kind: 'sink.csv', params: { path: sinkPath } },
      { id: 'prof', kind: 'analysis.profile', params: {} },
    ],
    ['src->active', 'active->per_month', 'per_month->by_plan', 'by_plan->out', 'src->prof'],
  );

describe.each(engineKinds)('engine runs (%s)', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(kind);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('fuses the filter → derive chain into the aggregate and writes the sink', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    const record = await engine.run(resolve(churnDoc()), { baseDir: dir, countFused: true });
    expect(record.status).toBe('ok');
    expect(record.nodes.active).toMatchObject({ status: 'done', fusedInto: 'by_plan' });
    expect(record.nodes.per_month).toMatchObject({ status: 'done', fusedInto: 'by_plan' });
    // Fused nodes are counted after their chain ran: tenure > 2 keeps customers 1, 2, 4 and 6.
    expect(record.nodes.active!.outputs!.out!.rows).toBe(4);
    expect(record.nodes.per_month!.outputs!.out).toMatchObject({ rows: 4, columns: expect.arrayContaining([expect.objectContaining({ name: 'per_month' })]) });
    expect(record.nodes.by_plan!.outputs!.out!.rows).toBe(2);
    expect(record.nodes.src!.outputs!.out!.rows).toBe(6); // a branch: stored once, read twice
    expect(record.nodes.out!.files).toEqual([{ path: path.join(dir, 'out/by_plan.csv'), rows: 2 }]);
    expect(readFileSync(path.join(dir, 'out/by_plan.csv'), 'utf8')).toBe(
      'plan,count,mean_per_month\nbasic,1,6.833333333333333\npro,3,6.646825396825396\n',
    );
  });

  it('counts fused nodes only when asked to', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    const record = await engine.run(resolve(churnDoc('tenure > 9')), { baseDir: dir });
    expect(record.nodes.active!.outputs).toBeUndefined();
    const sinkChain = pipeline(
      [
        { id: 'src', kind: 'source.csv', params: { path: 'customers.csv' } },
        { id: 'pro', kind: 'transform.filter', params: { where: "plan = 'pro'" } },
        { id: 'out', kind: 'sink.csv', params: { path: 'pro.csv' } },
      ],
      ['src->pro', 'pro->out'],
    );
    const chain = await engine.run(resolve(sinkChain), { baseDir: dir, countFused: true });
    expect(chain.nodes.src).toMatchObject({ fusedInto: 'out', outputs: { out: { rows: 6 } } });
    expect(chain.nodes.pro).toMatchObject({ fusedInto: 'out', outputs: { out: { rows: 3 } } });
    expect(chain.nodes.out!.files![0]!.rows).toBe(3);
  });

  it('does no work on an unchanged re-run and says why each node re-runs after a change', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    await engine.run(resolve(churnDoc()), { baseDir: dir, countFused: true });
    const again = await engine.run(resolve(churnDoc()), { baseDir: dir });
    expect(Object.values(again.nodes).map((n) => n.status)).toEqual(Array(6).fill('cached'));
    expect(again.nodes.active!.outputs!.out!.rows).toBe(4);

    const edited = await engine.run(resolve(churnDoc('tenure > 5')), { baseDir: dir });
    const status = Object.fromEntries(Object.entries(edited.nodes).map(([id, n]) => [id, n.status]));
    expect(status).toEqual({ src: 'cached', prof: 'cached', active: 'done', per_month: 'done', by_plan: 'done', out: 'done' });
    expect(edited.nodes.active!.cache.reason).toBe('param "where" changed');
    expect(edited.nodes.per_month!.cache.reason).toBe('input "in" changed (upstream "active")');
    expect(edited.nodes.out!.cache.reason).toBe('input "in" changed (upstream "by_plan")');
    expect(readFileSync(path.join(dir, 'out/by_plan.csv'), 'utf8')).toBe('plan,count,mean_per_month\npro,3,6.646825396825396\n');
  });

  it('re-reads a source whose file changed on disk, and re-writes a sink whose file was removed', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    await engine.run(resolve(churnDoc()), { baseDir: dir });
    const file = path.join(dir, 'customers.csv');
    writeFileSync(file, `${customers}7,basic,24,48\n`);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const rerun = await engine.run(resolve(churnDoc()), { baseDir: dir });
    expect(rerun.nodes.src!.status).toBe('done');
    expect(rerun.nodes.src!.cache.reason).toBe(`file ${file} changed`);
    expect(rerun.nodes.src!.outputs!.out!.rows).toBe(7);

    const sink = path.join(dir, 'out/by_plan.csv');
    writeFileSync(sink, 'edited by hand\n');
    const third = await engine.run(resolve(churnDoc()), { baseDir: dir });
    expect(third.nodes.out!.status).toBe('done');
    expect(third.nodes.by_plan!.status).toBe('cached');
    expect(readFileSync(sink, 'utf8')).toContain('basic,2,');
  });

  it('runs only what a target needs ("run to here")', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    const record = await engine.run(resolve(churnDoc()), { baseDir: dir, targets: ['per_month'] });
    expect(Object.keys(record.nodes).sort()).toEqual(['active', 'per_month', 'src']);
    expect(record.nodes.per_month).toMatchObject({ status: 'done', outputs: { out: { rows: 4 } } });
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('reports progress for every node, ending at the node count', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    const events: ProgressEvent[] = [];
    await engine.run(resolve(churnDoc()), { baseDir: dir, onProgress: (e) => events.push(e) });
    const finished = events.filter((e) => e.record);
    expect(new Set(finished.map((e) => e.node))).toEqual(new Set(['src', 'active', 'per_month', 'by_plan', 'out', 'prof']));
    expect(finished.at(-1)!.nodes).toEqual({ done: 6, total: 6 });
    expect(events.filter((e) => e.node === 'prof' && e.phase === 'step').map((e) => e.step!.done)).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives a SQL error to the node that has it, and skips what depends on it', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    const record = await engine.run(resolve(churnDoc('tenur > 2')), { baseDir: dir });
    expect(record.status).toBe('error');
    expect(record.nodes.active!.status).toBe('error');
    expect(record.nodes.active!.error).toMatchObject({ node: 'active', param: 'where', message: 'Binder Error: column "tenur" not found — did you mean "tenure"?' });
    expect(record.nodes.by_plan!.status).toBe('skipped');
    expect(record.nodes.out!.status).toBe('skipped');
    expect(record.nodes.prof!.status).toBe('done');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('gives a run-time error inside a fused chain to the node that causes it', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    const doc = pipeline(
      [
        { id: 'src', kind: 'source.csv', params: { path: 'customers.csv' } },
        { id: 'bad', kind: 'transform.derive', params: { columns: [{ name: 'n', expr: "CAST(plan AS INTEGER)" }] } },
        { id: 'keep', kind: 'transform.filter', params: { where: 'id > 0' } },
        { id: 'out', kind: 'sink.csv', params: { path: 'out.csv' } },
      ],
      ['src->bad', 'bad->keep', 'keep->out'],
    );
    const record = await engine.run(resolve(doc), { baseDir: dir });
    expect(record.nodes.bad!.status).toBe('error');
    expect(record.nodes.bad!.error!.message).toMatch(/^Conversion Error: Could not convert string 'basic' to INT32/);
    expect(record.nodes.out!.status).toBe('skipped');
    expect(readdirSync(dir).sort()).toEqual(['customers.csv']);
  });

  it('checks (binds) every SQL node without reading data or writing files', async () => {
    const dir = fixtureDir({ 'customers.csv': customers });
    const bad = pipeline(
      [
        { id: 'src', kind: 'source.csv', params: { path: 'customers.csv' } },
        { id: 'pick', kind: 'transform.select', params: { columns: ['id', 'tenrue'] } },
        { id: 'out', kind: 'sink.csv', params: { path: 'out.csv' } },
      ],
      ['src->pick', 'pick->out'],
    );
    const record = await engine.check(resolve(bad), { baseDir: dir });
    expect(record.problems).toEqual([{ code: 'param', node: 'pick', param: 'columns[1]', message: 'column "tenrue" not found — did you mean "tenure"?' }]);
    const good = await engine.check(resolve(churnDoc()), { baseDir: dir });
    expect(good.problems).toEqual([]);
    expect(good.nodes.by_plan!.status).toBe('done');
    expect(good.nodes.out!.status).toBe('skipped');
    expect(readdirSync(dir)).toEqual(['customers.csv']);
  });
});

describe('cancellation', () => {
  it('interrupts a long native query within a second and leaves no sink file', async () => {
    const engine = await openEngine('native');
    const dir = fixtureDir({});
    const doc = pipeline(
      [
        { id: 'big', kind: 'source.sql', params: { query: 'SELECT sum(a.range * b.range) AS s FROM range(200000) a, range(200000) b' } },
        { id: 'out', kind: 'sink.csv', params: { path: 'out.csv' } },
      ],
      ['big->out'],
    );
    const controller = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 300);
    const record = await engine.run(resolve(doc), { baseDir: dir, signal: controller.signal });
    const stoppedAfter = Date.now() - abortedAt;
    expect(record.status).toBe('cancelled');
    expect(record.nodes.out!.status).toBe('cancelled');
    expect(stoppedAfter).toBeLessThan(1000);
    expect(readdirSync(dir)).toEqual([]);
    await engine.close();
  });

  it.each(engineKinds)('stops between nodes on %s and marks the rest cancelled', async (kind) => {
    const engine = await openEngine(kind);
    const dir = fixtureDir({ 'customers.csv': customers });
    const controller = new AbortController();
    const record = await engine.run(resolve(churnDoc()), {
      baseDir: dir,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.node === 'src' && e.phase === 'done') controller.abort();
      },
    });
    expect(record.status).toBe('cancelled');
    expect(record.nodes.src!.status).toBe('done');
    expect(record.nodes.by_plan!.status).toBe('cancelled');
    expect(record.nodes.out!.status).toBe('cancelled');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    await engine.close();
  });
});
