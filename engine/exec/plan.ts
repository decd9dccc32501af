import { isRunNode } from '../catalog/define-node.ts';
import { upstreamOf } from '../graph/graph.ts';
import type { ResolvedPipeline } from '../validate/validate.ts';

/** The nodes a run executes, in topological order: all, or the targets and what they need. */
export function neededNodes(p: ResolvedPipeline, targets?: string[]): string[] {
  if (!targets?.length) return p.order;
  const needed = new Set(targets);
  for (const t of targets) for (const u of upstreamOf(t, p.edges)) needed.add(u);
  return p.order.filter((id) => needed.has(id));
}

/**
 * Which SQL nodes store their output as a table; every other SQL node is fused, as a CTE, into
 * the one query of the node that consumes it, so DuckDB optimizes the whole chain at once.
 * A SQL node is stored when its output
 * - feeds more than one consumer (a branch) or none in this run (an end, or a run target);
 * - feeds a non-SQL kind other than a sink (models and analyses take tables), or a kind that
 *   needs a stored input (row-order-dependent: sample, split);
 * - is one of several outputs, or the kind asks for it (aggregates: small, worth caching, and
 *   the natural point to resume from when a later node is edited);
 * - is asked for (previews, `--emit-all`).
 * Sinks take a fused input: their query is copied straight into the file.
 */
export function planMaterialized(p: ResolvedPipeline, needed: Set<string>, extra?: string[] | 'all'): Set<string> {
  const stored = new Set<string>();
  for (const id of needed) {
    const node = p.nodes.get(id)!;
    const def = node.def;
    if (isRunNode(def)) continue;
    const consumers = [...node.outputs.values()].flat().filter((e) => needed.has(e.to));
    const consumer = consumers.length === 1 ? p.nodes.get(consumers[0]!.to)!.def : undefined;
    const store =
      extra === 'all' ||
      (extra?.includes(id) ?? false) ||
      Object.keys(def.outputs).length !== 1 ||
      def.materialize === true ||
      consumer === undefined ||
      (isRunNode(consumer) ? !consumer.writes : consumer.materializedInputs === true);
    if (store) stored.add(id);
  }
  return stored;
}
