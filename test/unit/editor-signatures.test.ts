import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../engine/index.ts';
import { applyChange } from '../../renderer/store/changes.ts';
import { nodeSignatures } from '../../renderer/store/signatures.ts';

// a → f → agg → top, with b → j(right) and f → j(left) on a side branch.
function doc(): PipelineDocument {
  return {
    format: 'kanvas.pipeline',
    version: 1,
    name: 'sig',
    nodes: [
      { id: 'a', kind: 'source.csv', params: { path: 'a.csv' } },
      { id: 'b', kind: 'source.csv', params: { path: 'b.csv' } },
      { id: 'f', kind: 'transform.filter', params: { where: 'x > 1' } },
      { id: 'agg', kind: 'transform.aggregate', params: { groupBy: ['k'], aggregates: [{ fn: 'count' }] } },
      { id: 'top', kind: 'transform.limit', params: { n: 10 } },
      { id: 'j', kind: 'transform.join', params: { on: ['id'] } },
    ],
    edges: [
      { from: 'a', to: 'f' },
      { from: 'f', to: 'agg' },
      { from: 'agg', to: 'top' },
      { from: 'f', to: 'j', toPort: 'left' },
      { from: 'b', to: 'j', toPort: 'right' },
    ],
    layout: {},
  };
}

/** Ids whose signature differs between two documents. */
function changed(before: PipelineDocument, after: PipelineDocument): string[] {
  const s0 = nodeSignatures(before);
  const s1 = nodeSignatures(after);
  return Object.keys({ ...s0, ...s1 }).filter((id) => s0[id] !== s1[id]).sort();
}

describe('node signatures (stale detection)', () => {
  it('gives every node a signature, stable for an equal document', () => {
    const s = nodeSignatures(doc());
    expect(Object.keys(s).sort()).toEqual(['a', 'agg', 'b', 'f', 'j', 'top']);
    expect(new Set(Object.values(s)).size).toBe(6);
    expect(nodeSignatures(doc())).toEqual(s);
  });

  it('a param change marks that node and everything downstream, nothing else', () => {
    const d = doc();
    expect(changed(d, applyChange(d, { type: 'set-params', id: 'f', params: { where: 'x > 2' } }).doc)).toEqual(['agg', 'f', 'j', 'top']);
    expect(changed(d, applyChange(d, { type: 'set-params', id: 'agg', params: { groupBy: ['k'], aggregates: [{ fn: 'count', as: 'n' }] } }).doc)).toEqual(['agg', 'top']);
    expect(changed(d, applyChange(d, { type: 'set-params', id: 'top', params: { n: 5 } }).doc)).toEqual(['top']);
    expect(changed(d, applyChange(d, { type: 'set-params', id: 'b', params: { path: 'c.csv' } }).doc)).toEqual(['b', 'j']);
  });

  it('param key order, titles and positions do not matter', () => {
    const d = doc();
    expect(changed(d, applyChange(d, { type: 'set-params', id: 'agg', params: { aggregates: [{ fn: 'count' }], groupBy: ['k'] } }).doc)).toEqual([]);
    expect(changed(d, applyChange(d, { type: 'set-title', id: 'f', title: 'Filtered' }).doc)).toEqual([]);
    expect(changed(d, applyChange(d, { type: 'move', id: 'f', to: { x: 9, y: 9 } }).doc)).toEqual([]);
  });

  it('rewiring marks the node whose inputs changed and its downstream', () => {
    const d = doc();
    const swapped = { ...d, edges: d.edges.map((e) => (e.to === 'j' ? { ...e, toPort: e.toPort === 'left' ? 'right' : 'left' } : e)) };
    expect(changed(d, swapped)).toEqual(['j']);
    expect(changed(d, applyChange(d, { type: 'disconnect', edge: { from: 'agg', to: 'top' } }).doc)).toEqual(['top']);
  });

  it('a kind version change marks the node stale', () => {
    const d = doc();
    const bumped = { ...d, nodes: d.nodes.map((n) => (n.id === 'top' ? { ...n, version: 2 } : n)) };
    expect(changed(d, bumped)).toEqual(['top']);
  });

  it('survives a cycle (an invalid document mid-edit) without recursing forever', () => {
    const d = doc();
    const cyclic = { ...d, edges: [...d.edges, { from: 'top', to: 'f' }] };
    const s = nodeSignatures(cyclic);
    expect(Object.keys(s)).toHaveLength(6);
  });
});
