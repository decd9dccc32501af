import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnName, sqlExpression } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import type { ColumnInfo } from '../../db/database.ts';
import { expr, ident } from '../../sql/quote.ts';

export const derive = defineNode({
  kind: 'transform.derive',
  version: 1,
  title: 'Derive columns',
  category: 'transform',
  description: 'Adds or replaces columns computed by SQL expressions.',
  docs: `Columns are computed in order, so an expression may use a column derived above it. A name
that already exists replaces that column in place; a new name is appended. Expressions are DuckDB
SQL, which differs from pandas in places: \`/\` divides as floating point (by zero: ±inf, as pandas),
but \`//\` truncates toward zero (\`-1 // 2\` is 0, pandas gives -1) and is NULL for a zero divisor;
a cast from DOUBLE to an integer type rounds half to even (\`CAST(3.75 AS INTEGER)\` is 4, pandas'
\`astype(int)\` truncates); \`||\` is NULL when either side is (\`concat_ws\` skips NULLs).`,
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z.strictObject({
    columns: z
      .array(
        z.strictObject({
          name: columnName('Name of the new (or replaced) column.'),
          expr: sqlExpression('SQL expression over the input’s columns, e.g. `total / nullif(months, 0)`.'),
        }),
      )
      .min(1, 'expected at least one column')
      .meta({ description: 'Columns to compute, in order.' }),
  }),
  exprRefs: (p) =>
    p.columns.map((_, i) => ({
      param: `columns[${i}].expr`,
      sql: ({ in: input }, ctx) => deriveSql(input, p.columns.slice(0, i + 1), ctx.columns('in')),
    })),
  sql: ({ in: input }, p, ctx) => deriveSql(input, p.columns, ctx.columns('in')),
});

function deriveSql(input: string, columns: { name: string; expr: string }[], existing: ColumnInfo[]): string {
  const names = new Set(existing.map((c) => c.name.toLowerCase()));
  let query = `SELECT * FROM ${input}`;
  for (const c of columns) {
    const item = `${expr(c.expr)} AS ${ident(c.name)}`;
    const key = c.name.toLowerCase();
    query = names.has(key) ? `SELECT * REPLACE (${item}) FROM (${query})` : `SELECT *, ${item} FROM (${query})`;
    names.add(key);
  }
  return query;
}
