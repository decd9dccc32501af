import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../engine/index.ts';
import { type AppPage, canvasPoint, clickCanvas, connect, docOf, dragFromPalette, dropFiles, field, node, openPipeline, repoRoot, runAndWait, screenshot, selectNode, typeCode, useBrowser, waitForDoc } from './support.ts';

const customersCsv = path.join(repoRoot, 'examples/churn/customers.csv');

const browser = useBrowser();

const params = (doc: PipelineDocument, id: string) => doc.nodes.find((n) => n.id === id)?.params;

/**
 * The pipeline of the first tests, made as a user would: customers.csv → filter → aggregate
 * (customers with more than a year of tenure, counted per plan with their mean charge).
 */
async function buildPipeline({ page }: AppPage): Promise<void> {
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await expect.poll(() => page.getByRole('dialog', { name: 'Start' }).count()).toBe(0);

  await dropFiles(page, [customersCsv], await canvasPoint(page, 0.05, 0.3));
  await waitForDoc(page, (d) => d.nodes.length === 1, 'the dropped CSV is a source node');
  await dragFromPalette(page, 'transform.filter', await canvasPoint(page, 0.37, 0.3));
  await dragFromPalette(page, 'transform.aggregate', await canvasPoint(page, 0.69, 0.3));
  const added = await waitForDoc(page, (d) => d.nodes.length === 3, 'three nodes');
  expect(added.nodes.map((n) => [n.id, n.kind, n.params])).toEqual([
    ['csv', 'source.csv', { path: 'customers.csv' }],
    ['filter', 'transform.filter', {}],
    ['aggregate', 'transform.aggregate', {}],
  ]);

  await connect(page, ['csv', 'out'], ['filter', 'in']);
  await connect(page, ['filter', 'out'], ['aggregate', 'in']);
  const wired = await waitForDoc(page, (d) => d.edges.length === 2, 'two edges');
  expect(wired.edges).toEqual([
    { from: 'csv', to: 'filter' },
    { from: 'filter', to: 'aggregate' },
  ]);

  await selectNode(page, 'filter');
  await typeCode(page, 'where', 'tenure_months > 12');
  await waitForDoc(page, (d) => params(d, 'filter')?.where === 'tenure_months > 12', 'the filter condition is set');

  await selectNode(page, 'aggregate');
  const groupBy = field(page, 'groupBy').locator('input');
  await groupBy.fill('plan');
  await groupBy.press('Enter');
  await page.getByRole('button', { name: '+ add aggregate' }).click();
  await page.getByRole('button', { name: '+ add aggregate' }).click();
  await field(page, 'aggregates[0].as').locator('input').fill('customers');
  await field(page, 'aggregates[1].fn').locator('select').selectOption('mean');
  await field(page, 'aggregates[1].column').locator('input').fill('monthly_charges');
  await field(page, 'aggregates[1].as').locator('input').fill('mean_charge');
  await waitForDoc(
    page,
    (d) =>
      JSON.stringify(params(d, 'aggregate')) ===
      JSON.stringify({ groupBy: ['plan'], aggregates: [{ fn: 'count', as: 'customers' }, { fn: 'mean', column: 'monthly_charges', as: 'mean_charge' }] }),
    'the aggregate params are set',
  );
}

