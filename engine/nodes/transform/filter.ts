import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { sqlExpression } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { expr } from '../../sql/quote.ts';

export const filter = defineNode({
  kind: 'transform.filter',
  version: 1,
  title: 'Filter rows',
  category: 'transform',
  description: 'Keeps the rows where a SQL condition is true.',
  docs: 'Rows where the condition is NULL (e.g. `tenure > 3` with a NULL tenure) are dropped, as in SQL.',
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z.strictObject({
    where: sqlExpression('SQL boolean expression, e.g. `tenure > 3 AND plan <> \'trial\'`.'),
  }),
  sql: ({ in: input }, p) => `SELECT * FROM ${input} WHERE ${expr(p.where)}`,
});
