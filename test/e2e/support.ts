/**
 * Driving the built app in Chromium as a user would: mouse, keyboard, file choosers and drops.
 * State is read back through `window.kanvas` (the session the app exposes for tests), and every
 * wait is for a condition, never a fixed sleep.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { formatPipeline, type PipelineDocument } from '../../engine/index.ts';
import type { Session } from '../../renderer/app/context.ts';
import type { LogLine, NodeRunState } from '../../renderer/store/run-store.ts';

declare global {
  interface Window {
    kanvas: Session;
  }
}

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const chromiumPath = process.env.KANVAS_CHROMIUM ?? '/usr/bin/chromium';
export const viewport = { width: 1400, height: 900 };

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** One headless Chromium with a throwaway profile (downloads allowed). */
export async function launch(): Promise<Browser> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kanvas-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    acceptDownloads: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The hooks every e2e file needs: one Chromium for the file, a new tab on the app per test, and
 * after each test a check that the tab had no uncaught errors before it closes.
 */
export function useBrowser() {
  let browser: Browser | undefined;
  let current: AppPage | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    if (!current) return;
    const { errors, page } = current;
    current = undefined;
    expect(errors).toEqual([]);
    await page.close();
  });
  return {
    get context(): BrowserContext {
      return browser!.context;
    },
    /** A new tab on the app with the engine started (see `openApp`). */
    async open(): Promise<AppPage> {
      current = await openApp(browser!.context, inject('appUrl'));
      return current;
    },
    /** A tab the test made itself, checked and closed like the others. */
    adopt(page: Page): AppPage {
      current = { page, errors: [] };
      page.on('pageerror', (e) => current?.errors.push(e.message));
      return current;
    },
  };
}

export interface AppPage {
  page: Page;
  /** Uncaught exceptions in the page: a test ends by expecting none. */
  errors: string[];
}

/**
 * A new tab on the app with the engine started. Storage is emptied the first time the tab
 * loads (not on a reload), so autosaves and the theme of an earlier test do not leak in.
 */
export async function openApp(context: BrowserContext, url: string): Promise<AppPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Leaving with unsaved work asks first; a test that reloads means it.
  page.on('dialog', (d) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('kanvas.e2e')) {
      localStorage.clear();
      sessionStorage.setItem('kanvas.e2e', '1');
    }
  });
  await page.goto(url);
  await engineReady(page);
  return { page, errors };
}

export async function engineReady(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[role=status]').textContent(), { timeout: 60_000 }).toMatch(/^engine: DuckDB/);
}

export const docOf = (page: Page): Promise<PipelineDocument> => page.evaluate(() => window.kanvas.editor.getState().doc);
export const selectionOf = (page: Page): Promise<string[]> => page.evaluate(() => window.kanvas.editor.getState().selection);
export const runNodes = (page: Page): Promise<Record<string, NodeRunState>> => page.evaluate(() => window.kanvas.runs.getState().nodes);
export const runLog = (page: Page): Promise<LogLine[]> => page.evaluate(() => window.kanvas.runs.getState().log);

/** Waits until the document satisfies `check` (given as a function of the doc, run in Node). */
export async function waitForDoc(page: Page, check: (doc: PipelineDocument) => boolean, what: string): Promise<PipelineDocument> {
  let last: PipelineDocument | undefined;
  await expect
    .poll(
      async () => {
        last = await docOf(page);
        return check(last);
      },
      { message: `document: ${what}`, timeout: 15_000 },
    )
    .toBe(true);
  return last!;
}

/**
 * Starts a run with `trigger` and waits for it to end: the run store idle again with a new
 * log line that closes a run. Returns the log lines the run added.
 */
export async function runAndWait(page: Page, trigger: () => Promise<void>): Promise<LogLine[]> {
  const before = (await runLog(page)).length;
  await trigger();
  await page.waitForFunction(
    (n) => {
      const s = window.kanvas.runs.getState();
      return !s.running && s.log.slice(n).some((l) => /^run (ok|error|cancelled) in /.test(l.text) || (l.level === 'error' && !l.node));
    },
    before,
    { timeout: 60_000, polling: 100 },
  );
  return (await runLog(page)).slice(before);
}

export const node = (page: Page, id: string): Locator => page.locator(`.knode[data-node-id="${id}"]`);
export const handle = (page: Page, id: string, side: 'source' | 'target', port: string): Locator =>
  node(page, id).locator(`.react-flow__handle.${side}[data-port="${port}"]`);
