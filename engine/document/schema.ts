import { z } from 'zod';

export const FORMAT = 'kanvas.pipeline';
/** The document format version this build writes. */
export const CURRENT_VERSION = 1;

export const nodeId = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'expected an id of letters, digits, "_" and "-", not starting with a digit or "-"')
  .max(64, 'expected at most 64 characters');

export const pipelineNode = z.strictObject({
  id: nodeId,
  kind: z.string().regex(/^[a-z]+\.[a-z_]+$/, 'expected "category.name", e.g. "transform.filter"'),
  /** The kind's version the params were written for; absent means 1. */
  version: z.number().int().min(1).optional(),
  title: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const pipelineEdge = z.strictObject({
  from: nodeId,
  fromPort: z.string().min(1).optional(),
  to: nodeId,
  toPort: z.string().min(1).optional(),
});

export const layoutEntry = z.strictObject({
  x: z.number().finite(),
  y: z.number().finite(),
});

export const pipelineDocument = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(CURRENT_VERSION),
  name: z.string(),
  description: z.string().optional(),
  nodes: z.array(pipelineNode),
  edges: z.array(pipelineEdge).default([]),
  /** Canvas positions, apart from logic: moving a node changes one line here and nothing else. */
  layout: z.record(z.string(), layoutEntry).default({}),
});

export type PipelineDocument = z.output<typeof pipelineDocument>;
export type PipelineNode = z.output<typeof pipelineNode>;
export type PipelineEdge = z.output<typeof pipelineEdge>;
