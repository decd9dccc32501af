import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { PipelineError } from '../../errors.ts';
import { imputeCodegen } from '../../ml/codegen.ts';
import { modelValue, namedColumns, trainingInfo } from '../../ml/fitting.ts';
import { imputedType, imputeSql, imputeValue, isNumericOrBool, type ImputeState } from '../../ml/impute.ts';
import type { Label } from '../../ml/labels.ts';
import { ident } from '../../sql/quote.ts';

export const impute = defineNode({
  kind: 'features.impute',
  version: 1,
  title: 'Impute missing values',
  category: 'features',
  description: 'Fills NULLs with the mean, median, most frequent value or a constant, fitted on the input.',
  docs: `As scikit-learn's \`SimpleImputer\`, per column over its non-NULL values: \`mean\`; \`median\` (for an
even count, the mean of the two middle values); \`most_frequent\` (the smallest of the values tied for most
frequent; text columns too); \`constant\` (\`fillValue\`, by default 0 for numbers and \`"missing_value"\`
for text). Mean and median make the column DOUBLE; the other strategies keep its type (a fractional
constant makes an integer column DOUBLE). Columns stay where they are.

The fitted values come out on \`model\`: \`model.predict\` with test data fills its NULLs with the
training values. A column with only NULLs has no mean, median or most frequent value: that is an error
(scikit-learn would drop the column) — use \`constant\`, or leave the column out.`,
  inputs: { in: port.table() },
  outputs: { out: port.table('The input with NULLs filled.'), model: port.model('The fitted imputer.') },
  params: z.strictObject({
    columns: columnList('Columns to fill; empty for every numeric column (mean, median) or every column (most_frequent, constant).').default([]),
    strategy: z.enum(['mean', 'median', 'most_frequent', 'constant']).default('mean').meta({ description: 'mean, median, most_frequent or constant.' }),
    fillValue: z
      .union([z.number(), z.string(), z.boolean()])
      .optional()
      .meta({ description: 'The constant (strategy constant): by default 0 for numeric columns, "missing_value" for text.' }),
  }),
  columnRefs: (p) => p.columns.map((c, i) => ({ param: `columns[${i}]`, column: c, input: 'in' as const })),
  run: async (ctx) => {
    const input = ctx.table('in');
    const p = ctx.params;
    const numericOnly = p.strategy === 'mean' || p.strategy === 'median';
    const columns = p.columns.length ? namedColumns(input, p.columns, ctx.node, 'columns') : input.columns.filter((c) => !numericOnly || isNumericOrBool(c.type));
    if (columns.length === 0) throw new PipelineError({ code: 'param', node: ctx.node, param: 'columns', message: 'the input has no numeric columns to impute: name the columns' });
    columns.forEach((c, i) => {
      if (numericOnly && !isNumericOrBool(c.type)) {
        throw new PipelineError({ code: 'param', node: ctx.node, param: p.columns.length ? `columns[${i}]` : 'columns', message: `column "${c.name}" is ${c.type}: the ${p.strategy} needs numbers (use most_frequent or constant)` });
      }
      if (!isNumericOrBool(c.type) && c.type !== 'VARCHAR') {
        throw new PipelineError({ code: 'param', node: ctx.node, param: p.columns.length ? `columns[${i}]` : 'columns', message: `column "${c.name}" is ${c.type}: only numeric, boolean and text columns can be imputed` });
      }
    });
    const state: ImputeState = { strategy: p.strategy, columns: [] };
    for (const [i, c] of columns.entries()) {
      ctx.progress(i, columns.length, `${p.strategy} of ${c.name}`);
      let values: Label[] = [];
      if (p.strategy !== 'constant') {
        const cast = numericOnly ? `${ident(c.name)}::DOUBLE` : ident(c.name);
        const r = await ctx.readRows(`SELECT ${cast} FROM ${input.relation} WHERE ${ident(c.name)} IS NOT NULL`);
        values = r.rows.map((row) => row[0] as Label);
      }
      const value = imputeValue(p.strategy, values, p.fillValue ?? null, c, ctx.node);
      state.columns.push({ name: c.name, value, type: imputedType(p.strategy, c.type, value) });
    }
    const out = await ctx.materialize(imputeSql(state, input.relation, input.columns));
    const training = await trainingInfo(ctx.readRows, input.relation, columns);
    return { out, model: modelValue({ kind: 'features.impute', task: 'transform', features: columns, params: p, state, training }) };
  },
  codegen: imputeCodegen,
});
