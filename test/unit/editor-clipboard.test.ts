import { describe, expect, it } from 'vitest';
import { loadDocument, type PipelineDocument } from '../../engine/index.ts';
import { copyNodes, parseClip, pasteChanges } from '../../renderer/app/clipboard.ts';
import { applyChanges } from '../../renderer/store/changes.ts';

function doc(): PipelineDocument {
  return {
    format: 'kanvas.pipeline',
    version: 1,
    name: 'clip',
    nodes: [
      { id: 'csv', kind: 'source.csv', params: { path: 'a.csv' } },
      { id: 'filter', kind: 'transform.filter', title: 'Big ones', params: { where: 'x > 1' } },
      { id: 'aggregate', kind: 'transform.aggregate', params: { aggregates: [{ fn: 'count' }] } },
      { id: 'other', kind: 'source.csv', params: { path: 'b.csv' } },
    ],
    edges: [
      { from: 'csv', to: 'filter' },
      { from: 'filter', to: 'aggregate' },
    ],
    layout: { csv: { x: 0, y: 0 }, filter: { x: 250, y: 10 }, aggregate: { x: 500, y: 20 } },
  };
}

describe('copy and paste', () => {
  it('copies the selected nodes, only the edges between them, and their positions', () => {
    const clip = copyNodes(doc(), ['filter', 'aggregate', 'other']);
    expect(clip.nodes.map((n) => n.id)).toEqual(['filter', 'aggregate', 'other']);
    expect(clip.edges).toEqual([{ from: 'filter', to: 'aggregate' }]);
    expect(clip.layout).toEqual({ filter: { x: 250, y: 10 }, aggregate: { x: 500, y: 20 } });
  });

  it('pastes under fresh ids, remapping edges, shifted from the originals', () => {
    const d = doc();
    const { changes, ids } = pasteChanges(d, copyNodes(d, ['csv', 'filter', 'aggregate']));
    expect(ids).toEqual(['csv_2', 'filter_2', 'aggregate_2']);
    const pasted = applyChanges(d, changes).doc;
    expect(pasted.nodes.slice(4)).toEqual([
      { id: 'csv_2', kind: 'source.csv', params: { path: 'a.csv' } },
      { id: 'filter_2', kind: 'transform.filter', title: 'Big ones', params: { where: 'x > 1' } },
      { id: 'aggregate_2', kind: 'transform.aggregate', params: { aggregates: [{ fn: 'count' }] } },
    ]);
    expect(pasted.edges.slice(2)).toEqual([
      { from: 'csv_2', to: 'filter_2' },
      { from: 'filter_2', to: 'aggregate_2' },
    ]);
    expect(pasted.layout.filter_2).toEqual({ x: 290, y: 50 });
    expect(pasted.layout.other).toBeUndefined();
    expect(loadDocument(pasted).ok).toBe(true);
    // The originals are untouched, and a second paste numbers on.
    expect(pasted.nodes.slice(0, 4)).toEqual(d.nodes);
    expect(pasteChanges(pasted, copyNodes(d, ['filter'])).ids).toEqual(['filter_3']);
  });

  it('pasting is one batch: its inverse removes everything it added', () => {
    const d = doc();
    const { changes } = pasteChanges(d, copyNodes(d, ['csv', 'filter']));
    const { doc: after, inverse } = applyChanges(d, changes);
    expect(applyChanges(after, inverse).doc).toEqual(d);
  });

  it('round-trips through clipboard text and rejects text that is not a clip', () => {
    const clip = copyNodes(doc(), ['csv', 'filter']);
    expect(parseClip(JSON.stringify(clip))).toEqual(clip);
    expect(parseClip('hello')).toBeNull();
    expect(parseClip('{"kanvas":"nodes"}')).toBeNull();
    expect(parseClip('{"kanvas":"nodes","nodes":[{"id":"x"}],"edges":[]}')).toBeNull();
    expect(parseClip('{"kanvas":"nodes","nodes":[{"id":"1x","kind":"transform.filter","params":{}}],"edges":[]}')).toBeNull();
  });

  it('drops edges of a foreign clip that point outside it', () => {
    const text = JSON.stringify({
      kanvas: 'nodes',
      nodes: [{ id: 'f', kind: 'transform.filter', params: { where: 'y' } }],
      edges: [{ from: 'elsewhere', to: 'f' }],
    });
    const clip = parseClip(text)!;
    expect(clip.layout).toEqual({});
    const { changes, ids } = pasteChanges(doc(), clip);
    expect(ids).toEqual(['filter_2']);
    expect(changes).toEqual([{ type: 'add-node', node: { id: 'filter_2', kind: 'transform.filter', params: { where: 'y' } }, position: { x: 40, y: 40 } }]);
  });
});
