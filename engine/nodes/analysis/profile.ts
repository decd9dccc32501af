import { z } from 'zod';
import { defineNode, type ReportSection } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';
import type { ColumnInfo, Primitive } from '../../db/database.ts';
import { ident, literal } from '../../sql/quote.ts';
import { isNumericType } from '../../sql/types.ts';
import { histogram } from '../../sql/histogram.ts';
import { profileReason } from '../../export/reasons.ts';

const statsColumns: ColumnInfo[] = [
  { name: 'column', type: 'VARCHAR' },
  { name: 'type', type: 'VARCHAR' },
  { name: 'rows', type: 'BIGINT' },
  { name: 'nulls', type: 'BIGINT' },
  { name: 'null_fraction', type: 'DOUBLE' },
  { name: 'distinct', type: 'BIGINT' },
  { name: 'min', type: 'VARCHAR' },
  { name: 'max', type: 'VARCHAR' },
  { name: 'mean', type: 'DOUBLE' },
  { name: 'std', type: 'DOUBLE' },
  { name: 'q25', type: 'DOUBLE' },
  { name: 'median', type: 'DOUBLE' },
  { name: 'q75', type: 'DOUBLE' },
];

export const profile = defineNode({
  kind: 'analysis.profile',
  version: 1,
  title: 'Profile',
  category: 'analysis',
  description: 'Per-column type, nulls, distinct values, min/max, mean/std, quantiles and a histogram.',
  docs: `\`stats\` has one row per input column. \`std\` is the sample standard deviation (n − 1) and the
quantiles interpolate linearly, as pandas' \`describe\`; numeric statistics are NULL for other types.
\`distinct\` counts non-NULL values. The report adds a histogram per numeric column (\`bins\` equal-width
bins from min to max, the last one closed, as numpy's \`histogram\`) and the most frequent values of
every other column.`,
  inputs: { in: port.table() },
  outputs: { stats: port.metrics('One row of statistics per column.'), report: port.report('Statistics and plots.') },
  params: z.strictObject({
    bins: z.number().int().min(1).max(200).default(20).meta({ description: 'Histogram bins per numeric column.' }),
    topValues: z.number().int().min(1).max(100).default(10).meta({ description: 'Most frequent values shown per non-numeric column.' }),
  }),
  run: async (ctx) => {
    const input = ctx.table('in');
    const rel = input.relation;
    const rows: Primitive[][] = [];
    const plots: ReportSection[] = [];
    for (const [i, col] of input.columns.entries()) {
      ctx.progress(i, input.columns.length, col.name);
      const c = ident(col.name);
      const numeric = isNumericType(col.type);
      const x = numeric ? `${c}::DOUBLE` : c;
      const numericStats = numeric
        ? `avg(${x}), stddev_samp(${x}), quantile_cont(${x}, 0.25), quantile_cont(${x}, 0.5), quantile_cont(${x}, 0.75)`
        : 'NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE';
      const stats = await ctx.readRows(
        `SELECT count(*), count(*) - count(${c}), count(DISTINCT ${c}), min(${c})::VARCHAR, max(${c})::VARCHAR, ${numericStats} FROM ${rel}`,
      );
      const [n, nulls, distinct, min, max, mean, std, q25, median, q75] = stats.rows[0]!;
      const total = Number(n);
      rows.push([col.name, col.type, n ?? 0, nulls ?? 0, total ? Number(nulls) / total : null, distinct ?? 0, min ?? null, max ?? null, mean ?? null, std ?? null, q25 ?? null, median ?? null, q75 ?? null]);
      if (numeric && min !== null) {
        const bins = await histogram(ctx.readRows, rel, c, ctx.params.bins);
        plots.push({ kind: 'plot', title: col.name, plot: { type: 'histogram', column: col.name, bins } });
      } else if (!numeric && total > Number(nulls)) {
        const top = await ctx.readRows(
          `SELECT ${c}::VARCHAR AS label, count(*) AS n FROM ${rel} WHERE ${c} IS NOT NULL GROUP BY ALL ORDER BY n DESC, label LIMIT ${ctx.params.topValues}`,
        );
        plots.push({ kind: 'plot', title: col.name, plot: { type: 'bar', column: col.name, bars: top.rows.map(([label, count]) => ({ label: String(label), count: Number(count) })) } });
      }
    }
    ctx.progress(input.columns.length, input.columns.length);
    const values = rows.map((r) => `(${r.map(literal).join(', ')})`).join(', ');
    const typed = statsColumns.map((c, i) => `col${i}::${c.type} AS ${ident(c.name)}`).join(', ');
    const stats = await ctx.materialize(`SELECT ${typed} FROM (VALUES ${values})`);
    return {
      stats: { ...stats, columns: statsColumns },
      report: {
        type: 'report',
        title: `Profile of ${input.rows} rows × ${input.columns.length} columns`,
        sections: [{ kind: 'table', title: 'Columns', columns: statsColumns, rows }, ...plots],
      },
    };
  },
  codegen: {
    pandas: { unsupported: profileReason },
    pyspark: { unsupported: profileReason },
    beam: { unsupported: profileReason },
    sql: { unsupported: profileReason },
  },
});
