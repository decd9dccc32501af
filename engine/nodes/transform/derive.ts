import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnName, sqlExpression } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import type { ColumnInfo } from '../../db/database.ts';
import { expr, ident } from '../../sql/quote.ts';
import { duckdbTypeOf } from '../../export/sql-expr.ts';
import type { PyExpr } from '../../export/types.ts';

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
  codegen: {
    // One `assign` computes the columns in order, each seeing those before it, as the SQL does.
    pandas: (p, ctx) => {
      const { renames, items } = derived(p.columns, ctx.columns('in'), (e, cols) => ctx.expr(e, cols));
      const rename = renames.length ? `.rename(columns={${renames.map(([a, b]) => `${ctx.str(a)}: ${ctx.str(b)}`).join(', ')}})` : '';
      const assigns = items.map((i) => `    ${ctx.str(i.target)}: lambda d: ${i.code},`);
      return { step: `.assign(**{\n${assigns.join('\n')}\n})${rename}` };
    },
    pyspark: (p, ctx) => {
      const { renames, items } = derived(p.columns, ctx.columns('in'), (e, cols) => ctx.expr(e, cols));
      const steps = items.map((i) => `.withColumn(${ctx.str(i.target)}, F.expr(${ctx.str(i.code)}))`);
      for (const [a, b] of renames) steps.push(`.withColumnRenamed(${ctx.str(a)}, ${ctx.str(b)})`);
      return { step: steps.join('\n') };
    },
    beam: (p, ctx) => {
      const { renames, items } = derived(p.columns, ctx.columns('in'), (e, cols) => ctx.expr(e, cols));
      const steps: string[] = [];
      const ordered = ctx.ordered('in');
      const map = (label: string, f: string) => steps.push(`| ${ctx.label(label)} >> beam.Map(${ordered ? `lambda rows: [${f} for row in rows]` : `lambda row: ${f}`})`);
      items.forEach((i, n) => map(`column ${n + 1}`, `{**row, ${ctx.str(i.target)}: ${i.code}}`));
      if (renames.length) {
        const names = `{${renames.map(([a, b]) => `${ctx.str(a)}: ${ctx.str(b)}`).join(', ')}}`;
        map('rename', `{${names}.get(k, k): v for k, v in row.items()}`);
      }
      return { step: steps.join('\n'), ordered };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});

/**
 * The derived columns, translated in order against the columns before them. A name equal to an
 * existing column ignoring case replaces it in place (as DuckDB's REPLACE does): the code assigns
 * to the existing name (`target`) and renames it at the end when the case differs.
 */
function derived(
  columns: { name: string; expr: string }[],
  existing: ColumnInfo[],
  translate: (expr: string, columns: ColumnInfo[]) => PyExpr,
): { renames: [string, string][]; items: { name: string; target: string; code: string }[] } {
  const cols = [...existing];
  const renames: [string, string][] = [];
  const items = columns.map((c) => {
    const e = translate(c.expr, cols);
    const at = cols.findIndex((x) => x.name.toLowerCase() === c.name.toLowerCase());
    const type = duckdbTypeOf(e.type);
    if (at < 0) {
      cols.push({ name: c.name, type });
      return { name: c.name, target: c.name, code: e.code };
    }
    const target = cols[at]!.name;
    cols[at] = { name: target, type };
    const rename = renames.find(([a]) => a === target);
    if (rename) rename[1] = c.name;
    else if (target !== c.name) renames.push([target, c.name]);
    return { name: c.name, target, code: e.code };
  });
  return { renames, items };
}

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
