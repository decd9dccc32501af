import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnList, columnName } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';

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
});

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
