import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { featureColumns, readDataset } from '../../ml/dataset.ts';
import { fitScale, scaleSql } from '../../ml/scale.ts';
import { scaleCodegen } from '../../ml/codegen.ts';

export const scale = defineNode({
  kind: 'features.scale',
  version: 1,
  title: 'Scale',
  category: 'features',
  description: 'Standardizes (mean 0, std 1) or min-max scales numeric columns, fitted on the input.',
  docs: `\`standard\` subtracts the mean and divides by the population standard deviation, as
scikit-learn's StandardScaler; \`minmax\` maps min–max to 0–1, as MinMaxScaler. A constant column
is only shifted. The fitted statistics come out on \`model\`: feed it to \`model.predict\` with test
data to scale that data exactly as the training data was.`,
  inputs: { in: port.table() },
  outputs: { out: port.table('The input with the columns scaled.'), model: port.model('The fitted scaler.') },
  params: z.strictObject({
    columns: columnList('Columns to scale; empty for every numeric column.').default([]),
    method: z.enum(['standard', 'minmax']).default('standard').meta({ description: 'standard (z-score) or minmax (0–1).' }),
  }),
  run: async (ctx) => {
    const input = ctx.table('in');
    const features = featureColumns(input, ctx.params.columns, undefined, ctx.node);
    const data = await readDataset(ctx.readRows, input, features, undefined, ctx.node);
    const state = fitScale(data.X, features.map((f) => f.name), ctx.params.method);
    const out = await ctx.materialize(scaleSql(state, input.relation, input.columns));
    return {
      out,
      model: {
        type: 'model',
        artifact: { format: 'kanvas.model', version: 1, kind: 'features.scale', task: 'transform', features, params: ctx.params, state, training: { rows: data.rows, hash: data.hash } },
      },
    };
  },
  codegen: scaleCodegen,
});
