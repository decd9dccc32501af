import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../engine/index.ts';
import { createEditorStore, emptyDocument, newNodeId } from '../../renderer/store/editor-store.ts';

const node = (id: string, kind = 'transform.filter', params: Record<string, unknown> = { where: 'x > 0' }) => ({ id, kind, params });

function twoNodes(): PipelineDocument {
  return {
    ...emptyDocument('store'),
    nodes: [node('src', 'source.csv', { path: 'a.csv' }), node('f')],
    edges: [{ from: 'src', to: 'f' }],
    layout: { src: { x: 0, y: 0 }, f: { x: 200, y: 0 } },
  };
}

const where = (doc: PipelineDocument, id = 'f') => doc.nodes.find((n) => n.id === id)?.params.where;

describe('editor store', () => {
  it('undoes and redoes batches as single steps, back to the identical documents', () => {
    const store = createEditorStore(twoNodes(), 'x.kanvas.json');
    const d0 = store.getState().doc;
    store.getState().apply([
      { type: 'add-node', node: node('g'), position: { x: 400, y: 0 } },
      { type: 'connect', edge: { from: 'f', to: 'g' } },
    ]);
    const d1 = store.getState().doc;
    store.getState().apply([{ type: 'remove-node', id: 'f' }]);
    const d2 = store.getState().doc;
    expect(d2.nodes.map((n) => n.id)).toEqual(['src', 'g']);
    expect(d2.edges).toEqual([]);
    expect(store.getState().past).toHaveLength(2);

    store.getState().undo();
    expect(store.getState().doc).toEqual(d1);
    store.getState().undo();
    expect(store.getState().doc).toEqual(d0);
    expect(store.getState().past).toHaveLength(0);
    store.getState().undo(); // nothing left: no change
    expect(store.getState().doc).toEqual(d0);

    store.getState().redo();
    expect(store.getState().doc).toEqual(d1);
    store.getState().redo();
    expect(store.getState().doc).toEqual(d2);
    expect(store.getState().future).toHaveLength(0);
  });

  it('a new edit after undo drops the redo history', () => {
    const store = createEditorStore(twoNodes());
    store.getState().apply([{ type: 'set-name', name: 'one' }]);
    store.getState().undo();
    expect(store.getState().future).toHaveLength(1);
    store.getState().apply([{ type: 'set-name', name: 'two' }]);
    expect(store.getState().future).toHaveLength(0);
    store.getState().redo();
    expect(store.getState().doc.name).toBe('two');
  });

  it('edits that change nothing make no undo step', () => {
    const store = createEditorStore(twoNodes());
    store.getState().apply([{ type: 'connect', edge: { from: 'src', to: 'f' } }]);
    store.getState().apply([]);
    expect(store.getState().past).toHaveLength(0);
  });

  it('merge keys coalesce typing into one undo step', () => {
    const store = createEditorStore(twoNodes());
    const original = store.getState().doc;
    for (const text of ['x', 'x >', 'x > 5']) store.getState().apply([{ type: 'set-params', id: 'f', params: { where: text } }], { merge: 'params:f' });
    expect(where(store.getState().doc)).toBe('x > 5');
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().doc).toEqual(original);
    store.getState().redo();
    expect(where(store.getState().doc)).toBe('x > 5');
  });

  it('a different merge key, or an edit without one, starts a new step', () => {
    const store = createEditorStore(twoNodes());
    store.getState().apply([{ type: 'set-params', id: 'f', params: { where: 'a' } }], { merge: 'params:f' });
    store.getState().apply([{ type: 'set-title', id: 'f', title: 'T' }], { merge: 'title:f' });
    store.getState().apply([{ type: 'set-params', id: 'f', params: { where: 'ab' } }], { merge: 'params:f' });
    store.getState().apply([{ type: 'move', id: 'f', to: { x: 1, y: 1 } }]);
    store.getState().apply([{ type: 'set-params', id: 'f', params: { where: 'abc' } }], { merge: 'params:f' });
    expect(store.getState().past).toHaveLength(5);
  });

  it('stops merging after undo: typing again is a separate step', () => {
    const store = createEditorStore(twoNodes());
    store.getState().apply([{ type: 'set-params', id: 'f', params: { where: 'a' } }], { merge: 'params:f' });
    store.getState().apply([{ type: 'set-params', id: 'f', params: { where: 'ab' } }], { merge: 'params:f' });
    store.getState().apply([{ type: 'set-name', name: 'n' }]);
    store.getState().undo();
    expect(store.getState().openMerge).toBeNull();
    store.getState().apply([{ type: 'set-params', id: 'f', params: { where: 'abc' } }], { merge: 'params:f' });
    expect(store.getState().past).toHaveLength(2);
    store.getState().undo();
    expect(where(store.getState().doc)).toBe('ab');
    store.getState().undo();
    expect(where(store.getState().doc)).toBe('x > 0');
  });

  it('stops merging after redo too', () => {
    const store = createEditorStore(twoNodes());
    store.getState().apply([{ type: 'set-params', id: 'f', params: { where: 'a' } }], { merge: 'params:f' });
    store.getState().undo();
    store.getState().redo();
    store.getState().apply([{ type: 'set-params', id: 'f', params: { where: 'ab' } }], { merge: 'params:f' });
    expect(store.getState().past).toHaveLength(2);
  });

  it('prunes the selection when selected nodes go, by an edit or by undo/redo', () => {
    const store = createEditorStore(twoNodes());
    store.getState().select(['src', 'f']);
    store.getState().apply([{ type: 'remove-node', id: 'f' }]);
    expect(store.getState().selection).toEqual(['src']);
    store.getState().undo(); // f is back, but not re-selected
    expect(store.getState().selection).toEqual(['src']);

    store.getState().apply([{ type: 'add-node', node: node('g'), position: { x: 0, y: 0 } }]);
    store.getState().select(['g']);
    store.getState().undo(); // the added node disappears with its selection
    expect(store.getState().selection).toEqual([]);
    store.getState().redo();
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(['src', 'f', 'g']);
    store.getState().select(['f', 'g']);
    store.getState().apply([{ type: 'remove-node', id: 'g' }, { type: 'remove-node', id: 'f' }]);
    expect(store.getState().selection).toEqual([]);
    store.getState().undo();
    store.getState().select(['g']);
    store.getState().redo(); // redoing a removal prunes as well
    expect(store.getState().selection).toEqual([]);
  });

  it('keeps the same selection array when nothing selected went (no needless re-renders)', () => {
    const store = createEditorStore(twoNodes());
    store.getState().select(['f']);
    const before = store.getState().selection;
    store.getState().apply([{ type: 'move', id: 'f', to: { x: 5, y: 5 } }]);
    expect(store.getState().selection).toBe(before);
  });

  it('tracks dirty state against what was opened or saved', () => {
    const store = createEditorStore();
    const doc = twoNodes();
    store.getState().open(doc, 'p.kanvas.json', '/examples/p');
    expect(store.getState()).toMatchObject({ doc, saved: doc, fileName: 'p.kanvas.json', baseDir: '/examples/p', past: [], future: [], selection: [] });
    store.getState().apply([{ type: 'set-name', name: 'changed' }]);
    expect(store.getState().doc).not.toBe(store.getState().saved);
    store.getState().markSaved('q.kanvas.json');
    expect(store.getState().doc).toBe(store.getState().saved);
    expect(store.getState().fileName).toBe('q.kanvas.json');
  });
});

describe('newNodeId', () => {
  it('uses the kind name, numbered from 2 when taken, filling gaps', () => {
    const doc = emptyDocument();
    expect(newNodeId(doc, 'transform.filter')).toBe('filter');
    const withFilter = { ...doc, nodes: [node('filter')] };
    expect(newNodeId(withFilter, 'transform.filter')).toBe('filter_2');
    const withThree = { ...doc, nodes: [node('filter'), node('filter_3')] };
    expect(newNodeId(withThree, 'transform.filter')).toBe('filter_2');
    const withTwo = { ...doc, nodes: [node('filter'), node('filter_2')] };
    expect(newNodeId(withTwo, 'transform.filter')).toBe('filter_3');
    expect(newNodeId(withFilter, 'analysis.profile')).toBe('profile');
  });

  it('makes ids a pipeline file accepts', () => {
    expect(newNodeId(emptyDocument(), 'source.csv')).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
  });
});
