import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { column, columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { fitForest } from '../../ml/forest.ts';
import { forestCodegen } from '../../ml/model-codegen.ts';
import { runSupervised } from '../../ml/supervised.ts';

export const forestParams = z.strictObject({
  target: column('Column to predict: numbers (regression) or classes.'),
  features: columnList('Feature columns; empty for every other numeric column.').default([]),
  task: z.enum(['auto', 'regression', 'classification']).default('auto').meta({ description: 'auto: regression for a numeric target, classification otherwise.' }),
  nEstimators: z.number().int().min(1).default(100).meta({ description: 'Trees.' }),
  maxDepth: z.number().int().min(0).default(0).meta({ description: 'Depth of a tree, at most; 0 for no limit.' }),
  minSamplesSplit: z.number().int().min(2).default(2).meta({ description: 'Rows a node needs to be split.' }),
  minSamplesLeaf: z.number().int().min(1).default(1).meta({ description: 'Rows in a leaf, at least.' }),
  maxFeatures: z
    .enum(['auto', 'sqrt', 'log2', 'all', 'fraction'])
    .default('auto')
    .meta({ description: 'Features each split tries: auto is all for a regression and sqrt for classes (scikit-learn’s defaults); fraction uses maxFeaturesFraction.' }),
  maxFeaturesFraction: z.number().gt(0).max(1).default(0.5).meta({ description: 'With maxFeatures fraction: this fraction of the features (at least one).' }),
  bootstrap: z.boolean().default(true).meta({ description: 'Fit each tree on a bootstrap sample (rows drawn with replacement).' }),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42).meta({ description: 'Random seed (bootstrap samples and the features each split tries).' }),
});

export const randomForest = defineNode({
  kind: 'model.random_forest',
  version: 1,
  title: 'Random forest',
  category: 'model',
  description: 'Bagged decision trees with random feature subsets (scikit-learn’s RandomForest): regression or classification.',
  docs: `A forest of \`nEstimators\` CART trees as scikit-learn's \`RandomForestRegressor\` and \`RandomForestClassifier\` grow
them: each tree on a bootstrap sample of the rows (the counts weight the rows), each split the best over
\`maxFeatures\` features drawn at random (squared error for a regression, Gini impurity for classes), at the
midpoint between two consecutive feature values (compared as float32, as scikit-learn stores features), until
leaves are pure or hold fewer than \`minSamplesSplit\` rows (or \`maxDepth\` is reached). Predictions average the
trees: the mean, or the mean of the leaves' class shares. The random draws (per-tree seeds, bootstrap rows, the
features a split tries) are scikit-learn's for \`random_state=seed\`, so the tests find the same predictions as
scikit-learn 1.2. Progress is reported per tree; cancel stops between trees.

Full-depth trees are large (about two nodes per training row each): the artifact holds them all.
\`model.predict\` scores in JS from the stored trees. Features must have no NULLs.`,
  inputs: { in: port.table('Training data.') },
  outputs: { model: port.model('The fitted model.') },
  params: forestParams,
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: (ctx) =>
    runSupervised(ctx, 'model.random_forest', (data, control) =>
      fitForest(data.X, data.task === 'regression' ? { task: 'regression', y: data.y } : { task: 'classification', y: data.y, classes: data.classes.length }, forestOptions(ctx.params), control),
    ),
  codegen: forestCodegen,
});

export function forestOptions(p: z.output<typeof forestParams>) {
  return {
    nEstimators: p.nEstimators,
    maxDepth: p.maxDepth,
    minSamplesSplit: p.minSamplesSplit,
    minSamplesLeaf: p.minSamplesLeaf,
    maxFeatures: p.maxFeatures,
    maxFeaturesFraction: p.maxFeaturesFraction,
    bootstrap: p.bootstrap,
    seed: p.seed,
  };
}
