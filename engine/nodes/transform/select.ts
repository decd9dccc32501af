import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';

export const select = defineNode({
  kind: 'transform.select',
  version: 1,
  title: 'Select columns',
  category: 'transform',
  description: 'Keeps, orders and renames columns.',
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z
    .strictObject({
      columns: columnList('Columns to keep, in output order.').min(1, 'expected at least one column'),
      rename: z
        .record(z.string().min(1), z.string().min(1, 'expected a new name'))
        .default({})
        .meta({ description: 'Old name → new name, for columns in `columns`.' }),
    })
    .superRefine((p, ctx) => {
      for (const old of Object.keys(p.rename)) {
        if (!p.columns.includes(old)) {
          ctx.addIssue({ code: 'custom', path: ['rename', old], message: `"${old}" is renamed but not in columns` });
        }
      }
    }),
  columnRefs: (p) => p.columns.map((column, i) => ({ param: `columns[${i}]`, column, input: 'in' })),
  sql: ({ in: input }, p) => {
    const list = p.columns.map((c) => (p.rename[c] ? `${ident(c)} AS ${ident(p.rename[c])}` : ident(c)));
    return `SELECT ${list.join(', ')} FROM ${input}`;
  },
});
