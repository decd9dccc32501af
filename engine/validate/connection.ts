import type { NodeDefinition } from '../catalog/define-node.ts';
import { portsCompatible } from '../catalog/ports.ts';
import type { PipelineDocument, PipelineEdge } from '../document/schema.ts';
import { upstreamOf } from '../graph/graph.ts';

/** Output and input port names of an edge, filling in the only port where one is left out. */
export function edgePorts(doc: PipelineDocument, catalog: ReadonlyMap<string, NodeDefinition>, edge: PipelineEdge): { fromPort?: string; toPort?: string } {
  const kindOf = (id: string) => catalog.get(doc.nodes.find((n) => n.id === id)?.kind ?? '');
  const only = (ports: Record<string, unknown> | undefined) => (ports && Object.keys(ports).length === 1 ? Object.keys(ports)[0] : undefined);
  return { fromPort: edge.fromPort ?? only(kindOf(edge.from)?.outputs), toPort: edge.toPort ?? only(kindOf(edge.to)?.inputs) };
}

/**
 * Why a new edge may not be made, or null if it may: the one rule the editor asks while the
 * user drags a connection, and the same checks `validatePipeline` makes on load.
 */
export function connectionProblem(
  doc: PipelineDocument,
  catalog: ReadonlyMap<string, NodeDefinition>,
  edge: { from: string; fromPort: string; to: string; toPort: string },
): string | null {
  const from = doc.nodes.find((n) => n.id === edge.from);
  const to = doc.nodes.find((n) => n.id === edge.to);
  const out = from && own(catalog.get(from.kind)?.outputs, edge.fromPort);
  const inp = to && own(catalog.get(to.kind)?.inputs, edge.toPort);
  if (!from || !to || !out || !inp) return 'unknown node or port';
  if (edge.from === edge.to) return 'a node cannot feed itself';
  if (!portsCompatible(out.type, inp.type)) return `a ${out.type} output cannot feed a ${inp.type} input`;
  const taken = doc.edges.find((e) => e.to === edge.to && edgePorts(doc, catalog, e).toPort === edge.toPort);
  if (taken) return `input "${edge.toPort}" of "${edge.to}" is already connected from "${taken.from}"`;
  if (upstreamOf(edge.from, doc.edges).has(edge.to)) return `"${edge.to}" is upstream of "${edge.from}": this edge would make a cycle`;
  return null;
}

/** A port by name; names come from the DOM, and `toString` is not a port. */
function own<T>(ports: Record<string, T> | undefined, name: string): T | undefined {
  return ports && Object.hasOwn(ports, name) ? ports[name] : undefined;
}
