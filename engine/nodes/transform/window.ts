import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnList, columnName } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';
import type { ColumnInfo } from '../../db/database.ts';
import { pyStrList, sparkColRef } from '../../export/escape.ts';
import { isNumeric, NotExportable, resolveColumn, valueType } from '../../export/sql-expr.ts';

const ranking = ['row_number', 'rank', 'dense_rank'] as const;
const shifts = ['lag', 'lead'] as const;
const running = ['running_sum', 'running_mean', 'running_min', 'running_max', 'running_count'] as const;
const rolling = ['rolling_sum', 'rolling_mean', 'rolling_min', 'rolling_max'] as const;
const fnNames = [...ranking, ...shifts, ...running, ...rolling] as const;
type Fn = (typeof fnNames)[number];

const aggregateOf: Record<string, string> = { sum: 'sum', mean: 'avg', min: 'min', max: 'max', count: 'count' };

const windowColumn = z
  .strictObject({
    as: columnName('Name of the new column.'),
    fn: z.enum(fnNames).meta({ description: 'Window function.' }),
    column: z.string().min(1).optional().meta({ widget: 'column', description: 'Input column (all but the ranking functions).' }),
    offset: z.number().int().min(1).default(1).meta({ description: 'lag/lead: how many rows back or ahead.' }),
    size: z.number().int().min(1).optional().meta({ description: 'rolling_*: window size in rows, including the current row.' }),
    minPeriods: z.number().int().min(1).optional().meta({ description: 'rolling_*: fewest non-NULL values for a result (default: size).' }),
  })
  .superRefine((c, ctx) => {
    if (!(ranking as readonly string[]).includes(c.fn) && c.column === undefined) {
      ctx.addIssue({ code: 'custom', path: ['column'], message: `${c.fn} needs a column` });
    }
    if ((rolling as readonly string[]).includes(c.fn) && c.size === undefined) {
      ctx.addIssue({ code: 'custom', path: ['size'], message: `${c.fn} needs a window size` });
    }
  });

