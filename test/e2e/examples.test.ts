import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../engine/index.ts';
import { docOf, node, openPipeline, repoRoot, runAndWait, runNodes, screenshot, selectNode, useBrowser } from './support.ts';

const browser = useBrowser();

const example = (id: string) => {
  const parsed = parsePipeline(readFileSync(path.join(repoRoot, 'examples', id, 'pipeline.kanvas.json'), 'utf8'));
  if (!parsed.ok) throw new Error(`examples/${id} does not parse`);
  return parsed.doc;
};

/** Customers with at least one billed month: what the churn example's split writes, train and test together. */
function billedCustomers(): number {
  const [head, ...lines] = readFileSync(path.join(repoRoot, 'examples/churn/customers.csv'), 'utf8').trim().split('\n');
  const tenure = head!.split(',').indexOf('tenure_months');
  return lines.filter((l) => Number(l.split(',')[tenure]) > 0).length;
}

describe('examples', () => {
  it('the churn example opens from the start page and runs with no errors', async () => {
    const app = await browser.open();
    const { page } = app;
    const start = page.getByRole('dialog', { name: 'Start' });
    // Every example folder, sorted by id.
    expect(await start.locator('[data-example]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-example')))).toEqual(['churn', 'churn-model', 'trips']);
    await screenshot(page, 'start-page');

    await start.locator('[data-example=churn]').click();
    await expect.poll(() => start.count()).toBe(0);
    const want = example('churn');
    expect(await docOf(page)).toEqual(want);
    expect(await page.evaluate(() => window.kanvas.editor.getState().baseDir)).toBe('/examples/churn');

    const lines = await runAndWait(page, () => page.keyboard.press('Control+Enter'));
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.at(-1)!.text).toMatch(new RegExp(`^run ok in \\d+ ms — ${want.nodes.length} done$`));
    const states = await runNodes(page);
    expect(Object.keys(states).sort()).toEqual(want.nodes.map((n) => n.id).sort());
    for (const [id, s] of Object.entries(states)) expect([id, s.status]).toEqual([id, 'done']);
    // Every customer with a billed month lands in train or test, and the nodes say how many.
    const written = await Promise.all(['write_train', 'write_test'].map(async (id) => (await node(page, id).locator('.rows').textContent())!));
    const counts = written.map((t) => Number(/^wrote ([\d,]+) rows$/.exec(t)![1]!.replace(/,/g, '')));
    expect(counts[0]! + counts[1]!).toBe(billedCustomers());
    expect(counts[1]! / (counts[0]! + counts[1]!)).toBeCloseTo(0.2, 2);

    await selectNode(page, 'by_customer');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => page.getByTestId('preview-summary').textContent()).toMatch(/^9,863 rows × 17 columns/);
    await expect.poll(() => page.locator('.grid [role=columnheader] [data-plot] svg').count()).toBe(17);
    await screenshot(page, 'editor-run');

    // The profile's report, in the dark theme (T).
    await selectNode(page, 'profile');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('combobox', { name: 'Output port' }).selectOption('report');
    await expect.poll(() => page.locator('.report [data-plot] svg').count()).toBeGreaterThan(10);
    await page.locator('.canvas .react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('t');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('.report-plots').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'dark-theme');
  });

  it('the trips example (Parquet) runs with no errors', async () => {
    const app = await browser.open();
    const { page } = app;
    await page.getByRole('dialog', { name: 'Start' }).locator('[data-example=trips]').click();
    const want = example('trips');
    expect(await docOf(page)).toEqual(want);
    const lines = await runAndWait(page, () => page.getByRole('button', { name: '▶ Run' }).click());
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.at(-1)!.text).toMatch(new RegExp(`^run ok in \\d+ ms — ${want.nodes.length} done$`));
    const states = await runNodes(page);
    expect(Object.values(states).map((s) => s.status)).toEqual(want.nodes.map(() => 'done'));
  });

  it('the churn-model example (sample data, fitted models) runs in the browser with no errors', async () => {
    const app = await browser.open();
    const { page } = app;
    await page.getByRole('dialog', { name: 'Start' }).locator('[data-example="churn-model"]').click();
    const want = example('churn-model');
    expect(await docOf(page)).toEqual(want);
    const lines = await runAndWait(page, () => page.getByRole('button', { name: '▶ Run' }).click());
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.at(-1)!.text).toMatch(new RegExp(`^run ok in \\d+ ms — ${want.nodes.length} done$`));
    const states = await runNodes(page);
    expect(Object.keys(states).sort()).toEqual(want.nodes.map((n) => n.id).sort());
    for (const [id, s] of Object.entries(states)) expect([id, s.status]).toEqual([id, 'done']);
    // The same 2,000 test rows the CLI and unit tests score, and the six metrics.
    expect(await node(page, 'write_scores').locator('.rows').textContent()).toBe('wrote 2,000 rows');
    expect(await node(page, 'write_metrics').locator('.rows').textContent()).toBe('wrote 6 rows');
  });

  it('exports the trips example as code: pandas by default, DuckDB SQL on request, and downloads it', async () => {
    const app = await browser.open();
    const { page } = app;
    await page.getByRole('dialog', { name: 'Start' }).locator('[data-example=trips]').click();
    await page.getByRole('button', { name: 'Export code' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export code' });
    const code = () => dialog.locator('.cm-content').first().textContent();
    await expect.poll(code).toContain('import pandas as pd');
    expect(await code()).toContain(example('trips').name);
    await dialog.getByRole('radio', { name: /DuckDB SQL/ }).check();
    await expect.poll(code).toMatch(/^-- /);
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Save…' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.sql$/);
    // The editor draws only the lines in view; the saved file is the whole script.
    const script = readFileSync((await file.path())!, 'utf8');
    expect(script).toMatch(/COPY \(/);
    expect(script).toContain("read_parquet(");
  });

  it('a tuner exports its best params after a run, and says why it is left out before one', async () => {
    const app = await browser.open();
    const { page } = app;
    await openPipeline(page, {
      format: 'kanvas.pipeline',
      version: 1,
      name: 'tuned iris',
      nodes: [
        { id: 'iris', kind: 'source.sample', params: { dataset: 'iris' } },
        { id: 'tune', kind: 'tune.hpo', params: { model: 'model.logistic', target: 'species', trials: 3, folds: 3, seed: 4 } },
      ],
      edges: [{ from: 'iris', to: 'tune' }],
      layout: { iris: { x: 0, y: 0 }, tune: { x: 260, y: 0 } },
    });
    const dialog = page.getByRole('dialog', { name: 'Export code' });
    const code = () => dialog.locator('.cm-content').first().textContent();
    await page.getByRole('button', { name: 'Export code' }).click();
    await expect.poll(code).toContain('import pandas as pd');
    expect(await dialog.locator('.export-skipped li').allTextContents()).toEqual([expect.stringMatching(/^Tune hyperparameters \(tune, tune\.hpo\): a tuner exports as the best params its run found/)]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    const lines = await runAndWait(page, () => page.keyboard.press('Control+Enter'));
    expect(lines.at(-1)!.text).toMatch(/^run ok in \d+ ms — 2 done$/);
    await page.getByRole('button', { name: 'Export code' }).click();
    await expect.poll(code).toContain('import pandas as pd');
    expect(await dialog.locator('.export-skipped li').count()).toBe(0);
    // The editor draws only the lines in view: read the saved file.
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Save…' }).click();
    const module = readFileSync((await (await download).path())!, 'utf8');
    expect(module).toContain('StratifiedKFold(n_splits=3, shuffle=True, random_state=4)');
    expect(module).not.toContain('Not exported');
  });
});
