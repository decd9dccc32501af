import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';
import { pyStrList, sparkColRef } from '../../export/escape.ts';
import { resolveColumn, valueType } from '../../export/sql-expr.ts';

const functions = {
  count: (c: string | undefined) => (c ? `count(${ident(c)})` : 'count(*)'),
  count_distinct: (c: string | undefined) => `count(DISTINCT ${ident(c!)})`,
  sum: (c: string | undefined) => `sum(${ident(c!)})`,
  mean: (c: string | undefined) => `avg(${ident(c!)})`,
  min: (c: string | undefined) => `min(${ident(c!)})`,
  max: (c: string | undefined) => `max(${ident(c!)})`,
  std: (c: string | undefined) => `stddev_samp(${ident(c!)})`,
  median: (c: string | undefined) => `median(${ident(c!)})`,
} as const;

type Fn = keyof typeof functions;
const fnNames = Object.keys(functions) as [Fn, ...Fn[]];

const aggregateSpec = z
  .strictObject({
    column: z.string().min(1).optional().meta({ widget: 'column', description: 'Input column (optional for count: rows).' }),
    fn: z.enum(fnNames).meta({ description: 'Aggregate function.' }),
    as: z.string().min(1).optional().meta({ description: 'Output column name; default `<fn>_<column>`.' }),
  })
  .refine((a) => a.column !== undefined || a.fn === 'count', { message: 'this function needs a column', path: ['column'] });

export const outputName = (a: { column?: string | undefined; fn: Fn; as?: string | undefined }) =>
  a.as ?? (a.column ? `${a.fn}_${a.column}` : a.fn);

