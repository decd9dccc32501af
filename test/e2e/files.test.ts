import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPipeline, type PipelineDocument } from '../../engine/index.ts';
import { docOf, engineReady, node, openPipeline, repoRoot, runAndWait, selectNode, useBrowser, waitForDoc } from './support.ts';

const customersCsv = path.join(repoRoot, 'examples/churn/customers.csv');

const browser = useBrowser();
let downloads: string;

beforeAll(() => {
  downloads = mkdtempSync(path.join(tmpdir(), 'kanvas-downloads-'));
});
afterAll(() => {
  rmSync(downloads, { recursive: true, force: true });
});

const pipeline: PipelineDocument = {
  format: 'kanvas.pipeline',
  version: 1,
  name: 'saved',
  nodes: [
    { id: 'customers', kind: 'source.csv', params: { path: 'customers.csv' } },
    { id: 'recent', kind: 'transform.filter', params: { where: "signup_date >= DATE '2021-01-01'" } },
  ],
  edges: [{ from: 'customers', to: 'recent' }],
  layout: { customers: { x: 0, y: 0 }, recent: { x: 260, y: 0 } },
};

describe('save and open', () => {
  it('saves by download and re-opens the same document', async () => {
    const app = await browser.open();
    const { page } = app;
    await openPipeline(page, pipeline, [customersCsv]);

    // Edits: a new name, a node title, a node added from the palette.
    await page.getByRole('textbox', { name: 'Pipeline name' }).fill('saved and opened');
    await selectNode(page, 'recent');
    await page.locator('#node-title').fill('Recent sign-ups');
    await page.locator('.palette .item[data-kind="transform.sort"]').dblclick();
    const edited = await waitForDoc(page, (d) => d.nodes.length === 3 && d.nodes[1]!.title === 'Recent sign-ups' && d.name === 'saved and opened', 'edited');
    await expect.poll(() => page.title()).toBe('• saved and opened — Kanvas');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const file = await download;
    // The file keeps the name it was opened under.
    expect(file.suggestedFilename()).toBe('saved.kanvas.json');
    const saved = path.join(downloads, file.suggestedFilename());
    await file.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe(formatPipeline(edited));
    await expect.poll(() => page.title()).toBe('saved and opened — Kanvas');
    await expect.poll(() => page.getByRole('status').textContent()).toBe('saved saved.kanvas.json');

    // Start over, then open the saved file from the toolbar.
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'New pipeline' }).click();
    await waitForDoc(page, (d) => d.nodes.length === 0, 'a new, empty pipeline');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open…' }).click();
    await (await chooser).setFiles(saved);
    await waitForDoc(page, (d) => d.nodes.length === 3, 're-opened');
    expect(await docOf(page)).toEqual(edited);
    await expect.poll(() => node(page, 'sort').count()).toBe(1);
    expect(await page.title()).toBe('saved and opened — Kanvas');
  });
});

