import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { column, columnList, seed } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { PipelineError } from '../../errors.ts';
import { crossValidateCodegen } from '../../ml/codegen.ts';
import { classificationFoldMetrics, crossValidate, crossValidatedKinds, regressionFoldMetrics } from '../../ml/cross-validate.ts';
import { featureColumns, numericTarget, readDataset } from '../../ml/dataset.ts';
import { labelsOf, sortedLabels } from '../../ml/labels.ts';
import { doubleLiteral } from '../../sql/quote.ts';
import { linear } from './linear.ts';
import { logistic } from './logistic.ts';

const modelSchemas = { 'model.linear': linear.params, 'model.logistic': logistic.params };

export const crossValidateKind = defineNode({
  kind: 'model.cross_validate',
  version: 1,
  title: 'Cross-validate',
  category: 'model',
  description: 'Scores a model kind and its params by k-fold cross-validation: one row of metrics per fold.',
  docs: `Splits the input into \`k\` folds — scikit-learn's \`KFold(k, shuffle=True, random_state=seed)\`, or with
\`stratified\` \`StratifiedKFold(k, shuffle=True, random_state=seed)\` (each fold keeps the class shares); the
same seed gives the same folds as scikit-learn, rows numbered in input order — and for each fold fits
\`model\` (\`model.linear\` or \`model.logistic\`, with \`params\` as that kind takes them, \`target\` and
\`features\` given here) on the other folds and scores it on the fold with model.evaluate's metrics:
\`mse\`, \`rmse\`, \`mae\`, \`r2\` for linear models; \`accuracy\`, \`precision\`, \`recall\`, \`f1\` (binary: the
positive class, the second of the training fold's classes; more classes: macro averages), \`log_loss\`
and \`roc_auc\` for logistic ones. The output has one row per fold (1 to k) with its row counts.`,
  inputs: { in: port.table('Data to cross-validate on.') },
  outputs: { metrics: port.metrics('One row per fold: fold, train_rows, test_rows and the metrics.') },
  params: z
    .strictObject({
      model: z.enum(crossValidatedKinds).default('model.linear').meta({ description: 'Model kind: model.linear or model.logistic.' }),
      target: column('Column to predict.'),
      features: columnList('Feature columns; empty for every other numeric column.').default([]),
      params: z.record(z.string(), z.unknown()).default({}).meta({ description: 'The model kind’s own params (e.g. {"penalty": "l2", "alpha": 0.5} or {"C": 0.1}); defaults for the rest.' }),
      k: z.number().int().min(2).max(100).default(5).meta({ description: 'Number of folds.' }),
      stratified: z.boolean().default(false).meta({ description: 'Keep class shares in every fold (StratifiedKFold; classification only).' }),
      seed: seed().meta({ description: 'Random seed of the fold shuffle (as random_state).' }),
    })
    .superRefine((p, ctx) => {
      if (p.stratified && p.model === 'model.linear') ctx.addIssue({ code: 'custom', path: ['stratified'], message: 'stratified folds need classes: model.linear is a regression model' });
      for (const key of ['target', 'features']) {
        if (key in p.params) ctx.addIssue({ code: 'custom', path: ['params', key], message: `give ${key} as this node's own param, not inside params` });
      }
      const parsed = modelSchemas[p.model].safeParse({ ...p.params, target: p.target, features: p.features });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['params', ...issue.path.map(String)], message: issue.message });
      }
    }),
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: async (ctx) => {
    const p = ctx.params;
    const modelParams = modelSchemas[p.model].parse({ ...p.params, target: p.target, features: p.features }) as Record<string, unknown>;
    const input = ctx.table('in');
    const features = featureColumns(input, p.features, p.target, ctx.node);
    const data = await readDataset(ctx.readRows, input, features, p.target, ctx.node);
    const regression = p.model === 'model.linear';
    const y = regression ? Array.from(numericTarget(data.y!, ctx.node)) : labelsOf(data.y!, ctx.node);
    if (!regression && sortedLabels(y as (string | number | boolean)[]).length < 2) {
      throw new PipelineError({ code: 'data', node: ctx.node, param: 'target', message: 'the target has a single class' });
    }
    if (p.k > data.rows) throw new PipelineError({ code: 'param', node: ctx.node, param: 'k', message: `${p.k} folds need at least ${p.k} rows; the input has ${data.rows}` });
    let folds;
    try {
      folds = await crossValidate(data.X, y, { kind: p.model, params: modelParams, k: p.k, stratified: p.stratified, seed: p.seed }, { signal: ctx.signal, progress: ctx.progress });
    } catch (err) {
      if (err instanceof RangeError) throw new PipelineError({ code: 'data', node: ctx.node, message: err.message });
      throw err;
    }
    const names = regression ? regressionFoldMetrics : classificationFoldMetrics;
    const rows = folds.map((f) => `(${f.fold}, ${f.trainRows}, ${f.testRows}, ${names.map((m) => (f.metrics[m] === null || f.metrics[m] === undefined ? 'NULL::DOUBLE' : `${doubleLiteral(f.metrics[m]!)}`)).join(', ')})`);
    const table = await ctx.materialize(`SELECT * FROM (VALUES ${rows.join(', ')}) AS t(fold, train_rows, test_rows, ${names.join(', ')})`);
    return { metrics: table };
  },
  codegen: crossValidateCodegen,
});
