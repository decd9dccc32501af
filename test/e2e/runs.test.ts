import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../engine/index.ts';
import { type AppPage, connect, docOf, drag, field, handle, node, openPipeline, repoRoot, runAndWait, selectNode, typeCode, useBrowser, waitForDoc } from './support.ts';

const customersCsv = path.join(repoRoot, 'examples/churn/customers.csv');

const browser = useBrowser();

const statuses = (page: AppPage['page']) =>
  page.locator('.knode').evaluateAll((nodes) => Object.fromEntries(nodes.map((n) => [n.getAttribute('data-node-id'), n.getAttribute('data-status')])));

describe('run to here', () => {
  const chain: PipelineDocument = {
    format: 'kanvas.pipeline',
    version: 1,
    name: 'chain',
    nodes: [
      { id: 'customers', kind: 'source.csv', params: { path: 'customers.csv' } },
      { id: 'filter', kind: 'transform.filter', params: { where: 'tenure_months > 12' } },
      { id: 'aggregate', kind: 'transform.aggregate', params: { groupBy: ['plan'], aggregates: [{ fn: 'count' }] } },
      { id: 'top', kind: 'transform.limit', params: { n: 2 } },
    ],
    edges: [
      { from: 'customers', to: 'filter' },
      { from: 'filter', to: 'aggregate' },
      { from: 'aggregate', to: 'top' },
    ],
    layout: { customers: { x: 0, y: 0 }, filter: { x: 240, y: 0 }, aggregate: { x: 480, y: 0 }, top: { x: 720, y: 0 } },
  };

  it('re-runs only what changed: upstream results come from the cache', async () => {
    const app = await browser.open();
    const { page } = app;
    await openPipeline(page, chain, [customersCsv]);
    expect(await statuses(page)).toEqual({ customers: 'stale', filter: 'stale', aggregate: 'stale', top: 'stale' });

    const first = await runAndWait(page, () => page.getByRole('button', { name: '▶ Run' }).click());
    expect(first.at(-1)!.text).toMatch(/^run ok in \d+ ms — 4 done$/);
    expect(await statuses(page)).toEqual({ customers: 'done', filter: 'done', aggregate: 'done', top: 'done' });
    expect(await node(page, 'top').locator('.rows').textContent()).toBe('2 rows');

    // A new param on the last node: only it is stale.
    await selectNode(page, 'top');
    await field(page, 'n').locator('input').fill('1');
    await waitForDoc(page, (d) => d.nodes.find((n) => n.id === 'top')!.params.n === 1, 'n = 1');
    expect(await statuses(page)).toEqual({ customers: 'done', filter: 'done', aggregate: 'done', top: 'stale' });

    const second = await runAndWait(page, () => page.getByRole('button', { name: 'Run to here' }).click());
    expect(second[0]!.text).toBe('run to "top"');
    expect(second.at(-1)!.text).toMatch(/^run ok in \d+ ms — 3 cached, 1 done$/);
    expect(await statuses(page)).toEqual({ customers: 'cached', filter: 'cached', aggregate: 'cached', top: 'done' });
    expect(await node(page, 'top').locator('.rows').textContent()).toBe('1 row');

    // A change in the middle, run to the middle (Shift+Enter from the field): what is below
    // the target does not run and stays stale.
    await selectNode(page, 'filter');
    await typeCode(page, 'where', 'tenure_months > 24');
    await waitForDoc(page, (d) => d.nodes.find((n) => n.id === 'filter')!.params.where === 'tenure_months > 24', 'new condition');
    expect(await statuses(page)).toEqual({ customers: 'cached', filter: 'stale', aggregate: 'stale', top: 'stale' });
    await selectNode(page, 'aggregate');
    const third = await runAndWait(page, () => page.keyboard.press('Shift+Enter'));
    expect(third[0]!.text).toBe('run to "aggregate"');
    expect(third.filter((l) => l.level === 'error')).toEqual([]);
    const after = await statuses(page);
    expect(after).toMatchObject({ filter: 'done', aggregate: 'done', top: 'stale' });
    expect(['done', 'cached']).toContain(after.customers);
  });
});

describe('connecting ports', () => {
  const profiled: PipelineDocument = {
    format: 'kanvas.pipeline',
    version: 1,
    name: 'profiled',
    nodes: [
      { id: 'customers', kind: 'source.csv', params: { path: 'customers.csv' } },
      { id: 'profile', kind: 'analysis.profile', params: {} },
      { id: 'filter', kind: 'transform.filter', params: { where: 'rows > 0' } },
    ],
    edges: [{ from: 'customers', to: 'profile' }],
    layout: { customers: { x: 0, y: 0 }, profile: { x: 260, y: 0 }, filter: { x: 540, y: 120 } },
  };

  it('refuses an incompatible connection and says why; accepts a compatible one', async () => {
    const app = await browser.open();
    const { page } = app;
    await openPipeline(page, profiled, [customersCsv]);
    const hint = page.locator('.canvas [role=alert]');

    // A report cannot feed a table input: the reason shows while hovering and after the drop.
    await drag(page, handle(page, 'profile', 'source', 'report'), handle(page, 'filter', 'target', 'in'), { release: false });
    await expect.poll(() => hint.textContent()).toBe("Can't connect: a report output cannot feed a table input");
    await page.mouse.up();
    expect(await hint.textContent()).toBe("Can't connect: a report output cannot feed a table input");
    expect((await docOf(page)).edges).toEqual(profiled.edges);

    // Statistics are a small table: that edge is made, with the port named.
    await connect(page, ['profile', 'stats'], ['filter', 'in']);
    await waitForDoc(page, (d) => d.edges.length === 2, 'the stats edge');
    expect((await docOf(page)).edges[1]).toEqual({ from: 'profile', fromPort: 'stats', to: 'filter' });
    await expect.poll(() => hint.count()).toBe(0);

    // The filter's input is taken now: a second edge into it is refused too.
    await connect(page, ['customers', 'out'], ['filter', 'in']);
    await expect.poll(() => hint.textContent()).toBe('Can\'t connect: input "in" of "filter" is already connected from "profile"');
    expect((await docOf(page)).edges).toHaveLength(2);
  });
});
