import ELK from 'elkjs/lib/elk.bundled.js';
import { catalog, type PipelineDocument } from '../../engine/index.ts';
import { roundPoint, type PipelineChange } from '../store/changes.ts';

const elk = new ELK();

/** Left-to-right layered layout (elkjs); returns the moves, so it is one undoable step. */
export async function autoLayout(doc: PipelineDocument): Promise<PipelineChange[]> {
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
    },
    children: doc.nodes.map((n) => {
      const def = catalog.get(n.kind);
      const ports = Math.max(Object.keys(def?.inputs ?? {}).length, Object.keys(def?.outputs ?? {}).length, 1);
      return { id: n.id, width: 200, height: 84 + ports * 18 };
    }),
    edges: doc.edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  return (graph.children ?? []).map((c) => ({ type: 'move' as const, id: c.id, to: roundPoint({ x: c.x ?? 0, y: c.y ?? 0 }) }));
}