export const window = defineNode({
  kind: 'transform.window',
  version: 1,
  title: 'Window functions',
  category: 'transform',
  description: 'Row numbers, ranks, lag/lead, running and rolling aggregates per partition.',
  docs: `Computed per \`partitionBy\` group, in \`orderBy\` order. \`running_*\` aggregate from the group's
first row to the current one; \`rolling_*\` over the last \`size\` rows (the current one included) and,
as pandas' \`rolling\`, give NULL until \`minPeriods\` (default \`size\`) non-NULL values are in the
window. \`lag\`/\`lead\` are NULL past the group's edge. Rows keep their input order.`,
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z.strictObject({
    partitionBy: columnList('Columns that define groups; empty for one group.').default([]),
    orderBy: z
      .array(
        z.strictObject({
          column: z.string().min(1).meta({ widget: 'column', description: 'Column to order by.' }),
          descending: z.boolean().default(false).meta({ description: 'Largest first.' }),
        }),
      )
      .default([])
      .meta({ description: 'Order within each group.' }),
    columns: z.array(windowColumn).min(1, 'expected at least one column').meta({ description: 'Columns to compute.' }),
  }),
  columnRefs: (p) => [
    ...p.partitionBy.map((column, i) => ({ param: `partitionBy[${i}]`, column, input: 'in' as const })),
    ...p.orderBy.map((o, i) => ({ param: `orderBy[${i}].column`, column: o.column, input: 'in' as const })),
    ...p.columns.flatMap((c, i) => (c.column ? [{ param: `columns[${i}].column`, column: c.column, input: 'in' as const }] : [])),
  ],
  sql: ({ in: input }, p) => {
    const partition = p.partitionBy.length ? `PARTITION BY ${p.partitionBy.map(ident).join(', ')}` : '';
    const order = p.orderBy.length
      ? `ORDER BY ${p.orderBy.map((o) => `${ident(o.column)} ${o.descending ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}`
      : 'ORDER BY __pos';
    const over = (frame = '') => `OVER (${[partition, order, frame].filter(Boolean).join(' ')})`;
    const items = p.columns.map((c) => `${windowExpr(c.fn, c, over)} AS ${ident(c.as)}`);
    return `SELECT * EXCLUDE (__pos) FROM (
  SELECT *, ${items.join(', ')} FROM (SELECT *, row_number() OVER () AS __pos FROM ${input})
) ORDER BY __pos`;
  },
  codegen: {
    pandas: (p, ctx) => {
      const cols = ctx.columns('in');
      const frame = ctx.inputs.in;
      const partition = p.partitionBy.map((c) => resolveColumn(c, cols));
      const order = p.orderBy.map((o) => ({ column: resolveColumn(o.column, cols), descending: o.descending }));
      const sorted = order.length
        ? `${frame}.sort_values(${pyStrList(order.map((o) => o.column))}, ascending=[${order.map((o) => (o.descending ? 'False' : 'True')).join(', ')}], na_position="last", kind="mergesort")`
        : frame;
      const keys = partition.length ? `[${partition.map((c) => `ordered[${ctx.str(c)}]`).join(', ')}]` : '[np.zeros(len(ordered), dtype=np.int64)]';
      const items = p.columns.map((c) => {
        const column = c.column === undefined ? '' : resolveColumn(c.column, cols);
        numericFor(c.fn, column, cols);
        const values = `ordered[${ctx.str(column)}]`;
        let code: string;
        if (c.fn === 'row_number') code = 'groups.cumcount() + 1';
        else if (c.fn === 'rank' || c.fn === 'dense_rank') code = `${ctx.helper('_rank')}(ordered, keys, ${pyStrList(partition)}, ${pyStrList(order.map((o) => o.column))}, ${c.fn === 'dense_rank' ? 'True' : 'False'})`;
        else if (c.fn === 'lag' || c.fn === 'lead') code = `groups[${ctx.str(column)}].shift(${c.fn === 'lag' ? c.offset : -c.offset})`;
        else if (c.fn.startsWith('running_')) code = `${ctx.helper('_running')}(${values}, keys, "${c.fn.slice(8)}")`;
        else code = `${ctx.helper('_rolling')}(${values}, keys, "${c.fn.slice(8)}", ${c.size}, ${c.minPeriods ?? c.size})`;
        return `    ${ctx.str(c.as)}: ${code},`;
      });
      return {
        lines: [
          `ordered = ${sorted}`,
          `keys = ${keys}`,
          'groups = ordered.groupby(keys, dropna=False, sort=False)',
          `${ctx.outputs.out} = ${frame}.assign(**{`,
          ...items,
          '})',
        ],
      };
    },
    pyspark: (p, ctx) => {
      const cols = ctx.columns('in');
      const partition = p.partitionBy.map((c) => `F.col(${sparkColRef(resolveColumn(c, cols))})`);
      const order = p.orderBy.length
        ? p.orderBy.map((o) => `F.col(${sparkColRef(resolveColumn(o.column, cols))}).${o.descending ? 'desc' : 'asc'}_nulls_last()`)
        : ['F.col("__pos")'];
      const spec = `Window${partition.length ? `.partitionBy(${partition.join(', ')})` : ''}.orderBy(${order.join(', ')})`;
      const steps = p.columns.map((c) => {
        const column = c.column === undefined ? '' : `F.col(${sparkColRef(resolveColumn(c.column, cols))})`;
        numericFor(c.fn, c.column === undefined ? '' : resolveColumn(c.column, cols), cols);
        let value: string;
        if (c.fn === 'row_number' || c.fn === 'rank' || c.fn === 'dense_rank') value = `F.${c.fn}().over(${spec})`;
        else if (c.fn === 'lag' || c.fn === 'lead') value = `F.${c.fn}(${column}, ${c.offset}).over(${spec})`;
        else {
          const [kind, agg] = c.fn.split('_') as [string, string];
          const f = { sum: 'F.sum', mean: 'F.avg', min: 'F.min', max: 'F.max', count: 'F.count' }[agg]!;
          const frame = kind === 'running' ? `${spec}.rowsBetween(Window.unboundedPreceding, Window.currentRow)` : `${spec}.rowsBetween(${-(c.size! - 1)}, Window.currentRow)`;
          value = kind === 'running' ? `${f}(${column}).over(${frame})` : `F.when(F.count(${column}).over(${frame}) >= ${c.minPeriods ?? c.size}, ${f}(${column}).over(${frame}))`;
        }
        return `.withColumn(${ctx.str(c.as)}, ${value})`;
      });
      const pos = p.orderBy.length ? [] : ['.withColumn("__pos", F.monotonically_increasing_id())'];
      return { step: [...pos, ...steps, ...(pos.length ? ['.drop("__pos")'] : [])].join('\n') };
    },
    beam: (p, ctx) => {
      const cols = ctx.columns('in');
      const partition = p.partitionBy.map((c) => resolveColumn(c, cols));
      const order = `[${p.orderBy.map((o) => `(${ctx.str(resolveColumn(o.column, cols))}, ${o.descending ? 'True' : 'False'})`).join(', ')}]`;
      const specs = `[${p.columns
        .map((c) => {
          const column = c.column === undefined ? undefined : resolveColumn(c.column, cols);
          numericFor(c.fn, column ?? '', cols);
          return `(${ctx.str(c.as)}, "${c.fn}", ${column === undefined ? 'None' : ctx.str(column)}, ${c.offset}, ${c.size ?? 'None'}, ${c.minPeriods ?? c.size ?? 'None'})`;
        })
        .join(', ')}]`;
      const window = ctx.helper('_window');
      if (ctx.ordered('in')) return { step: `| ${ctx.label()} >> beam.Map(${window}, ${pyStrList(partition)}, ${order}, ${specs})`, ordered: true };
      const key = `(${partition.map((c) => `row[${ctx.str(c)}]`).join(', ')}${partition.length ? ',' : ''})`;
      return { step: `| ${ctx.label('partition')} >> beam.GroupBy(lambda row: ${key})\n| ${ctx.label()} >> beam.FlatMapTuple(lambda _, rows: ${window}(rows, [], ${order}, ${specs}))` };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});

/** Running and rolling aggregates other than count need a numeric column (min/max: or a sortable one). */
function numericFor(fn: Fn, column: string, columns: ColumnInfo[]): void {
  if (!/^(running|rolling)_(sum|mean)$/.test(fn) && !/^rolling_/.test(fn)) return;
  const type = valueType(columns.find((c) => c.name === column)?.type ?? '');
  if (!isNumeric(type)) throw new NotExportable(`${fn} of a ${type === 'other' ? 'non-numeric' : type} column`);
}

function windowExpr(
  fn: Fn,
  c: { column?: string | undefined; offset: number; size?: number | undefined; minPeriods?: number | undefined },
  over: (frame?: string) => string,
): string {
  const col = c.column ? ident(c.column) : '';
  if ((ranking as readonly string[]).includes(fn)) return `${fn}() ${over()}`;
  if (fn === 'lag' || fn === 'lead') return `${fn}(${col}, ${c.offset}) ${over()}`;
  const [kind, agg] = fn.split('_') as ['running' | 'rolling', string];
  const f = aggregateOf[agg]!;
  if (kind === 'running') return `${f}(${col}) ${over('ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW')}`;
  const frame = `ROWS BETWEEN ${c.size! - 1} PRECEDING AND CURRENT ROW`;
  const minPeriods = c.minPeriods ?? c.size!;
  return `CASE WHEN count(${col}) ${over(frame)} >= ${minPeriods} THEN ${f}(${col}) ${over(frame)} END`;
}
