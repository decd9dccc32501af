import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';
import type { ColumnInfo } from '../../db/database.ts';
import { pyStrList, sparkColRef } from '../../export/escape.ts';
import { resolveColumn } from '../../export/sql-expr.ts';

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
  codegen: {
    pandas: (p, ctx) => {
      const cols = resolved(p, ctx.columns('in'));
      const renames = cols.filter((c) => c.to !== c.from).map((c) => `${ctx.str(c.from)}: ${ctx.str(c.to)}`);
      return { step: `[${pyStrList(cols.map((c) => c.from))}]${renames.length ? `.rename(columns={${renames.join(', ')}})` : ''}` };
    },
    pyspark: (p, ctx) => {
      const cols = resolved(p, ctx.columns('in')).map((c) => `F.col(${sparkColRef(c.from)})${c.to !== c.from ? `.alias(${ctx.str(c.to)})` : ''}`);
      return { step: `.select(${cols.join(', ')})` };
    },
    beam: (p, ctx) => {
      const pick = `{${resolved(p, ctx.columns('in')).map((c) => `${ctx.str(c.to)}: row[${ctx.str(c.from)}]`).join(', ')}}`;
      return ctx.ordered('in')
        ? { step: `| ${ctx.label()} >> beam.Map(lambda rows: [${pick} for row in rows])`, ordered: true }
        : { step: `| ${ctx.label()} >> beam.Map(lambda row: ${pick})` };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});

/** The input columns the params name (matched as DuckDB matches names) and their output names. */
function resolved(p: { columns: string[]; rename: Record<string, string> }, columns: ColumnInfo[]): { from: string; to: string }[] {
  return p.columns.map((c) => ({ from: resolveColumn(c, columns), to: p.rename[c] ?? resolveColumn(c, columns) }));
}
