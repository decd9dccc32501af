import { describe, expect, it } from 'vitest';
import { formatPipeline, type PipelineDocument } from '../../engine/index.ts';
import { applyChange, applyChanges, roundPoint, sameEdge, type PipelineChange } from '../../renderer/store/changes.ts';

/** A small graph with a two-input join, an explicit port edge, a title and fractional positions from a hand-edited file. */
function sample(): PipelineDocument {
  return {
    format: 'kanvas.pipeline',
    version: 1,
    name: 'changes',
    nodes: [
      { id: 'a', kind: 'source.csv', params: { path: 'a.csv' } },
      { id: 'b', kind: 'source.csv', title: 'B side', params: { path: 'b.csv' } },
      { id: 'j', kind: 'transform.join', params: { on: ['id'] } },
      { id: 'f', kind: 'transform.filter', params: { where: 'x > 1' } },
      { id: 'loose', kind: 'transform.limit', params: { n: 5 } },
    ],
    edges: [
      { from: 'a', to: 'j', toPort: 'left' },
      { from: 'b', to: 'j', toPort: 'right' },
      { from: 'j', to: 'f' },
    ],
    // `loose` has no layout entry (a file may leave positions out); `b` sits at a fractional point.
    layout: { a: { x: 0, y: 0 }, j: { x: 260, y: 40 }, b: { x: 0.5, y: 120.25 }, f: { x: 520, y: 40 } },
  };
}

/** Apply, then apply the inverse: the document must come back equal, and byte-equal as a file. */
function roundTrip(doc: PipelineDocument, change: PipelineChange): PipelineDocument {
  const before = structuredClone(doc);
  const { doc: after, inverse } = applyChange(doc, change);
  expect(doc).toEqual(before); // pure: the input is untouched
  const { doc: back } = applyChanges(after, inverse);
  expect(back).toEqual(before);
  expect(formatPipeline(back)).toBe(formatPipeline(before));
  return after;
}

