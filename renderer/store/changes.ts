import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../engine/index.ts';

type Point = { x: number; y: number };

/**
 * Every edit of a document, as data. `applyChange` is pure and returns the change that undoes
 * it, so undo/redo is replaying inverses, and the document stays plain JSON (the file itself).
 * Inverses restore the document exactly (positions as they were, layout entries in their
 * place, none where a hand-written file had none): a save after undo diffs clean.
 *
 * `add-node` without `position` and `move` to `null` mean "no layout entry"; `index` and
 * `layoutIndex` put a node, its layout entry and an edge back where they were.
 */
export type PipelineChange =
  | { type: 'add-node'; node: PipelineNode; position?: Point; index?: number; layoutIndex?: number }
  | { type: 'remove-node'; id: string }
  | { type: 'move'; id: string; to: Point | null; layoutIndex?: number }
  | { type: 'set-params'; id: string; params: Record<string, unknown> }
  | { type: 'set-title'; id: string; title: string | undefined }
  | { type: 'connect'; edge: PipelineEdge; index?: number }
  | { type: 'disconnect'; edge: PipelineEdge }
  | { type: 'set-name'; name: string };

export interface Applied {
  doc: PipelineDocument;
  /** Changes that undo this one, in the order to apply them. */
  inverse: PipelineChange[];
}

export function sameEdge(a: PipelineEdge, b: PipelineEdge): boolean {
  return a.from === b.from && a.to === b.to && (a.fromPort ?? '') === (b.fromPort ?? '') && (a.toPort ?? '') === (b.toPort ?? '');
}

export function applyChange(doc: PipelineDocument, change: PipelineChange): Applied {
  switch (change.type) {
    case 'add-node': {
      if (doc.nodes.some((n) => n.id === change.node.id)) throw new Error(`a node "${change.node.id}" already exists`);
      const nodes = [...doc.nodes];
      nodes.splice(change.index ?? nodes.length, 0, change.node);
      const layout = change.position ? withEntry(doc.layout, change.node.id, change.position, change.layoutIndex) : doc.layout;
      return { doc: { ...doc, nodes, layout }, inverse: [{ type: 'remove-node', id: change.node.id }] };
    }
    case 'remove-node': {
      const index = doc.nodes.findIndex((n) => n.id === change.id);
      if (index < 0) return { doc, inverse: [] };
      const node = doc.nodes[index]!;
      const edges = doc.edges.map((e, i) => ({ e, i })).filter(({ e }) => e.from === change.id || e.to === change.id);
      const { [change.id]: position, ...layout } = doc.layout;
      const layoutIndex = Object.keys(doc.layout).indexOf(change.id);
      return {
        doc: { ...doc, nodes: doc.nodes.filter((_, i) => i !== index), edges: doc.edges.filter((e) => e.from !== change.id && e.to !== change.id), layout },
        inverse: [
          { type: 'add-node', node, index, ...(position ? { position, layoutIndex } : {}) },
          ...edges.map(({ e, i }) => ({ type: 'connect' as const, edge: e, index: i })),
        ],
      };
    }
    case 'move': {
      if (!doc.nodes.some((n) => n.id === change.id)) return { doc, inverse: [] };
      const before = doc.layout[change.id] ?? null;
      if (change.to === null) {
        if (!before) return { doc, inverse: [] };
        const { [change.id]: _gone, ...layout } = doc.layout;
        return { doc: { ...doc, layout }, inverse: [{ type: 'move', id: change.id, to: before, layoutIndex: Object.keys(doc.layout).indexOf(change.id) }] };
      }
      const layout = before ? { ...doc.layout, [change.id]: change.to } : withEntry(doc.layout, change.id, change.to, change.layoutIndex);
      return { doc: { ...doc, layout }, inverse: [{ type: 'move', id: change.id, to: before }] };
    }
    case 'set-params': {
      const node = doc.nodes.find((n) => n.id === change.id);
      if (!node) return { doc, inverse: [] };
      return {
        doc: { ...doc, nodes: doc.nodes.map((n) => (n.id === change.id ? { ...n, params: change.params } : n)) },
        inverse: [{ type: 'set-params', id: change.id, params: node.params }],
      };
    }
    case 'set-title': {
      const node = doc.nodes.find((n) => n.id === change.id);
      if (!node) return { doc, inverse: [] };
      const nodes = doc.nodes.map((n) => {
        if (n.id !== change.id) return n;
        const { title: _old, ...rest } = n;
        return change.title ? { ...rest, title: change.title } : rest;
      });
      return { doc: { ...doc, nodes }, inverse: [{ type: 'set-title', id: change.id, title: node.title }] };
    }
    case 'connect': {
      if (doc.edges.some((e) => sameEdge(e, change.edge))) return { doc, inverse: [] };
      const edges = [...doc.edges];
      edges.splice(change.index ?? edges.length, 0, change.edge);
      return { doc: { ...doc, edges }, inverse: [{ type: 'disconnect', edge: change.edge }] };
    }
    case 'disconnect': {
      const index = doc.edges.findIndex((e) => sameEdge(e, change.edge));
      if (index < 0) return { doc, inverse: [] };
      return { doc: { ...doc, edges: doc.edges.filter((_, i) => i !== index) }, inverse: [{ type: 'connect', edge: doc.edges[index]!, index }] };
    }
    case 'set-name':
      return { doc: { ...doc, name: change.name }, inverse: [{ type: 'set-name', name: doc.name }] };
  }
}

/** Applies changes in order; the inverse undoes all of them (in reverse order). */
export function applyChanges(doc: PipelineDocument, changes: PipelineChange[]): Applied {
  let current = doc;
  const inverses: PipelineChange[][] = [];
  for (const c of changes) {
    const r = applyChange(current, c);
    current = r.doc;
    inverses.push(r.inverse);
  }
  return { doc: current, inverse: inverses.reverse().flat() };
}

/**
 * Positions from the screen are fractional; whole pixels keep the file tidy. Callers round what
 * the user placed (applyChange does not, or undo could not restore a file's own positions).
 */
export function roundPoint(p: Point): Point {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}

/** `layout` with `id` set, at key position `index` when given (the file's layout order). */
function withEntry(layout: Record<string, Point>, id: string, p: Point, index?: number): Record<string, Point> {
  const entries = Object.entries(layout).filter(([k]) => k !== id);
  entries.splice(index ?? entries.length, 0, [id, p]);
  return Object.fromEntries(entries);
}
