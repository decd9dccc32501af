import { catalog, type NodeDefinition } from '../../engine/index.ts';

/** Kinds matching every word of `query` in their kind, title or description. */
export function searchKinds(query: string): NodeDefinition[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return [...catalog.values()].filter((def) => {
    const text = `${def.kind} ${def.title} ${def.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
