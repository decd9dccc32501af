import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { column, columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { fitGbdt } from '../../ml/gbdt.ts';
import { gbdtCodegen } from '../../ml/model-codegen.ts';
import { runSupervised } from '../../ml/supervised.ts';

export const gbdtParams = z.strictObject({
  target: column('Column to predict: numbers (regression) or classes.'),
  features: columnList('Feature columns; empty for every other numeric column.').default([]),
  task: z.enum(['auto', 'regression', 'classification']).default('auto').meta({ description: 'auto: regression for a numeric target, classification otherwise.' }),
  learningRate: z.number().gt(0).default(0.1).meta({ description: 'Shrinkage: each tree’s leaf values are multiplied by it.' }),
  maxIter: z.number().int().min(1).default(100).meta({ description: 'Boosting rounds (trees per class), at most.' }),
  maxLeafNodes: z.number().int().min(0).refine((v) => v !== 1, 'must be 0 (no limit) or at least 2').default(31).meta({ description: 'Leaves per tree, at most; 0 for no limit.' }),
  maxDepth: z.number().int().min(0).default(0).meta({ description: 'Depth of a tree, at most; 0 for no limit.' }),
  minSamplesLeaf: z.number().int().min(1).default(20).meta({ description: 'Rows in a leaf, at least.' }),
  l2Regularization: z.number().min(0).default(0).meta({ description: 'L2 penalty on leaf values (λ in −G / (H + λ)).' }),
  maxBins: z.number().int().min(2).max(255).default(255).meta({ description: 'Bins per feature (quantiles of the training rows).' }),
  earlyStopping: z.enum(['auto', 'on', 'off']).default('auto').meta({ description: 'Stop when the validation loss stops improving; auto: on above 10,000 rows.' }),
  validationFraction: z.number().gt(0).lt(1).default(0.1).meta({ description: 'Early stopping: fraction of rows held out to measure the loss on.' }),
  nIterNoChange: z.number().int().min(1).default(10).meta({ description: 'Early stopping: rounds without an improvement before stopping.' }),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42).meta({ description: 'Random seed (the validation split and, above 200,000 rows, the binning sample).' }),
});

export const gbdt = defineNode({
  kind: 'model.gbdt',
  version: 1,
  title: 'Gradient boosting',
  category: 'model',
  description: 'Histogram gradient-boosted trees (scikit-learn’s HistGradientBoosting algorithm): regression or classification.',
  docs: `Boosted decision trees as scikit-learn's \`HistGradientBoostingRegressor\` and \`HistGradientBoostingClassifier\`
fit them, in TypeScript: each feature is binned into at most \`maxBins\` quantile bins of the training rows; each
round fits a tree to the loss's gradients (squared error for a regression, log loss for classes: binomial for two,
multinomial with one tree per class for more), grown leaf by leaf, always splitting the leaf with the largest gain
(G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)), with histograms of the larger child by subtraction; leaf values
−G/(H+λ) are shrunk by \`learningRate\` and added to the baseline (the mean, or the log-odds of the class shares).
Growth stops at \`maxLeafNodes\` leaves, \`maxDepth\`, or when a split would leave fewer than \`minSamplesLeaf\` rows.

Early stopping holds out \`validationFraction\` of the rows (stratified by class) and stops once the validation
loss has not improved by 1e-7 for \`nIterNoChange\` rounds; \`auto\` turns it on above 10,000 rows. The split, like the
binning sample above 200,000 rows, is the one scikit-learn draws with \`random_state=seed\`, so with the same params
the tests find scikit-learn 1.2's predictions to within 1e-12. Progress is reported per round; cancel stops between rounds.

\`model.predict\` appends \`prediction\` (and for classes \`probability\`, as model.logistic does), scored in JS from
the trees stored in the artifact. Features must have no NULLs.`,
  inputs: { in: port.table('Training data.') },
  outputs: { model: port.model('The fitted model.') },
  params: gbdtParams,
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: (ctx) =>
    runSupervised(ctx, 'model.gbdt', (data, control) =>
      fitGbdt(data.X, data.task === 'regression' ? { task: 'regression', y: data.y } : { task: 'classification', y: data.y, classes: data.classes.length }, gbdtOptions(ctx.params), control),
    ),
  codegen: gbdtCodegen,
});

/** The fit's options from the kind's params. */
export function gbdtOptions(p: z.output<typeof gbdtParams>) {
  return {
    learningRate: p.learningRate,
    maxIter: p.maxIter,
    maxLeafNodes: p.maxLeafNodes || null,
    maxDepth: p.maxDepth || null,
    minSamplesLeaf: p.minSamplesLeaf,
    l2Regularization: p.l2Regularization,
    maxBins: p.maxBins,
    earlyStopping: p.earlyStopping,
    validationFraction: p.validationFraction,
    nIterNoChange: p.nIterNoChange,
    seed: p.seed,
  };
}
