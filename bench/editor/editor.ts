/**
 * Editor benchmark: the canvas with a large pipeline, in Chromium.
 *
 *   npm run bench:editor -- [--nodes 500] [--no-build] [--json]
 *
 * Builds the web app (vite, into dist/web) unless --no-build, serves it on a free local port,
 * and in headless Chromium (KANVAS_CHROMIUM, default /usr/bin/chromium):
 *   - opens a generated pipeline of N nodes (chains of ten, on a grid) through the session's
 *     `editor.open`, and times it until the nodes are on screen (measured and shown): at the
 *     default zoom (the nodes in view) and fitted (all N nodes drawn, as after File › Open);
 *   - pans the canvas by dragging the background, then drags a node, both at the fitted zoom
 *     (every node drawn) and at 100%, recording requestAnimationFrame timestamps in the page:
 *     the frame time is the interval between successive frames while the pointer moves.
 * Goals: open < 1 s, median frame < 20 ms. Figures are measured each run, never stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import type { PipelineDocument } from '../../engine/index.ts';
import type { Session } from '../../renderer/app/context.ts';

declare global {
  interface Window {
    kanvas: Session;
    __frames?: number[];
    __recording?: number;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = option('nodes', 500);

/** Chains of ten nodes (a sample source and nine steps), one chain per row of the grid. */
export function generatePipeline(n: number): PipelineDocument {
  const steps: [string, Record<string, unknown>][] = [
    ['source.sample', { dataset: 'iris' }],
    ['transform.filter', { where: 'sepal_length > 5' }],
    ['transform.derive', { columns: [{ name: 'ratio', expr: 'sepal_length / sepal_width' }] }],
    ['transform.select', { columns: ['species', 'sepal_length', 'ratio'] }],
    ['transform.sort', { by: [{ column: 'ratio', descending: true }] }],
    ['transform.filter', { where: 'ratio > 1.5' }],
    ['transform.derive', { columns: [{ name: 'double', expr: 'ratio * 2' }] }],
    ['transform.aggregate', { groupBy: ['species'], aggregates: [{ fn: 'count' }, { fn: 'mean', column: 'double' }] }],
    ['transform.sort', { by: [{ column: 'species' }] }],
    ['transform.limit', { n: 10 }],
  ];
  const doc: PipelineDocument = { format: 'kanvas.pipeline', version: 1, name: `bench ${n}`, nodes: [], edges: [], layout: {} };
  for (let i = 0; i < n; i++) {
    const chain = Math.floor(i / steps.length);
    const step = i % steps.length;
    const [kind, params] = steps[step]!;
    const id = `n${i}`;
    doc.nodes.push({ id, kind, params });
    doc.layout[id] = { x: step * 240, y: chain * 130 };
    if (step > 0) doc.edges.push({ from: `n${i - 1}`, to: id });
  }
  return doc;
}

