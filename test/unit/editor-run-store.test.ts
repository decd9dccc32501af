import { describe, expect, it } from 'vitest';
import type { NodeRecord, PipelineDocument, RunRecord } from '../../engine/index.ts';
import { addNodeChange, freeSpot } from '../../renderer/canvas/add-node.ts';
import { applyChange } from '../../renderer/store/changes.ts';
import { createRunStore } from '../../renderer/store/run-store.ts';
import { nodeSignatures, signaturesOf } from '../../renderer/store/signatures.ts';

const doc: PipelineDocument = {
  format: 'kanvas.pipeline',
  version: 1,
  name: 'runs',
  nodes: [
    { id: 'src', kind: 'source.csv', params: { path: 'a.csv' } },
    { id: 'f', kind: 'transform.filter', params: { where: 'x > 1' } },
  ],
  edges: [{ from: 'src', to: 'f' }],
  layout: { src: { x: 0, y: 0 } },
};

const rec = (kind: string, status: NodeRecord['status'], extra: Partial<NodeRecord> = {}): NodeRecord => ({ kind, status, durationMs: 1, cache: { hit: status === 'cached', reason: '' }, ...extra });
const record = (nodes: Record<string, NodeRecord>, status: RunRecord['status'] = 'ok'): RunRecord => ({
  format: 'kanvas.run',
  version: 1,
  pipeline: 'runs',
  engine: 'wasm',
  duckdb: 'test',
  startedAt: '2024-01-01T00:00:00Z',
  durationMs: 12,
  status,
  nodes,
  problems: [],
});

/** What the canvas shows: a result or error made for other params is stale. */
const stale = (runs: ReturnType<typeof createRunStore>, d: PipelineDocument, id: string) => runs.getState().nodes[id]?.signature !== nodeSignatures(d)[id];

describe('run store', () => {
  it('follows a run: queued, running, results with the signatures they were made for', () => {
    const runs = createRunStore();
    runs.getState().start(doc, ['src', 'f']);
    expect(runs.getState()).toMatchObject({ running: true, nodes: { src: { status: 'queued' }, f: { status: 'queued' } } });
    runs.getState().progress({ node: 'src', phase: 'start', nodes: { done: 0, total: 2 } });
    expect(runs.getState().nodes.src!.status).toBe('running');
    runs.getState().progress({ node: 'src', phase: 'done', nodes: { done: 1, total: 2 }, record: rec('source.csv', 'done') });
    // A result counts as fresh as soon as it arrives, not only when the run ends.
    expect(runs.getState().nodes.src).toMatchObject({ status: 'done', signature: nodeSignatures(doc).src });
    runs.getState().finish(doc, record({ src: rec('source.csv', 'done'), f: rec('transform.filter', 'done', { outputs: { out: { type: 'table', rows: 3 } } }) }));
    expect(runs.getState().running).toBe(false);
    expect(stale(runs, doc, 'f')).toBe(false);
    expect(runs.getState().log.at(-1)!.text).toBe('run ok in 12 ms — 2 done');

    const edited = applyChange(doc, { type: 'set-params', id: 'f', params: { where: 'x > 2' } }).doc;
    expect(stale(runs, edited, 'f')).toBe(true);
    expect(stale(runs, edited, 'src')).toBe(false);
  });

  it('an error belongs to the params it was made for: fixed, the node is stale, not in error', () => {
    const runs = createRunStore();
    runs.getState().start(doc, ['src', 'f']);
    const failed = rec('transform.filter', 'error', { error: { code: 'sql', node: 'f', param: 'where', message: 'Binder Error' } });
    runs.getState().progress({ node: 'f', phase: 'error', nodes: { done: 2, total: 2 }, record: failed });
    runs.getState().finish(doc, record({ src: rec('source.csv', 'skipped'), f: failed }, 'error'));
    expect(runs.getState().nodes.f).toMatchObject({ status: 'error', signature: nodeSignatures(doc).f });
    expect(stale(runs, doc, 'f')).toBe(false);
    expect(runs.getState().log.filter((l) => l.level === 'error').map((l) => l.text)).toEqual(['Binder Error', 'run error in 12 ms — 1 skipped, 1 error']);
    const fixed = applyChange(doc, { type: 'set-params', id: 'f', params: { where: 'x > 2' } }).doc;
    expect(stale(runs, fixed, 'f')).toBe(true);
  });

  it('a run the document refuses marks each node with its first problem and logs why', () => {
    const runs = createRunStore();
    runs.getState().refuse(
      doc,
      [
        { code: 'param', node: 'f', param: 'where', message: 'required' },
        { code: 'param', node: 'f', param: 'other', message: 'unknown' },
        { code: 'cycle', message: 'no node' },
      ],
      (p) => `${p.param ?? ''}: ${p.message}`,
    );
    expect(runs.getState().running).toBe(false);
    expect(runs.getState().nodes.f).toMatchObject({ status: 'error', record: { error: { param: 'where', message: 'required' } } });
    expect(runs.getState().nodes.src).toBeUndefined();
    expect(runs.getState().log.map((l) => [l.node ?? null, l.text])).toEqual([
      ['f', 'where: required'],
      ['f', 'other: unknown'],
      [null, ': no node'],
      [null, 'run not started — 3 problems in the pipeline'],
    ]);
  });

  it('nodes still queued when a run fails outright are marked cancelled', () => {
    const runs = createRunStore();
    runs.getState().start(doc, ['src', 'f']);
    runs.getState().finish(doc, null, 'the engine stopped');
    expect(Object.values(runs.getState().nodes).map((n) => n.status)).toEqual(['cancelled', 'cancelled']);
    expect(runs.getState().log.at(-1)).toMatchObject({ level: 'error', text: 'the engine stopped' });
  });
});

describe('signatures cache', () => {
  it('is computed once per document version and equals a fresh computation', () => {
    expect(signaturesOf(doc)).toBe(signaturesOf(doc));
    const edited = applyChange(doc, { type: 'set-params', id: 'src', params: { path: 'b.csv' } }).doc;
    expect(signaturesOf(edited)).toEqual(nodeSignatures(structuredClone(edited)));
  });
});

describe('adding nodes', () => {
  it('places a node at a whole-pixel point with a fresh id and empty params', () => {
    expect(addNodeChange(doc, 'transform.filter', { x: 10.6, y: 20.2 })).toEqual({
      type: 'add-node',
      node: { id: 'filter', kind: 'transform.filter', params: {} },
      position: { x: 11, y: 20 },
    });
    expect(() => addNodeChange(doc, 'transform.nope', { x: 0, y: 0 })).toThrow(/unknown kind/);
  });

  it('finds a free spot: nodes added at the same point do not hide each other', () => {
    expect(freeSpot(doc, { x: 300, y: 300 })).toEqual({ x: 300, y: 300 });
    expect(freeSpot(doc, { x: 5, y: -4 })).toEqual({ x: 45, y: 36 });
    const crowded = { ...doc, layout: { ...doc.layout, a: { x: 40, y: 40 } } };
    expect(freeSpot(crowded, { x: 0, y: 0 })).toEqual({ x: 80, y: 80 });
  });
});
