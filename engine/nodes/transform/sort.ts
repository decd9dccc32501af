import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';

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
});