/** What the pipeline must compute, from the CSV itself (it has no quoted fields). */
function expected() {
  const [head, ...lines] = readFileSync(customersCsv, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
  const kept = rows.filter((r) => Number(r.tenure_months) > 12);
  const plans = [...new Set(kept.map((r) => r.plan!))].sort();
  const groups = plans.map((plan) => {
    const charges = kept.filter((r) => r.plan === plan).map((r) => Number(r.monthly_charges));
    return { plan, customers: charges.length, mean: charges.reduce((a, b) => a + b, 0) / charges.length };
  });
  return { total: rows.length, kept: kept.length, columns: cols.length, groups };
}

describe('building a pipeline from scratch', () => {
  it('drops a CSV, adds and wires nodes from the palette, sets params in forms, runs, and previews', async () => {
    const want = expected();
    const app = await browser.open();
    const { page } = app;
    await buildPipeline(app);
    await screenshot(page, 'inspector-form');

    const lines = await runAndWait(page, () => page.keyboard.press('Control+Enter'));
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.at(-1)!.text).toMatch(/^run ok in \d+ ms — 3 done$/);
    for (const id of ['csv', 'filter', 'aggregate']) await expect.poll(() => node(page, id).getAttribute('data-status')).toBe('done');
    // Every node shows its row count, the source and the filter too, though they ran inside
    // the aggregate's query (their state says so on hover).
    expect(await node(page, 'aggregate').locator('.rows').textContent()).toBe(`${want.groups.length} rows`);
    expect(await node(page, 'filter').locator('.rows').textContent()).toBe(`${want.kept.toLocaleString('en-US')} rows`);
    expect(await node(page, 'csv').locator('.rows').textContent()).toBe(`${want.total.toLocaleString('en-US')} rows`);
    expect(await node(page, 'filter').locator('.state').getAttribute('title')).toBe('ran inside the query of "aggregate"');

    // Preview of the filter (P): the same count above the grid.
    await selectNode(page, 'filter');
    await page.keyboard.press('p');
    const count = want.kept.toLocaleString('en-US');
    await expect.poll(() => page.getByTestId('preview-summary').textContent()).toMatch(new RegExp(`^${count} rows × ${want.columns} columns`));
    await expect.poll(() => node(page, 'filter').locator('.rows').textContent()).toBe(`${count} rows`);
    // The grid is virtualized: some rows are in the DOM, not all of them.
    const shown = await page.locator('.grid [role=row]:not(.header)').count();
    expect(shown).toBeGreaterThan(5);
    expect(shown).toBeLessThan(want.kept);
    expect(await page.locator('.grid [role=columnheader] .colname').first().textContent()).toBe('customer_id');

    // Preview of the aggregate from the inspector: every group, right values, and mini plots.
    await selectNode(page, 'aggregate');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => page.getByTestId('preview-summary').textContent()).toBe(`${want.groups.length} rows × 3 columns`);
    expect(await page.locator('.grid [role=columnheader] .colname').allTextContents()).toEqual(['plan', 'customers', 'mean_charge']);
    const grid = await page.locator('.grid [role=row]:not(.header)').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('[role=cell]')].map((c) => c.textContent)));
    expect(grid.map((r) => [r[0], Number(r[1])])).toEqual(want.groups.map((g) => [g.plan, g.customers]));
    grid.forEach((r, i) => expect(Number(r[2])).toBeCloseTo(want.groups[i]!.mean, 6));
    await expect.poll(() => page.locator('.grid [role=columnheader] [data-plot] svg').count()).toBe(3);
  });
});

/** customers.csv → filter → aggregate, as a file a user opens (with the CSV beside it). */
function smallPipeline(): PipelineDocument {
  return {
    format: 'kanvas.pipeline',
    version: 1,
    name: 'tenure by plan',
    nodes: [
      { id: 'customers', kind: 'source.csv', params: { path: 'customers.csv' } },
      { id: 'filter', kind: 'transform.filter', params: { where: 'tenure_months > 12' } },
      { id: 'aggregate', kind: 'transform.aggregate', params: { groupBy: ['plan'], aggregates: [{ fn: 'count' }] } },
    ],
    edges: [
      { from: 'customers', to: 'filter' },
      { from: 'filter', to: 'aggregate' },
    ],
    layout: { customers: { x: 0, y: 0 }, filter: { x: 260, y: 0 }, aggregate: { x: 520, y: 0 } },
  };
}

