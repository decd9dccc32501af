import { z } from 'zod';
import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../engine/index.ts';
import { layoutEntry, pipelineEdge, pipelineNode } from '../../engine/document/schema.ts';
import { roundPoint, type PipelineChange } from '../store/changes.ts';
import { newNodeId } from '../store/editor-store.ts';

export interface Clip {
  kanvas: 'nodes';
  nodes: PipelineNode[];
  edges: PipelineEdge[];
  layout: Record<string, { x: number; y: number }>;
}

/** Clipboard text comes from anywhere (another tab, an older build, a person): checked whole. */
const clipSchema = z.object({
  kanvas: z.literal('nodes'),
  nodes: z.array(pipelineNode),
  edges: z.array(pipelineEdge),
  layout: z.record(z.string(), layoutEntry).default({}),
});

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
    changes.push({ type: 'add-node', node: copy, position: roundPoint({ x: at.x + offset, y: at.y + offset }) });
    current = { ...current, nodes: [...current.nodes, copy] };
  }
  // An edge to a node outside the clip has nothing to attach to in the copy.
  for (const e of clip.edges) {
    const from = rename.get(e.from);
    const to = rename.get(e.to);
    if (from && to) changes.push({ type: 'connect', edge: { ...e, from, to } });
  }
  return { changes, ids: [...rename.values()] };
}

export function parseClip(text: string): Clip | null {
  try {
    const parsed = clipSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
