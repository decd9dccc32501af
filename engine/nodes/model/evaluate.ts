import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { column } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { evaluateCodegen } from '../../ml/codegen.ts';
import { evaluatePredictions } from '../../ml/evaluate.ts';
import { doubleLiteral, literal } from '../../sql/quote.ts';

export const evaluate = defineNode({
  kind: 'model.evaluate',
  version: 1,
  title: 'Evaluate',
  category: 'model',
  description: 'Scores predictions against the truth: regression or classification metrics, with plots.',
  docs: `Takes a table with the true \`target\` and the \`prediction\` (and \`probability\`) columns
\`model.predict\` appends, and computes what scikit-learn's metrics compute:

- regression: \`mse\`, \`rmse\`, \`mae\`, \`r2\` (mean_squared_error, its root, mean_absolute_error, r2_score);
  the report plots predicted against actual values and the residuals.
- classification: \`accuracy\`, \`precision\`, \`recall\`, \`f1\` (for two labels those of the positive label;
  for more, the unweighted mean over labels, average='macro'; an undefined ratio counts as 0),
  \`log_loss\` (probabilities clipped to [ε, 1 − ε] and renormalized) and \`roc_auc\` (tied scores count a
  pair as half; for more classes the mean of one-vs-rest AUCs). The report has the confusion matrix
  (table and plot), per-label precision, recall, F1 and support, and the ROC curve.

The task is a regression when the target and prediction are numeric and there is no probability
column; otherwise classification (\`task\` forces either). Binary: the \`probability\` column is the
positive label's probability and the positive label is the second of the two sorted labels unless
\`positive\` names it. More classes: \`probability_<label>\` columns (as model.predict writes them) give
log loss and ROC AUC. Metrics that are undefined (ROC AUC when the target has one class; log loss and
ROC AUC without probabilities) are NULL. Scatter plots show at most 2,000 evenly spaced rows.`,
  inputs: { data: port.table('Rows with the target and the predictions.') },
  outputs: { metrics: port.metrics('One row per metric: metric, value.'), report: port.report('Metrics, confusion matrix and plots.') },
  params: z.strictObject({
    target: column('Column with the true values.'),
    prediction: column('Column with the predictions.').default('prediction'),
    probability: column('Column with the positive class probability (binary classification).').default('probability'),
    task: z.enum(['auto', 'regression', 'classification']).default('auto').meta({ description: 'auto: classification when there are probabilities or the labels are not numbers.' }),
    positive: z.string().min(1).optional().meta({ description: 'The positive label of a binary problem (default: the second of the sorted labels).' }),
  }),
  columnRefs: (p) => [
    { param: 'target', column: p.target, input: 'data' },
    { param: 'prediction', column: p.prediction, input: 'data' },
  ],
  run: async (ctx) => {
    const e = await evaluatePredictions(ctx.readRows, ctx.table('data'), ctx.params, ctx.node);
    const rows = e.metrics.map(([name, value]) => `(${literal(name)}, ${value === null ? 'NULL' : doubleLiteral(value)}::DOUBLE)`);
    const metrics = await ctx.materialize(`SELECT * FROM (VALUES ${rows.join(', ')}) AS t(metric, value)`);
    return { metrics, report: { type: 'report', title: e.task === 'regression' ? 'Regression metrics' : 'Classification metrics', sections: e.sections } };
  },
  codegen: evaluateCodegen,
});
