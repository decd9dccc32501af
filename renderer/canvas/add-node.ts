import { catalog, sourceKindByExtension, type PipelineDocument } from '../../engine/index.ts';
import type { Session } from '../app/context.ts';
import { roundPoint, type PipelineChange } from '../store/changes.ts';
import { newNodeId } from '../store/editor-store.ts';

/** A new node of `kind` at `position`, with a fresh id; its params start at their defaults. */
export function addNodeChange(doc: PipelineDocument, kind: string, position: { x: number; y: number }, params: Record<string, unknown> = {}): Extract<PipelineChange, { type: 'add-node' }> {
  if (!catalog.has(kind)) throw new Error(`unknown kind ${kind}`);
  return { type: 'add-node', node: { id: newNodeId(doc, kind), kind, params }, position: roundPoint(position) };
}

/**
 * `at`, or the first point down and to the right of it that no node starts near: kinds added
 * by double-click all aim at the middle of the view and would otherwise hide one another.
 */
export function freeSpot(doc: PipelineDocument, at: { x: number; y: number }, step = 40): { x: number; y: number } {
  const taken = Object.values(doc.layout);
  let p = roundPoint(at);
  while (taken.some((q) => Math.abs(q.x - p.x) < step / 2 && Math.abs(q.y - p.y) < step / 2)) p = { x: p.x + step, y: p.y + step };
  return p;
}


/** Dropped data files become readable beside the pipeline and get a source node each. */
export async function dropFiles(session: Session, files: File[], baseDir: string, at: { x: number; y: number }) {
  const changes: PipelineChange[] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
  let doc = session.editor.getState().doc;
  for (const file of files) {
    const kind = sourceKindByExtension[file.name.split('.').pop()?.toLowerCase() ?? ''];
    if (!kind) {
      skipped.push(file.name);
      continue;
    }
    let path: string;
    try {
      path = await session.host.dropDataFile(file, baseDir);
    } catch (err) {
      failed.push(`${file.name}: ${(err as Error).message}`);
      continue;
    }
    const change = addNodeChange(doc, kind, { x: at.x, y: at.y + changes.length * 110 }, { path });
    changes.push(change);
    doc = { ...doc, nodes: [...doc.nodes, change.node] };
  }
  return { changes, skipped, failed };
}