async function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const configFile = `${root}vite.config.ts`;
  // Profiles name functions only in an unminified build.
  if (!flag('no-build')) await build({ configFile, logLevel: 'error', ...(flag('profile') ? { build: { minify: false } } : {}) });
  const server = await preview({ configFile, logLevel: 'error', preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const { port } = server.httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/** Waits for the next two frames: what was rendered before is painted. */
const settle = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/**
 * Opens the document and times it until the nodes are drawn and visible (React Flow hides a
 * node until it has measured it). With `fit`, the view is fitted first (the app's F key), so
 * all nodes are drawn.
 */
async function timeOpen(page: Page, doc: PipelineDocument, fit: boolean): Promise<{ ms: number; drawn: number }> {
  await page.evaluate(() => window.kanvas.editor.getState().open({ format: 'kanvas.pipeline', version: 1, name: 'empty', nodes: [], edges: [], layout: {} }, null));
  await settle(page);
  return page.evaluate(
    ({ doc, fit, expected }) =>
      new Promise<{ ms: number; drawn: number }>((resolve) => {
        const t0 = performance.now();
        window.kanvas.editor.getState().open(doc, 'bench.kanvas.json');
        if (fit) window.dispatchEvent(new KeyboardEvent('keydown', { key: 'f' }));
        const check = () => {
          const nodes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')];
          const visible = nodes.filter((n) => n.style.visibility !== 'hidden').length;
          if (visible > 0 && visible === nodes.length && (!fit || visible >= expected)) {
            // The frame after the one that committed them: they are painted.
            requestAnimationFrame(() => resolve({ ms: performance.now() - t0, drawn: visible }));
          } else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { doc, fit, expected: doc.nodes.length },
  );
}

interface Frames {
  frames: number;
  median: number;
  p95: number;
  max: number;
  /** Share of frame intervals over 20 ms (a frame missed at 60 Hz). */
  slow: number;
}

/** Records frame timestamps while `act` runs; returns the frame-interval statistics. */
async function frames(page: Page, act: () => Promise<void>): Promise<Frames> {
  await page.evaluate(() => {
    // Each recording has its own number: a loop of an earlier one stops at its next frame.
    const recording = (window.__recording ?? 0) + 1;
    window.__recording = recording;
    window.__frames = [];
    const loop = (t: number) => {
      if (window.__recording !== recording) return;
      window.__frames!.push(t);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  await act();
  const stamps = await page.evaluate(() => {
    window.__recording! += 1;
    return window.__frames!;
  });
  const deltas = stamps.slice(1).map((t, i) => t - stamps[i]!).sort((a, b) => a - b);
  const at = (q: number) => deltas[Math.min(deltas.length - 1, Math.floor(q * deltas.length))]!;
  return { frames: deltas.length, median: at(0.5), p95: at(0.95), max: deltas.at(-1)!, slow: deltas.filter((d) => d > 20).length / deltas.length };
}

/**
 * With --profile: a CPU profile of `act` (Chrome DevTools protocol), printed as the functions
 * with the most self time. For finding where frame time goes, not part of the figures.
 */
async function profiled(page: Page, label: string, act: () => Promise<void>): Promise<void> {
  await profiledValue(page, label, act);
}

async function profiledValue<T>(page: Page, label: string, act: () => Promise<T>): Promise<T> {
  if (!flag('profile')) return act();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const value = await act();
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map<string, number>();
  const dt = new Map<number, number>();
  profile.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  let total = 0;
  for (const n of profile.nodes) {
    const us = dt.get(n.id) ?? 0;
    total += us;
    const f = n.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + us);
  }
  console.log(`profile of ${label}: ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
  await cdp.detach();
  return value;
}

/**
 * An edit as typing makes it (a param of one node, set through the store as the inspector
 * does), timed until the frame after it is drawn; the median of `times` edits.
 */
async function timeEdits(page: Page, id: string, times = 30): Promise<{ median: number; max: number }> {
  const ms = await page.evaluate(
    async ({ id, times }) => {
      const out: number[] = [];
      for (let i = 0; i < times; i++) {
        const t0 = performance.now();
        window.kanvas.editor.getState().apply([{ type: 'set-params', id, params: { n: 10 + i } }], { merge: `params:${id}` });
        await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
        out.push(performance.now() - t0);
      }
      return out.sort((a, b) => a - b);
    },
    { id, times },
  );
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms.at(-1)! };
}

/** A point on the empty canvas background (where a drag pans). */
async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  const spot = await page.evaluate(() => {
    const box = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    for (let fy = 0.2; fy < 0.9; fy += 0.05) {
      for (let fx = 0.2; fx < 0.8; fx += 0.05) {
        const x = box.left + box.width * fx;
        const y = box.top + box.height * fy;
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  });
  if (!spot) throw new Error('no empty spot on the canvas to pan from');
  return spot;
}

/** Drags the mouse from `from` along a loop (right, down, back), `steps` moves per leg. */
async function dragLoop(page: Page, from: { x: number; y: number }, steps = 60): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const legs = [
    [from.x + 200, from.y],
    [from.x + 200, from.y + 120],
    [from.x, from.y],
  ] as const;
  for (const [x, y] of legs) await page.mouse.move(x, y, { steps });
  await page.mouse.up();
}

/** The middle of a drawn node's title, inside the canvas. */
async function nodeHead(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(`.knode[data-node-id="${id}"] .head`).boundingBox();
  if (!box) throw new Error(`node ${id} is not drawn`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function main(): Promise<void> {
  const doc = generatePipeline(N);
  const server = await serve();
  const profile = mkdtempSync(path.join(tmpdir(), 'kanvas-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KANVAS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // tsx compiles this file keeping function names, through a `__name` helper that functions
    // sent to the page would call: give the page a do-nothing one.
    await context.addInitScript('globalThis.__name = (f) => f;');
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    // Wait for the engine: its start (wasm compile) would otherwise share the CPU with the figures.
    await page.waitForFunction(() => /^engine: DuckDB/.test(document.querySelector('[role=status]')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.getByRole('button', { name: 'New pipeline' }).click();

    const open100 = await timeOpen(page, doc, false);
    const openFit = await timeOpen(page, doc, true);
    // The app binds the pipeline in the engine 400 ms after an edit settles; let that pass too.
    await page.waitForTimeout(500);
    await page.evaluate(() => window.kanvas.engine.check({ doc: window.kanvas.editor.getState().doc, baseDir: '/files' }).then(() => undefined));
    await settle(page);

    const zoomFit = await page.evaluate(() => document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform);
    const panFit = await frames(page, () => profiled(page, 'pan, fitted', async () => dragLoop(page, await emptySpot(page))));
    const dragFit = await frames(page, () => profiled(page, 'drag node, fitted', async () => dragLoop(page, await nodeHead(page, 'n255'))));
    const drawnFit = await page.locator('.react-flow__node').count();
    await page.evaluate(() => window.kanvas.editor.getState().select(['n259']));
    const editFit = await profiledValue(page, 'edits, fitted', () => timeEdits(page, 'n259'));

    // 100%: the view a user works at, some dozen nodes drawn.
    await page.evaluate(() => window.kanvas.editor.getState().select([]));
    await page.locator('.react-flow__controls-fitview').waitFor();
    const zoomIn = page.locator('.react-flow__controls-zoomin');
    for (let i = 0; i < 40 && !(await zoomIn.isDisabled()); i++) {
      const scale = await page.evaluate(() => /scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)![1]);
      if (Number(scale) >= 1) break;
      await zoomIn.click();
    }
    await settle(page);
    const drawn100 = await page.locator('.react-flow__node').count();
    const visibleNode = await page.evaluate(() => document.querySelector('.knode')!.getAttribute('data-node-id')!);
    const pan100 = await frames(page, async () => dragLoop(page, await emptySpot(page)));
    const drag100 = await frames(page, async () => dragLoop(page, await nodeHead(page, visibleNode)));
    const moved = await page.evaluate((id) => window.kanvas.editor.getState().doc.layout[id], visibleNode);

    const result = {
      nodes: N,
      edges: doc.edges.length,
      cpus: cpus().length,
      openMs: { at100: Math.round(open100.ms), fitted: Math.round(openFit.ms), drawnFitted: openFit.drawn },
      fitted: { transform: zoomFit, drawn: drawnFit, pan: panFit, dragNode: dragFit, editMs: editFit },
      at100: { drawn: drawn100, pan: pan100, dragNode: drag100 },
      pageErrors: errors,
    };
    if (flag('json')) console.log(JSON.stringify(result, null, 2));
    else {
      const f = (x: Frames) =>
        `median ${x.median.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms, max ${x.max.toFixed(1)} ms, ${(x.slow * 100).toFixed(0)}% over 20 ms (${x.frames} frames)`;
      console.log(`editor benchmark: ${N} nodes, ${doc.edges.length} edges, ${cpus().length} CPUs, Chromium headless`);
      console.log(`  open, view at 100%:      ${result.openMs.at100} ms (${open100.drawn} nodes drawn)`);
      console.log(`  open and fit view:       ${result.openMs.fitted} ms (${openFit.drawn} nodes drawn)   goal < 1000 ms`);
      console.log(`  pan, fitted (${drawnFit} drawn): ${f(panFit)}   goal median < 20 ms`);
      console.log(`  drag node, fitted:       ${f(dragFit)}`);
      console.log(`  edit a param, fitted:    median ${editFit.median.toFixed(1)} ms, max ${editFit.max.toFixed(1)} ms to the next frame drawn (${drawnFit} nodes drawn)`);
      console.log(`  pan, 100% (${drawn100} drawn):   ${f(pan100)}`);
      console.log(`  drag node, 100%:         ${f(drag100)}   (${visibleNode} now at ${JSON.stringify(moved)})`);
      if (errors.length) console.log(`  page errors: ${errors.join('; ')}`);
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