export const aggregate = defineNode({
  kind: 'transform.aggregate',
  version: 1,
  title: 'Aggregate',
  category: 'transform',
  description: 'Groups rows and computes count, sum, mean, min, max, std, median, count_distinct.',
  docs: `Semantics follow DuckDB: every function but \`count\` ignores NULLs, and over a group whose
values are all NULL it returns NULL (pandas' \`sum\` would return 0 there). \`count\` with a column
counts its non-NULL values; without one it counts rows. \`std\` is the sample standard deviation
(n − 1, as pandas), NULL for a single value; \`median\` interpolates between the middle two values.
NULL group keys form their own group. Groups come out sorted by their keys (NULLs last), as in
pandas' \`groupby\`. Without \`groupBy\` the whole table is one group.`,
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z
    .strictObject({
      groupBy: columnList('Columns to group by; empty for one row over the whole table.').default([]),
      aggregates: z.array(aggregateSpec).min(1, 'expected at least one aggregate').meta({ description: 'What to compute per group.' }),
    })
    .superRefine((p, ctx) => {
      const seen = new Map<string, number>();
      [...p.groupBy, ...p.aggregates.map(outputName)].forEach((name, i) => {
        const key = name.toLowerCase();
        if (seen.has(key)) {
          const at = i - p.groupBy.length;
          ctx.addIssue({
            code: 'custom',
            path: at >= 0 ? ['aggregates', at, 'as'] : ['groupBy', i],
            message: `output column "${name}" appears twice; set "as" to tell them apart`,
          });
        }
        seen.set(key, i);
      });
    }),
  materialize: true,
  columnRefs: (p) => [
    ...p.groupBy.map((column, i) => ({ param: `groupBy[${i}]`, column, input: 'in' as const })),
    ...p.aggregates.flatMap((a, i) => (a.column ? [{ param: `aggregates[${i}].column`, column: a.column, input: 'in' as const }] : [])),
  ],
  sql: ({ in: input }, p) => {
    const keys = p.groupBy.map(ident);
    const values = p.aggregates.map((a) => `${functions[a.fn](a.column)} AS ${ident(outputName(a))}`);
    const group = keys.length ? ` GROUP BY ${keys.join(', ')} ORDER BY ${keys.map((k) => `${k} ASC NULLS LAST`).join(', ')}` : '';
    return `SELECT ${[...keys, ...values].join(', ')} FROM ${input}${group}`;
  },
  codegen: {
    pandas: (p, ctx) => {
      const cols = ctx.columns('in');
      const keys = p.groupBy.map((k) => resolveColumn(k, cols));
      const specs = p.aggregates.map((a) => ({ name: outputName(a), fn: a.fn, column: a.column === undefined ? undefined : resolveColumn(a.column, cols) }));
      const frame = ctx.inputs.in;
      const out = ctx.outputs.out;
      if (keys.length === 0) {
        const whole = specs.map((s) => `    ${ctx.str(s.name)}: [${s.fn === 'count' && !s.column ? `len(${frame})` : `${frame}[${ctx.str(s.column!)}].${pandasFn[s.fn]}`}],`);
        return { lines: [`${out} = pd.DataFrame({`, ...whole, '})'] };
      }
      const isFloat = (c: string | undefined) => c !== undefined && ['float', 'decimal'].includes(valueType(cols.find((x) => x.name === c)?.type ?? ''));
      const per = specs.map((s) => {
        let value = s.fn === 'count' && !s.column ? 'groups.size()' : `groups[${ctx.str(s.column!)}].${pandasFn[s.fn]}`;
        // DuckDB adds floats in row order; pandas compensates, which can move a rounded mean.
        if ((s.fn === 'sum' || s.fn === 'mean') && isFloat(s.column)) {
          const sum = `${ctx.helper('_ordered_sum')}(groups, ${ctx.str(s.column!)})`;
          value = s.fn === 'sum' ? sum : `${sum} / groups[${ctx.str(s.column!)}].count()`;
        }
        return `    ${ctx.str(s.name)}: ${value},`;
      });
      return {
        lines: [
          `groups = ${frame}.groupby(${pyStrList(keys)}, dropna=False, sort=True)`,
          `${out} = pd.DataFrame({`,
          ...per,
          '}).reset_index()',
        ],
      };
    },
    pyspark: (p, ctx) => {
      const cols = ctx.columns('in');
      const keys = p.groupBy.map((k) => `F.col(${sparkColRef(resolveColumn(k, cols))})`);
      const values = p.aggregates.map((a) => {
        const c = a.column === undefined ? 'F.lit(1)' : `F.col(${sparkColRef(resolveColumn(a.column, cols))})`;
        return `${sparkFn[a.fn]}(${c}).alias(${ctx.str(outputName(a))})`;
      });
      if (keys.length === 0) return { step: `.agg(${values.join(', ')})` };
      return { step: `.groupBy(${keys.join(', ')})\n.agg(${values.join(', ')})\n.orderBy(${keys.map((k) => `${k}.asc_nulls_last()`).join(', ')})` };
    },
    beam: (p, ctx) => {
      const cols = ctx.columns('in');
      const keys = p.groupBy.map((k) => resolveColumn(k, cols));
      const specs = `[${p.aggregates.map((a) => `(${ctx.str(outputName(a))}, "${a.fn}", ${a.column === undefined ? 'None' : ctx.str(resolveColumn(a.column, cols))})`).join(', ')}]`;
      const aggregate = ctx.helper('_aggregate');
      const rows = ctx.ordered('in') ? [`| ${ctx.label('rows')} >> beam.FlatMap(lambda rows: rows)`] : [];
      if (keys.length === 0) {
        return { step: [...rows, `| ${ctx.label('gather')} >> beam.combiners.ToList()`, `| ${ctx.label()} >> beam.Map(lambda rows: [${aggregate}((), rows, [], ${specs})])`].join('\n'), ordered: true };
      }
      const key = `(${keys.map((k) => `row[${ctx.str(k)}]`).join(', ')},)`;
      return {
        step: [
          ...rows,
          `| ${ctx.label('group')} >> beam.GroupBy(lambda row: ${key})`,
          `| ${ctx.label()} >> beam.MapTuple(lambda key, rows: ${aggregate}(key, rows, ${pyStrList(keys)}, ${specs}))`,
          `| ${ctx.label('gather')} >> beam.combiners.ToList()`,
          `| ${ctx.label('sort')} >> beam.Map(${ctx.helper('_sort_rows')}, [${keys.map((k) => `(${ctx.str(k)}, False, False)`).join(', ')}])`,
        ].join('\n'),
        ordered: true,
      };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});

/** pandas methods with DuckDB's semantics: `sum` is NULL (not 0) over no values; `std` has n − 1. */
const pandasFn: Record<Fn, string> = {
  count: 'count()',
  count_distinct: 'nunique()',
  sum: 'sum(min_count=1)',
  mean: 'mean()',
  min: 'min()',
  max: 'max()',
  std: 'std()',
  median: 'median()',
};

const sparkFn: Record<Fn, string> = {
  count: 'F.count',
  count_distinct: 'F.countDistinct',
  sum: 'F.sum',
  mean: 'F.avg',
  min: 'F.min',
  max: 'F.max',
  std: 'F.stddev_samp',
  median: 'F.median',
};
