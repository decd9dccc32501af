import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { column, columnList } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { logisticCodegen } from '../../ml/codegen.ts';
import { featureColumns, readDataset } from '../../ml/dataset.ts';
import { modelValue } from '../../ml/fitting.ts';
import { encodeLabels, labelsOf, sortedLabels } from '../../ml/labels.ts';
import { checkClasses, fitLogistic, logisticPredict, type LogisticState } from '../../ml/logistic.ts';
import { classificationMetrics } from '../../ml/metrics.ts';

export const logistic = defineNode({
  kind: 'model.logistic',
  version: 1,
  title: 'Logistic regression',
  category: 'model',
  description: 'L2-regularized logistic regression (binary or multinomial), with scikit-learn’s objective.',
  docs: `Fits class probabilities of \`target\` (text, numbers or booleans) from \`features\` (default: every other
numeric column), as scikit-learn's \`LogisticRegression(C=C)\` with its default lbfgs solver: it minimizes
Σ log-loss + ‖w‖²/(2C), the intercept unpenalized. Two classes give one weight vector and the sigmoid;
more give the multinomial (softmax) model with one weight vector per class, the intercepts summing to zero.
Classes are the target's distinct values, sorted; for two classes the second is the positive one.

Solved by Newton's method with an exact Hessian (L-BFGS when there are very many classes × features),
to a much tighter tolerance than scikit-learn's default, so coefficients agree with its converged solution.
\`model.predict\` appends \`prediction\` (the most probable class) and \`probability\`: for two classes the
positive class's probability; for more, the predicted class's, plus \`probability_<class>\` for each class.
Features must have no NULLs; rows with a NULL target are an error.`,
  inputs: { in: port.table('Training data.') },
  outputs: { model: port.model('The fitted model.') },
  params: z.strictObject({
    target: column('Column with the classes to predict.'),
    features: columnList('Feature columns; empty for every other numeric column.').default([]),
    C: z.number().gt(0).default(1).meta({ description: 'Inverse regularization strength: smaller is stronger.' }),
  }),
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: async (ctx) => {
    const input = ctx.table('in');
    const p = ctx.params;
    const features = featureColumns(input, p.features, p.target, ctx.node);
    const data = await readDataset(ctx.readRows, input, features, p.target, ctx.node);
    const labels = labelsOf(data.y!, ctx.node);
    const classes = sortedLabels(labels);
    checkClasses(classes, ctx.node);
    const y = encodeLabels(labels, classes);
    const targetType = input.columns.find((c) => c.name.toLowerCase() === p.target.toLowerCase())!.type;
    const fit = await fitLogistic(data.X, y, classes.length, p.C, { signal: ctx.signal, progress: ctx.progress });
    const state: LogisticState = { classes, targetType, ...fit };
    const { proba, predicted } = logisticPredict(state, data.X);
    const K = classes.length;
    const m = classificationMetrics(
      labels,
      Array.from(predicted, (c) => classes[c]!),
      K === 2
        ? { positive: classes[1]!, positiveProba: Float64Array.from({ length: data.rows }, (_, i) => proba[i * 2 + 1]!) }
        : { proba: { classes, values: classes.map((_, k) => Float64Array.from({ length: data.rows }, (_, i) => proba[i * K + k]!)) } },
    );
    return {
      model: modelValue({
        kind: 'model.logistic',
        task: K === 2 ? 'binary' : 'multiclass',
        features,
        target: p.target,
        classes,
        params: p,
        state,
        metrics: { accuracy: m.accuracy, log_loss: m.logLoss ?? NaN },
        training: { rows: data.rows, hash: data.hash },
      }),
    };
  },
  codegen: logisticCodegen,
});