export const field = (page: Page, param: string): Locator => page.locator(`.inspector [data-param="${param}"]`);

async function centerOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`not visible: ${locator.toString()}`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Drags with the mouse from one element to another, in small steps as a hand would (React
 * Flow tracks pointer moves). With `release: false` the button stays down, to look at hints.
 */
export async function drag(page: Page, from: Locator, to: Locator, options: { release?: boolean } = {}): Promise<void> {
  const a = await centerOf(from);
  const b = await centerOf(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + (b.x - a.x) / 2, a.y + (b.y - a.y) / 2, { steps: 6 });
  await page.mouse.move(b.x, b.y, { steps: 6 });
  if (options.release !== false) await page.mouse.up();
}

/** Connects an output handle to an input handle by dragging between them. */
export async function connect(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  await drag(page, handle(page, from[0], 'source', from[1]), handle(page, to[0], 'target', to[1]));
}

/** A point on the canvas, as fractions of its box. */
export async function canvasPoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('.canvas').boundingBox())!;
  return { x: Math.round(box.x + box.width * fx), y: Math.round(box.y + box.height * fy) };
}

/** Drops files from the local disk onto the canvas at a point, as from a file manager. */
export async function dropFiles(page: Page, files: string[], at: { x: number; y: number }): Promise<void> {
  const payload = files.map((f) => ({ name: path.basename(f), base64: readFileSync(f).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const { name, base64 } of items) dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));
    return dt;
  }, payload);
  await page.dispatchEvent('.canvas', 'dragover', { dataTransfer, clientX: at.x, clientY: at.y });
  await page.dispatchEvent('.canvas', 'drop', { dataTransfer, clientX: at.x, clientY: at.y });
  await dataTransfer.dispose();
}

/**
 * Opens a pipeline as a user does in a browser: "Open pipeline…" on the start page, choosing
 * the `.kanvas.json` together with the data files it reads.
 */
export async function openPipeline(page: Page, doc: PipelineDocument, dataFiles: string[] = []): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kanvas-open-'));
  const file = path.join(dir, `${doc.name.replace(/\W+/g, '-')}.kanvas.json`);
  writeFileSync(file, formatPipeline(doc));
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('dialog', { name: 'Start' }).getByRole('button', { name: 'Open pipeline…' }).click();
  await (await chooser).setFiles([file, ...dataFiles]);
  await expect.poll(() => page.getByRole('dialog', { name: 'Start' }).count()).toBe(0);
  await waitForDoc(page, (d) => d.name === doc.name && d.nodes.length === doc.nodes.length, `"${doc.name}" is open`);
  await expect.poll(() => page.locator('.knode').count()).toBe(doc.nodes.length);
  rmSync(dir, { recursive: true, force: true });
}

/** Drags a kind from the palette onto the canvas at a point (HTML drag and drop). */
export async function dragFromPalette(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  const box = (await page.locator('.canvas').boundingBox())!;
  await page.locator(`.palette .item[data-kind="${kind}"]`).dragTo(page.locator('.canvas .react-flow__pane'), {
    targetPosition: { x: at.x - box.x, y: at.y - box.y },
  });
}

/** Selects a node by clicking its title, as a user would. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await node(page, id).locator('.head').click();
  await expect.poll(() => selectionOf(page)).toEqual([id]);
}

/** Replaces the text of a CodeMirror field: click into it, select all, type. */
export async function typeCode(page: Page, param: string, text: string): Promise<void> {
  const content = field(page, param).locator('.cm-content');
  await content.click();
  // Select-all outside the editor would select every node, and Delete would remove them.
  await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.cm-editor'))).toBe(true);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape'); // close the completion list, if one opened
}

/** Clicks an empty spot of the canvas: focus leaves any field, the selection clears. */
export async function clickCanvas(page: Page): Promise<void> {
  const box = (await page.locator('.canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width - 30, box.y + 30);
}

/**
 * Saves a screenshot for the docs (docs/screenshots/<name>.png), only when KANVAS_SCREENSHOTS=1
 * so that ordinary runs leave the committed files alone. The UI is flat colour: a full window
 * stays around 100–160 KB as PNG.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.KANVAS_SCREENSHOTS !== '1') return;
  const dir = path.join(repoRoot, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  // Let fonts and plots settle on a rendered frame before the capture.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}
