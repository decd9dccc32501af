import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';
import { pyStrList, sparkColRef } from '../../export/escape.ts';
import { resolveColumn } from '../../export/sql-expr.ts';

export const sort = defineNode({
  kind: 'transform.sort',
  version: 1,
  title: 'Sort',
  category: 'transform',
  description: 'Orders rows by one or more columns.',
  docs: 'NULLs sort last in both directions unless `nullsFirst` is set (as pandas’ `na_position="last"`).',
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z.strictObject({
    by: z
      .array(
        z.strictObject({
          column: z.string().min(1).meta({ widget: 'column', description: 'Column to sort by.' }),
          descending: z.boolean().default(false).meta({ description: 'Largest first.' }),
          nullsFirst: z.boolean().default(false).meta({ description: 'NULLs before the other values.' }),
        }),
      )
      .min(1, 'expected at least one column')
      .meta({ description: 'Sort keys, most significant first.' }),
  }),
  columnRefs: (p) => p.by.map((b, i) => ({ param: `by[${i}].column`, column: b.column, input: 'in' })),
  sql: ({ in: input }, p) =>
    `SELECT * FROM ${input} ORDER BY ${p.by
      .map((b) => `${ident(b.column)} ${b.descending ? 'DESC' : 'ASC'} NULLS ${b.nullsFirst ? 'FIRST' : 'LAST'}`)
      .join(', ')}`,
  codegen: {
    pandas: (p, ctx) => {
      const keys = p.by.map((b) => ({ ...b, column: resolveColumn(b.column, ctx.columns('in')) }));
      if (keys.every((k) => k.nullsFirst === keys[0]!.nullsFirst)) {
        const ascending = keys.map((k) => (k.descending ? 'False' : 'True')).join(', ');
        return { step: `.sort_values(${pyStrList(keys.map((k) => k.column))}, ascending=[${ascending}], na_position="${keys[0]!.nullsFirst ? 'first' : 'last'}", kind="mergesort")` };
      }
      return { step: `.pipe(${ctx.helper('_sort')}, [${keys.map((k) => `(${ctx.str(k.column)}, ${py(k.descending)}, ${py(k.nullsFirst)})`).join(', ')}])` };
    },
    pyspark: (p, ctx) => {
      const keys = p.by.map((b) => `F.col(${sparkColRef(resolveColumn(b.column, ctx.columns('in')))}).${b.descending ? 'desc' : 'asc'}_nulls_${b.nullsFirst ? 'first' : 'last'}()`);
      return { step: `.orderBy(${keys.join(', ')})` };
    },
    beam: (p, ctx) => {
      const keys = `[${p.by.map((b) => `(${ctx.str(resolveColumn(b.column, ctx.columns('in')))}, ${py(b.descending)}, ${py(b.nullsFirst)})`).join(', ')}]`;
      const sortStep = `| ${ctx.label()} >> beam.Map(${ctx.helper('_sort_rows')}, ${keys})`;
      return { step: ctx.ordered('in') ? sortStep : `| ${ctx.label('gather')} >> beam.combiners.ToList()\n${sortStep}`, ordered: true };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});

const py = (b: boolean) => (b ? 'True' : 'False');