describe('errors', () => {
  it('a bad expression shows its error on the node, in the inspector and in the run log; fixing it clears them', async () => {
    const app = await browser.open();
    const { page } = app;
    await openPipeline(page, smallPipeline(), [customersCsv]);
    await selectNode(page, 'filter');
    await typeCode(page, 'where', 'tenure_monthz > 12');
    await waitForDoc(page, (d) => params(d, 'filter')?.where === 'tenure_monthz > 12', 'the typo is in');

    const lines = await runAndWait(page, () => page.getByRole('button', { name: '▶ Run' }).click());
    expect(lines.at(-1)).toMatchObject({ level: 'error', text: expect.stringMatching(/^run error in \d+ ms/) });
    await expect.poll(() => node(page, 'filter').getAttribute('data-status')).toBe('error');
    const message = 'where: Binder Error: column "tenure_monthz" not found — did you mean "tenure_months"?';
    expect(await node(page, 'filter').locator('.message').textContent()).toBe(message);
    expect(await node(page, 'aggregate').getAttribute('data-status')).toBe('skipped');
    expect(await field(page, 'where').locator('.issue').allTextContents()).toEqual([message.replace('where: ', '')]);

    await page.getByRole('tab', { name: /^Run log/ }).click();
    expect(await page.getByRole('tab', { name: /^Run log/ }).textContent()).toBe('Run log (2 errors)');
    const logged = await page.locator('.log .line.error').allTextContents();
    expect(logged.some((l) => l.includes('[filter] Binder Error: column "tenure_monthz" not found'))).toBe(true);

    // Fixed, the node no longer claims the error: it is stale until the next run.
    await typeCode(page, 'where', 'tenure_months > 12');
    await expect.poll(() => node(page, 'filter').getAttribute('data-status')).toBe('stale');
    expect(await node(page, 'filter').locator('.message').count()).toBe(0);
    expect(await field(page, 'where').locator('.issue').count()).toBe(0);
  });

  it('a run refused by validation marks the node with the problem', async () => {
    const app = await browser.open();
    const { page } = app;
    await openPipeline(page, smallPipeline(), [customersCsv]);
    await selectNode(page, 'filter');
    await typeCode(page, 'where', '');
    await waitForDoc(page, (d) => params(d, 'filter')?.where === undefined, 'the condition is emptied (and left out of the file)');
    expect(await field(page, 'where').locator('.issue').count()).toBe(1);

    const lines = await runAndWait(page, () => page.keyboard.press('Control+Enter'));
    expect(lines.at(-1)).toMatchObject({ level: 'error', text: 'run not started — 1 problem in the pipeline' });
    await expect.poll(() => node(page, 'filter').getAttribute('data-status')).toBe('error');
    expect(await node(page, 'filter').locator('.message').textContent()).toMatch(/^where: /);
    expect(await node(page, 'customers').getAttribute('data-status')).toBe('stale');
  });
});

describe('undo and redo', () => {
  it('restore the previous documents exactly: typing, deleting, moving', async () => {
    const app = await browser.open();
    const { page } = app;
    await openPipeline(page, smallPipeline(), [customersCsv]);
    const opened = await docOf(page);
    expect(opened).toEqual(smallPipeline());

    // Typing a condition is one undo step, however many keys it took.
    await selectNode(page, 'filter');
    await typeCode(page, 'where', "plan = 'basic'");
    const typed = await waitForDoc(page, (d) => params(d, 'filter')?.where === "plan = 'basic'", 'the new condition');
    await clickCanvas(page);
    await page.keyboard.press('Control+z');
    await waitForDoc(page, (d) => params(d, 'filter')?.where === 'tenure_months > 12', 'the old condition is back');
    expect(await docOf(page)).toEqual(opened);
    await page.keyboard.press('Control+Shift+z');
    expect(await waitForDoc(page, (d) => params(d, 'filter')?.where === "plan = 'basic'", 'redone')).toEqual(typed);

    // Deleting a node takes its edges; undo (the toolbar button) brings all back.
    await selectNode(page, 'aggregate');
    await page.keyboard.press('Delete');
    const deleted = await waitForDoc(page, (d) => d.nodes.length === 2, 'aggregate deleted');
    expect(deleted.edges).toEqual([{ from: 'customers', to: 'filter' }]);
    expect(await node(page, 'aggregate').count()).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await waitForDoc(page, (d) => d.nodes.length === 3, 'aggregate restored')).toEqual(typed);
    await expect.poll(() => node(page, 'aggregate').count()).toBe(1);

    // Dragging a node moves it in the file's layout; undo puts it back.
    const head = node(page, 'customers').locator('.head');
    const box = (await head.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 120, { steps: 8 });
    await page.mouse.up();
    const moved = await waitForDoc(page, (d) => d.layout.customers!.y > 50, 'customers moved down');
    expect(moved.nodes).toEqual(typed.nodes);
    await page.keyboard.press('Control+z');
    expect(await waitForDoc(page, (d) => d.layout.customers!.y === 0, 'customers back')).toEqual(typed);
    await page.keyboard.press('Control+z');
    expect(await waitForDoc(page, (d) => params(d, 'filter')?.where === 'tenure_months > 12', 'back to the file')).toEqual(opened);
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
  });
});
