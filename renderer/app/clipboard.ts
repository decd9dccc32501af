import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../engine/index.ts';
import type { PipelineChange } from '../store/changes.ts';
import { newNodeId } from '../store/editor-store.ts';

export interface Clip {
  kanvas: 'nodes';
  nodes: PipelineNode[];
  edges: PipelineEdge[];
  layout: Record<string, { x: number; y: number }>;
}

/** The selected nodes, the edges between them and their positions. */
export function copyNodes(doc: PipelineDocument, ids: string[]): Clip {
  const set = new Set(ids);
  return {
    kanvas: 'nodes',
    nodes: doc.nodes.filter((n) => set.has(n.id)),
    edges: doc.edges.filter((e) => set.has(e.from) && set.has(e.to)),
    layout: Object.fromEntries(ids.filter((id) => doc.layout[id]).map((id) => [id, doc.layout[id]!])),
  };
}

/** Changes that add a clip's nodes under fresh ids, shifted so copies do not hide the originals. */
export function pasteChanges(doc: PipelineDocument, clip: Clip, offset = 40): { changes: PipelineChange[]; ids: string[] } {
  let current = doc;
  const rename = new Map<string, string>();
  const changes: PipelineChange[] = [];
  for (const node of clip.nodes) {
    const id = newNodeId(current, node.kind);
    rename.set(node.id, id);
    const copy = { ...node, id };
    const at = clip.layout[node.id] ?? { x: 0, y: 0 };
    changes.push({ type: 'add-node', node: copy, position: { x: at.x + offset, y: at.y + offset } });
    current = { ...current, nodes: [...current.nodes, copy] };
  }
  for (const e of clip.edges) changes.push({ type: 'connect', edge: { ...e, from: rename.get(e.from)!, to: rename.get(e.to)! } });
  return { changes, ids: [...rename.values()] };
}

export function parseClip(text: string): Clip | null {
  try {
    const v = JSON.parse(text) as Clip;
    return v && v.kanvas === 'nodes' && Array.isArray(v.nodes) && Array.isArray(v.edges) ? v : null;
  } catch {
    return null;
  }
}
