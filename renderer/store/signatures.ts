import type { PipelineDocument, PipelineNode } from '../../engine/index.ts';
import { canonicalJson, hash } from '../../engine/exec/fingerprint.ts';

/**
 * A text per node that changes when the node or anything upstream of it changes (kind,
 * params, connections). The UI marks a node stale when its signature differs from the one it
 * had when it last ran. (The engine's cache keys also cover files on disk; this is the
 * document's part, which the editor can know without asking the engine.)
 */
export function nodeSignatures(doc: PipelineDocument): Record<string, string> {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.to, [...(inputs.get(e.to) ?? []), `${e.toPort ?? ''}<-${e.from}.${e.fromPort ?? ''}`]);
  const memo: Record<string, string> = {};
  const visiting = new Set<string>();
  const sig = (id: string): string => {
    if (memo[id] !== undefined) return memo[id]!;
    if (visiting.has(id)) return 'cycle';
    visiting.add(id);
    const node = byId.get(id);
    const ups = (inputs.get(id) ?? []).sort().map((i) => `${i}=${sig(i.split('<-')[1]!.split('.')[0]!)}`);
    memo[id] = node ? ownSignature(node, ups) : hash(canonicalJson([null, 1, {}, ups]));
    visiting.delete(id);
    return memo[id]!;
  };
  for (const n of doc.nodes) sig(n.id);
  return memo;
}

/**
 * Hashing every node on every edit is most of an edit's cost in a large graph. A node object
 * is never changed in place (edits replace it), so its hash is kept per object and inputs.
 */
const byNode = new WeakMap<PipelineNode, { ups: string; sig: string }>();

function ownSignature(node: PipelineNode, ups: string[]): string {
  const key = ups.join('\n');
  const known = byNode.get(node);
  if (known?.ups === key) return known.sig;
  const sig = hash(canonicalJson([node.kind, node.version ?? 1, node.params, ups]));
  byNode.set(node, { ups: key, sig });
  return sig;
}

const cache = new WeakMap<PipelineDocument, Record<string, string>>();

/** `nodeSignatures`, computed once per document version (the canvas and the inspector both ask). */
export function signaturesOf(doc: PipelineDocument): Record<string, string> {
  let s = cache.get(doc);
  if (!s) cache.set(doc, (s = nodeSignatures(doc)));
  return s;
}
