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
  codegen: {
    pandas: (p) => ({ step: `.iloc[${p.offset ? p.offset : ''}:${p.offset + p.n}]` }),
    pyspark: (p) => ({ step: `${p.offset ? `.offset(${p.offset})` : ''}.limit(${p.n})` }),
    beam: (p, ctx) => {
      const take = `beam.Map(lambda rows: rows[${p.offset ? p.offset : ''}:${p.offset + p.n}])`;
      return ctx.ordered('in')
        ? { step: `| ${ctx.label()} >> ${take}`, ordered: true }
        : { step: `| ${ctx.label('gather')} >> beam.combiners.ToList()\n| ${ctx.label()} >> ${take}`, ordered: true };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});