describe('applyChange and its inverse', () => {
  it('add-node appends the node and its position; undone it is gone', () => {
    const after = roundTrip(sample(), { type: 'add-node', node: { id: 'g', kind: 'transform.sort', params: { by: [{ column: 'x' }] } }, position: { x: 10, y: 20 } });
    expect(after.nodes.map((n) => n.id)).toEqual(['a', 'b', 'j', 'f', 'loose', 'g']);
    expect(after.layout.g).toEqual({ x: 10, y: 20 });
  });

  it('add-node at an index and without a position adds no layout entry', () => {
    const after = roundTrip(sample(), { type: 'add-node', node: { id: 'g', kind: 'transform.limit', params: { n: 1 } }, index: 1 });
    expect(after.nodes.map((n) => n.id)).toEqual(['a', 'g', 'b', 'j', 'f', 'loose']);
    expect('g' in after.layout).toBe(false);
  });

  it('add-node refuses an id that is taken', () => {
    expect(() => applyChange(sample(), { type: 'add-node', node: { id: 'f', kind: 'transform.limit', params: {} }, position: { x: 0, y: 0 } })).toThrow(/already exists/);
  });

  it('remove-node takes its edges and position; undo puts node, edges and layout entry back in place', () => {
    const after = roundTrip(sample(), { type: 'remove-node', id: 'j' });
    expect(after.nodes.map((n) => n.id)).toEqual(['a', 'b', 'f', 'loose']);
    expect(after.edges).toEqual([]);
    expect(Object.keys(after.layout)).toEqual(['a', 'b', 'f']);
  });

  it('remove-node keeps a fractional position exact and restores a node that had no position without one', () => {
    const after = roundTrip(sample(), { type: 'remove-node', id: 'b' });
    expect(after.edges).toEqual([
      { from: 'a', to: 'j', toPort: 'left' },
      { from: 'j', to: 'f' },
    ]);
    roundTrip(sample(), { type: 'remove-node', id: 'loose' });
  });

  it('remove-node of a missing id changes nothing', () => {
    const doc = sample();
    const r = applyChange(doc, { type: 'remove-node', id: 'nope' });
    expect(r.doc).toBe(doc);
    expect(r.inverse).toEqual([]);
  });

  it('move sets the position as given; undo restores the old one (fractional too)', () => {
    const after = roundTrip(sample(), { type: 'move', id: 'b', to: { x: 300, y: 301 } });
    expect(after.layout.b).toEqual({ x: 300, y: 301 });
    expect(Object.keys(after.layout)).toEqual(['a', 'j', 'b', 'f']);
  });

  it('move of a node without a position adds one; undo removes it again', () => {
    const after = roundTrip(sample(), { type: 'move', id: 'loose', to: { x: 7, y: 8 } });
    expect(after.layout.loose).toEqual({ x: 7, y: 8 });
  });

  it('move to null removes the entry; undo puts it back at its place in the layout', () => {
    const after = roundTrip(sample(), { type: 'move', id: 'j', to: null });
    expect(Object.keys(after.layout)).toEqual(['a', 'b', 'f']);
  });

  it('move of a node that does not exist changes nothing', () => {
    const doc = sample();
    expect(applyChange(doc, { type: 'move', id: 'ghost', to: { x: 1, y: 1 } }).doc).toBe(doc);
  });

  it('set-params replaces the params of one node only', () => {
    const after = roundTrip(sample(), { type: 'set-params', id: 'f', params: { where: 'x > 2' } });
    expect(after.nodes.find((n) => n.id === 'f')!.params).toEqual({ where: 'x > 2' });
    expect(after.nodes.filter((n) => n.id !== 'f')).toEqual(sample().nodes.filter((n) => n.id !== 'f'));
  });

  it('set-title sets, replaces and clears a title (an empty title leaves the file)', () => {
    expect(roundTrip(sample(), { type: 'set-title', id: 'a', title: 'Customers' }).nodes[0]!.title).toBe('Customers');
    expect(roundTrip(sample(), { type: 'set-title', id: 'b', title: 'Other' }).nodes[1]!.title).toBe('Other');
    expect('title' in roundTrip(sample(), { type: 'set-title', id: 'b', title: undefined }).nodes[1]!).toBe(false);
    expect('title' in roundTrip(sample(), { type: 'set-title', id: 'b', title: '' }).nodes[1]!).toBe(false);
  });

  it('connect appends (or inserts at index) an edge; connecting an existing edge is a no-op', () => {
    const after = roundTrip(sample(), { type: 'connect', edge: { from: 'f', to: 'loose' } });
    expect(after.edges.at(-1)).toEqual({ from: 'f', to: 'loose' });
    expect(roundTrip(sample(), { type: 'connect', edge: { from: 'f', to: 'loose' }, index: 0 }).edges[0]).toEqual({ from: 'f', to: 'loose' });
    const doc = sample();
    const same = applyChange(doc, { type: 'connect', edge: { from: 'j', to: 'f' } });
    expect(same.doc).toBe(doc);
    expect(same.inverse).toEqual([]);
  });

  it('disconnect removes the edge; undo puts it back at its index with its port names', () => {
    const after = roundTrip(sample(), { type: 'disconnect', edge: { from: 'a', to: 'j', toPort: 'left' } });
    expect(after.edges).toEqual([
      { from: 'b', to: 'j', toPort: 'right' },
      { from: 'j', to: 'f' },
    ]);
    const doc = sample();
    expect(applyChange(doc, { type: 'disconnect', edge: { from: 'a', to: 'f' } }).doc).toBe(doc);
  });

  it('set-name renames the pipeline', () => {
    expect(roundTrip(sample(), { type: 'set-name', name: 'renamed' }).name).toBe('renamed');
  });

  it('a batch is undone by one inverse list, in reverse order', () => {
    const doc = sample();
    const batch: PipelineChange[] = [
      { type: 'disconnect', edge: { from: 'j', to: 'f' } },
      { type: 'remove-node', id: 'b' },
      { type: 'remove-node', id: 'j' },
      { type: 'add-node', node: { id: 'j', kind: 'transform.filter', params: { where: 'y' } }, position: { x: 1, y: 2 } },
      { type: 'connect', edge: { from: 'a', to: 'j' } },
      { type: 'set-name', name: 'batch' },
    ];
    const { doc: after, inverse } = applyChanges(doc, batch);
    expect(after.nodes.map((n) => n.id)).toEqual(['a', 'f', 'loose', 'j']);
    expect(after.edges).toEqual([{ from: 'a', to: 'j' }]);
    const back = applyChanges(after, inverse).doc;
    expect(back).toEqual(sample());
    expect(formatPipeline(back)).toBe(formatPipeline(sample()));
  });

  it('edges are the same whether a lone port is named or left out', () => {
    expect(sameEdge({ from: 'a', to: 'b' }, { from: 'a', to: 'b', fromPort: undefined })).toBe(true);
    expect(sameEdge({ from: 'a', to: 'b', toPort: 'left' }, { from: 'a', to: 'b', toPort: 'right' })).toBe(false);
  });

  it('rounds screen positions to whole pixels', () => {
    expect(roundPoint({ x: 10.4, y: -3.6 })).toEqual({ x: 10, y: -4 });
  });
});
