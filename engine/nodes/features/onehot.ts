import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { PipelineError } from '../../errors.ts';
import { onehotCodegen } from '../../ml/codegen.ts';
import { modelValue, namedColumns, trainingInfo } from '../../ml/fitting.ts';
import type { Label } from '../../ml/labels.ts';
import { fitOneHot, MAX_CATEGORIES, oneHotSql } from '../../ml/onehot.ts';
import { ident } from '../../sql/quote.ts';
import { isNumericType } from '../../sql/types.ts';

const encodable = (type: string) => type === 'VARCHAR' || type === 'BOOLEAN' || isNumericType(type);

export const onehot = defineNode({
  kind: 'features.onehot',
  version: 1,
  title: 'One-hot encode',
  category: 'features',
  description: 'Replaces categorical columns by one 0/1 column per category, fitted on the input.',
  docs: `As scikit-learn's \`OneHotEncoder(handle_unknown='ignore')\`: each column's categories are its
distinct values in the input, sorted (text by code point, numbers numerically, false before true), and
each column is replaced, where it stood, by one DOUBLE column per category named
\`<column>_<category>\` (the category as Python prints it: \`plan_basic\`, \`code_3\`, \`flag_True\`), 1.0
where the row has that category and 0.0 elsewhere. A NULL seen in training is a category of its own,
\`<column>_nan\`, after the others (as scikit-learn treats a missing value).

With \`dropFirst\` the first category of each column gets no column (drop='first'): it is the row of
all zeros, which avoids perfectly collinear features in an unregularized linear model.

Unknown categories: at prediction time (\`model.predict\` with this encoder) a value that was not
seen in training — or a NULL when none was seen — sets none of the column's indicators: the row is
all zeros for that column, as handle_unknown='ignore'. With \`dropFirst\` an unknown value is then
indistinguishable from the first category. A column with more than ${MAX_CATEGORIES} distinct values
is refused (it is probably an id or free text).`,
  inputs: { in: port.table() },
  outputs: { out: port.table('The input with the columns encoded.'), model: port.model('The fitted encoder.') },
  params: z.strictObject({
    columns: columnList('Columns to encode; empty for every text and boolean column.').default([]),
    dropFirst: z.boolean().default(false).meta({ description: 'Leave out the first category of each column (its rows are all zeros).' }),
  }),
  columnRefs: (p) => p.columns.map((c, i) => ({ param: `columns[${i}]`, column: c, input: 'in' as const })),
  run: async (ctx) => {
    const input = ctx.table('in');
    const p = ctx.params;
    const columns = p.columns.length ? namedColumns(input, p.columns, ctx.node, 'columns') : input.columns.filter((c) => c.type === 'VARCHAR' || c.type === 'BOOLEAN');
    if (columns.length === 0) throw new PipelineError({ code: 'param', node: ctx.node, param: 'columns', message: 'the input has no text or boolean columns to encode: name the columns' });
    columns.forEach((c, i) => {
      if (!encodable(c.type)) {
        throw new PipelineError({ code: 'param', node: ctx.node, param: p.columns.length ? `columns[${i}]` : 'columns', message: `column "${c.name}" is ${c.type}: cast it to VARCHAR first (transform.derive)` });
      }
    });
    const distinct: (Label | null)[][] = [];
    for (const [i, c] of columns.entries()) {
      ctx.progress(i, columns.length, `categories of ${c.name}`);
      const r = await ctx.readRows(`SELECT DISTINCT ${ident(c.name)} FROM ${input.relation} LIMIT ${MAX_CATEGORIES + 1}`);
      distinct.push(r.rows.map((row) => row[0] as Label | null));
    }
    const state = fitOneHot(columns, distinct, p.dropFirst, input.columns, ctx.node);
    const out = await ctx.materialize(oneHotSql(state, input.relation, input.columns));
    const training = await trainingInfo(ctx.readRows, input.relation, columns);
    return { out, model: modelValue({ kind: 'features.onehot', task: 'transform', features: columns, params: p, state, training }) };
  },
  codegen: onehotCodegen,
});