describe('autosave', () => {
  it('offers unsaved work back after a reload; Recover restores it, Discard drops it', async () => {
    const app = await browser.open();
    const { page } = app;
    await page.getByRole('button', { name: 'New pipeline' }).click();
    await page.getByRole('textbox', { name: 'Pipeline name' }).fill('unsaved work');
    await page.locator('.palette .item[data-kind="source.sample"]').dblclick();
    await page.locator('.palette .item[data-kind="transform.limit"]').dblclick();
    const edited = await waitForDoc(page, (d) => d.nodes.length === 2 && d.name === 'unsaved work', 'two nodes, renamed');
    // The two nodes were aimed at the same spot: the second is placed beside the first.
    expect(edited.layout.limit).not.toEqual(edited.layout.sample);
    await page.waitForFunction(
      (name) => JSON.parse(localStorage.getItem('kanvas.autosave') ?? 'null')?.doc?.nodes?.length === 2 && JSON.parse(localStorage.getItem('kanvas.autosave')!).doc.name === name,
      'unsaved work',
    );

    await page.reload();
    const banner = page.getByRole('dialog', { name: 'Start' }).getByRole('alert');
    await expect.poll(() => banner.textContent()).toMatch(/^Unsaved work on “unsaved work” from .+ was kept when the app closed\./);
    await banner.getByRole('button', { name: 'Recover' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Start' }).count()).toBe(0);
    expect(await docOf(page)).toEqual(edited);
    await expect.poll(() => page.locator('.knode').count()).toBe(2);
    // Recovered work is still unsaved.
    expect(await page.title()).toBe('• unsaved work — Kanvas');

    // Still unsaved, so it is offered again; this time it is discarded.
    await page.waitForFunction(() => localStorage.getItem('kanvas.autosave') !== null);
    await page.reload();
    await expect.poll(() => banner.count()).toBe(1);
    await banner.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('kanvas.autosave'))).toBeNull();
    await page.reload();
    await expect.poll(() => page.getByRole('dialog', { name: 'Start' }).count()).toBe(1);
    expect(await banner.count()).toBe(0);
  });
});

describe('files kept by the browser', () => {
  it('a recent pipeline and recovered work find their data files again after a reload', async () => {
    const app = await browser.open();
    const { page } = app;
    await openPipeline(page, pipeline, [customersCsv]);
    const run = async () => {
      const lines = await runAndWait(page, () => page.keyboard.press('Control+Enter'));
      return lines.at(-1)!.text;
    };
    expect(await run()).toMatch(/^run ok in \d+ ms — 2 done$/);
    await page.waitForFunction(() => (localStorage.getItem('kanvas.kept-files') ?? '').includes('/files/customers.csv'));

    // Unsaved work, then the tab is reloaded (the engine worker starts empty).
    await selectNode(page, 'recent');
    await page.locator('#node-title').fill('Signed up lately');
    await page.waitForFunction(() => JSON.parse(localStorage.getItem('kanvas.autosave') ?? 'null')?.doc?.nodes?.[1]?.title === 'Signed up lately');
    await page.reload();
    await engineReady(page);
    const start = page.getByRole('dialog', { name: 'Start' });
    await start.getByRole('alert').getByRole('button', { name: 'Recover' }).click();
    await expect.poll(() => page.locator('[role=status]').textContent()).toBe("restored customers.csv from this browser's storage");
    expect(await run()).toMatch(/^run ok in \d+ ms — 2 done$/);
    expect(await node(page, 'recent').locator('.head .title').textContent()).toBe('Signed up lately');

    // From the start page's recent list, after another reload.
    await page.reload();
    await engineReady(page);
    await start.getByRole('alert').getByRole('button', { name: 'Discard' }).click();
    const recent = start.getByRole('region', { name: 'Recent pipelines' });
    expect(await recent.getByRole('button').allTextContents()).toEqual(['saved.kanvas.json']);
    await recent.getByRole('button', { name: 'saved.kanvas.json' }).click();
    await expect.poll(() => start.count()).toBe(0);
    await waitForDoc(page, (d) => d.name === 'saved' && d.nodes.length === 2, 'the recent pipeline is open');
    expect(await run()).toMatch(/^run ok in \d+ ms — 2 done$/);

    // Opened again with a newer customers.csv: that one is read, not the kept copy.
    const newer = path.join(mkdtempSync(path.join(tmpdir(), 'kanvas-newer-')), 'customers.csv');
    writeFileSync(newer, readFileSync(customersCsv, 'utf8').split('\n').slice(0, 11).join('\n') + '\n');
    await page.getByRole('button', { name: 'Start' }).click();
    await openPipeline(page, pipeline, [newer]);
    expect(await run()).toMatch(/^run ok in \d+ ms — 2 done$/);
    expect(await node(page, 'customers').locator('.rows').textContent()).toBe('10 rows');
  });
});

