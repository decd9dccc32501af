import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { sqlExpression } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { expr } from '../../sql/quote.ts';
import { NotExportable } from '../../export/sql-expr.ts';
import type { PyExpr } from '../../export/types.ts';

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
  codegen: {
    pandas: (p, ctx) => {
      const mask = condition(ctx.expr(p.where, ctx.columns('in')));
      return { step: `.loc[lambda d: ${mask}.fillna(False).astype(bool)]` };
    },
    pyspark: (p, ctx) => {
      condition(ctx.expr(p.where, ctx.columns('in')));
      return { step: `.filter(F.expr(${ctx.str(ctx.expr(p.where, ctx.columns('in')).code)}))` };
    },
    beam: (p, ctx) => {
      const test = condition(ctx.expr(p.where, ctx.columns('in')));
      return ctx.ordered('in')
        ? { step: `| ${ctx.label()} >> beam.Map(lambda rows: [row for row in rows if (${test}) is True])`, ordered: true }
        : { step: `| ${ctx.label()} >> beam.Filter(lambda row: (${test}) is True)` };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});

/** The translated condition, which must be boolean (SQL drops rows where it is NULL). */
function condition(e: PyExpr): string {
  if (e.type !== 'bool' && e.type !== 'null') throw new NotExportable(`the condition is a ${e.type} value, not a boolean`);
  return e.code;
}
