import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';

export const limit = defineNode({
  kind: 'transform.limit',
  version: 1,
  title: 'Limit',
  category: 'transform',
  description: 'Keeps the first n rows (after skipping `offset`).',
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z.strictObject({
    n: z.number().int().min(0).meta({ description: 'How many rows to keep.' }),
    offset: z.number().int().min(0).default(0).meta({ description: 'How many rows to skip first.' }),
  }),
  sql: ({ in: input }, p) => `SELECT * FROM ${input} LIMIT ${p.n}${p.offset ? ` OFFSET ${p.offset}` : ''}`,
});
