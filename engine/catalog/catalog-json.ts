import { z } from 'zod';
import type { NodeDefinition } from './define-node.ts';

/** The catalog as plain JSON: kinds, ports and params as JSON Schema (`kanvas catalog --json`). */
export function catalogJson(catalog: ReadonlyMap<string, NodeDefinition>) {
  return [...catalog.values()].map((def) => ({
    kind: def.kind,
    version: def.version,
    title: def.title,
    category: def.category,
    description: def.description,
    ...(def.docs ? { docs: def.docs } : {}),
    inputs: def.inputs,
    outputs: def.outputs,
    params: z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }),
  }));
}
