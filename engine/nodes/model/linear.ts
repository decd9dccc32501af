import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { column, columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { featureColumns, numericTarget, readDataset } from '../../ml/dataset.ts';
import { fitLinear, linearPredict } from '../../ml/linear.ts';
import { regressionMetrics } from '../../ml/metrics.ts';
import { linearCodegen } from '../../ml/codegen.ts';

export const linear = defineNode({
  kind: 'model.linear',
  version: 1,
  title: 'Linear regression',
  category: 'model',
  description: 'Least squares, ridge (l2), lasso (l1) or elastic net, with scikit-learn’s objectives.',
  docs: `Fits \`target\` on \`features\` (default: every other numeric column) with an intercept.
The objectives are scikit-learn's, so coefficients agree: \`none\` is LinearRegression, \`l2\`
minimizes ‖y − Xw‖² + α‖w‖² (Ridge), \`l1\` ‖y − Xw‖²/(2n) + α‖w‖₁ (Lasso) and \`elasticnet\`
‖y − Xw‖²/(2n) + α·l1Ratio·‖w‖₁ + α(1 − l1Ratio)‖w‖²/2 (ElasticNet). Features must have no NULLs.`,
  inputs: { in: port.table('Training data.') },
  outputs: { model: port.model('The fitted model.') },
  params: z.strictObject({
    target: column('Column to predict.'),
    features: columnList('Feature columns; empty for every other numeric column.').default([]),
    penalty: z.enum(['none', 'l2', 'l1', 'elasticnet']).default('none').meta({ description: 'Regularization.' }),
    alpha: z.number().min(0).default(1).meta({ description: 'Regularization strength (ignored for none).' }),
    l1Ratio: z.number().min(0).max(1).default(0.5).meta({ description: 'Elastic net mix: 1 is lasso, 0 is ridge.' }),
  }),
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: async (ctx) => {
    const input = ctx.table('in');
    const p = ctx.params;
    const features = featureColumns(input, p.features, p.target, ctx.node);
    const data = await readDataset(ctx.readRows, input, features, p.target, ctx.node);
    const y = numericTarget(data.y!, ctx.node);
    const state = fitLinear(data.X, y, p);
    return {
      model: {
        type: 'model',
        artifact: {
          format: 'kanvas.model',
          version: 1,
          kind: 'model.linear',
          task: 'regression',
          features,
          target: p.target,
          params: p,
          state,
          metrics: regressionMetrics(y, linearPredict(state, data.X)),
          training: { rows: data.rows, hash: data.hash },
        },
      },
    };
  },
  codegen: linearCodegen,
});
