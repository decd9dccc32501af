import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { column, columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { fitMlp } from '../../ml/mlp.ts';
import { mlpCodegen } from '../../ml/model-codegen.ts';
import { runSupervised } from '../../ml/supervised.ts';

export const mlpParams = z.strictObject({
  target: column('Column to predict: numbers (regression) or classes.'),
  features: columnList('Feature columns; empty for every other numeric column.').default([]),
  task: z.enum(['auto', 'regression', 'classification']).default('auto').meta({ description: 'auto: regression for a numeric target, classification otherwise.' }),
  hiddenLayers: z.array(z.number().int().min(1).max(4096)).min(1).max(10).default([100]).meta({ description: 'Units of each hidden layer, in order.' }),
  activation: z.enum(['relu', 'tanh', 'logistic', 'identity']).default('relu').meta({ description: 'Activation of the hidden units.' }),
  epochs: z.number().int().min(1).default(200).meta({ description: 'Passes over the training rows, at most.' }),
  learningRate: z.number().gt(0).default(0.001).meta({ description: 'Adam’s step size.' }),
  batchSize: z.number().int().min(1).default(200).meta({ description: 'Rows per gradient step.' }),
  alpha: z.number().min(0).default(0.0001).meta({ description: 'L2 penalty on the weights: alpha/2 · ‖W‖² per batch row (scikit-learn’s alpha).' }),
  patience: z.number().int().min(0).default(10).meta({ description: 'Early stopping: epochs without a lower validation loss before stopping; 0 to train all epochs.' }),
  validationFraction: z.number().gt(0).lt(1).default(0.1).meta({ description: 'Early stopping: fraction of rows held out.' }),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42).meta({ description: 'Random seed: initial weights, validation split and shuffles.' }),
});

export const mlp = defineNode({
  kind: 'model.mlp',
  version: 1,
  title: 'Neural network (MLP)',
  category: 'model',
  description: 'A multi-layer perceptron trained with TensorFlow.js (Adam, early stopping): regression or classification.',
  docs: `Dense hidden layers (\`hiddenLayers\` units each, \`activation\`) and a linear output (regression), a sigmoid
(two classes) or a softmax (more), trained with TensorFlow.js as scikit-learn's \`MLPRegressor\`/\`MLPClassifier\`
with the adam solver train: Glorot-uniform initial weights, mini-batches of \`batchSize\` shuffled rows, half
squared error or log loss plus alpha/2·‖W‖²/batch. Features are standardized with the training rows' mean and
standard deviation (and a regression's target too), as a \`StandardScaler\` in front would.

With \`patience\` > 0, \`validationFraction\` of the rows (stratified by class) are held out; training stops after
\`patience\` epochs without a lower validation loss, and the best epoch's weights are kept. Everything random is
seeded, and the wasm backend computes deterministically: the same seed gives the same weights. Progress is
reported per epoch; cancel stops between epochs.

The weights are stored in the artifact and \`model.predict\` scores in JS from them (no TensorFlow.js needed).
Features must have no NULLs.`,
  inputs: { in: port.table('Training data.') },
  outputs: { model: port.model('The fitted model.') },
  params: mlpParams,
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: (ctx) =>
    runSupervised(ctx, 'model.mlp', (data, control) =>
      fitMlp(data.X, data.task === 'regression' ? { task: 'regression', y: data.y } : { task: 'classification', y: data.y, classes: data.classes.length }, mlpOptions(ctx.params), control),
    ),
  codegen: mlpCodegen,
});

export function mlpOptions(p: z.output<typeof mlpParams>) {
  return {
    hiddenLayers: p.hiddenLayers,
    activation: p.activation,
    epochs: p.epochs,
    learningRate: p.learningRate,
    batchSize: p.batchSize,
    alpha: p.alpha,
    patience: p.patience,
    validationFraction: p.validationFraction,
    seed: p.seed,
  };
}
