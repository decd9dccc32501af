import { z } from 'zod';
import { defineNode, type PortValue } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';
import type { ColumnInfo } from '../../db/database.ts';
import { PipelineError } from '../../errors.ts';
import type { ModelArtifact } from '../../ml/artifact.ts';
import { numericTarget, readDataset } from '../../ml/dataset.ts';
import { encodeLabels, labelsOf } from '../../ml/labels.ts';
import { ensembleCodegen } from '../../ml/model-codegen.ts';
import { type EnsembleState, scoreArtifact, trainingMetrics, type Supervised } from '../../ml/supervised.ts';

/** Kinds an ensemble can hold: the ones scored in JS (see `scoreArtifact`). */
const memberKinds = ['model.linear', 'model.logistic', 'model.gbdt', 'model.random_forest', 'model.mlp', 'model.ensemble'];
const ports = ['a', 'b', 'c', 'd'] as const;

export const ensemble = defineNode({
  kind: 'model.ensemble',
  version: 1,
  title: 'Ensemble',
  category: 'model',
  description: 'Averages fitted models: the weighted mean of regressors’ predictions, or soft voting over classifiers.',
  docs: `Combines two to four fitted models (ports \`a\` and \`b\`, and optionally \`c\` and \`d\`) into one: a regression
ensemble predicts Σ wᵢ·predictionᵢ / Σ wᵢ (scikit-learn's VotingRegressor), a classifier ensemble the same mean of
the members' class probabilities and the most probable class (VotingClassifier with voting='soft'). \`weights\`
gives one weight per connected model, in port order (empty: equal weights). Members must all be regressors or all
classifiers with the same classes; each reads the columns it was fitted on, so they may use different features.
Members that carry preprocessing (AutoML pipelines) cannot be combined: fit them on preprocessed data instead.

The ensemble fits nothing; its artifact carries the members' artifacts. Connect the training data to the
optional \`in\` port to record the ensemble's training metrics in the artifact. \`model.predict\` scores in JS.`,
  inputs: {
    a: port.model('A fitted model.'),
    b: port.model('A fitted model.'),
    c: port.model('A third fitted model.', { optional: true }),
    d: port.model('A fourth fitted model.', { optional: true }),
    in: port.table('Training data: the ensemble’s metrics are computed on it.', { optional: true }),
  },
  outputs: { model: port.model('The ensemble.') },
  params: z.strictObject({
    weights: z.array(z.number().min(0)).max(4).default([]).meta({ description: 'One weight per connected model, in port order (a, b, c, d); empty for equal weights.' }),
  }),
  run: async (ctx) => {
    const inputs = ctx.inputs as Partial<Record<(typeof ports)[number] | 'in', PortValue>>;
    const connected = ports.filter((k) => inputs[k] !== undefined);
    const members = connected.map((k) => member(inputs[k], k, ctx.node));
    const weights = ctx.params.weights.length ? ctx.params.weights : members.map(() => 1);
    if (weights.length !== members.length) {
      throw new PipelineError({ code: 'param', node: ctx.node, param: 'weights', message: `expected ${members.length} weights (one per connected model: ${connected.join(', ')}), got ${weights.length}` });
    }
    if (!(weights.reduce((a, b) => a + b, 0) > 0)) throw new PipelineError({ code: 'param', node: ctx.node, param: 'weights', message: 'the weights must not all be 0' });
    const first = members[0]!;
    const regression = first.task === 'regression';
    members.forEach((m, i) => {
      const where = { code: 'port-type' as const, node: ctx.node, port: connected[i]! };
      if ((m.task === 'regression') !== regression) throw new PipelineError({ ...where, message: `cannot combine a ${m.task} model with a ${first.task} model` });
      if (!regression && JSON.stringify(m.classes) !== JSON.stringify(first.classes)) {
        throw new PipelineError({ ...where, message: `classes ${JSON.stringify(m.classes)} differ from model a's ${JSON.stringify(first.classes)}` });
      }
    });
    // Every member's features, each once (matched by name as DuckDB matches names), in port order.
    const features: ColumnInfo[] = [];
    for (const m of members) for (const f of m.features) if (!features.some((g) => g.name.toLowerCase() === f.name.toLowerCase())) features.push(f);
    const targetType = (first.state as { targetType?: string }).targetType;
    const state: EnsembleState & { targetType?: string } = { members, weights, ...(targetType ? { targetType } : {}) };
    const artifact: ModelArtifact = {
      format: 'kanvas.model',
      version: 1,
      kind: 'model.ensemble',
      task: first.task,
      features,
      ...(first.target ? { target: first.target } : {}),
      ...(first.classes ? { classes: first.classes } : {}),
      params: { weights: ctx.params.weights },
      state,
      // Without training data: the members' (when they all saw the same rows, that is the ensemble's too).
      training: members.every((m) => m.training.hash === first.training.hash) ? first.training : { rows: first.training.rows, hash: '' },
    };
    const data = inputs.in;
    if (data?.type === 'table' && first.target) {
      const missing = [...features.map((f) => f.name), first.target].filter((name) => !data.columns.some((c) => c.name.toLowerCase() === name.toLowerCase()));
      if (missing.length) throw new PipelineError({ code: 'data', node: ctx.node, port: 'in', message: `missing column${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} the models were fitted on` });
      const d = await readDataset(ctx.readRows, data, features, first.target, ctx.node);
      let supervised: Supervised;
      if (regression) supervised = { task: 'regression', X: d.X, y: numericTarget(d.y!, ctx.node) };
      else {
        const labels = labelsOf(d.y!, ctx.node);
        const classes = first.classes!;
        const unknown = labels.find((l) => !classes.includes(l));
        if (unknown !== undefined) throw new PipelineError({ code: 'data', node: ctx.node, port: 'in', message: `the target has a class the models do not know: ${JSON.stringify(unknown)}` });
        supervised = { task: 'classification', X: d.X, y: encodeLabels(labels, classes), classes, labels, targetType: targetType ?? 'VARCHAR' };
      }
      artifact.metrics = trainingMetrics(supervised, scoreArtifact(artifact, d.X)!);
      artifact.training = { rows: d.rows, hash: d.hash };
    }
    return { model: { type: 'model', artifact } };
  },
  codegen: ensembleCodegen,
});

function member(v: PortValue | undefined, port: string, node: string): ModelArtifact {
  if (v?.type !== 'model') throw new PipelineError({ code: 'port-type', node, port, message: 'expected a fitted model' });
  const a = v.artifact;
  if (a.task === 'transform' || !memberKinds.includes(a.kind)) {
    throw new PipelineError({ code: 'port-type', node, port, message: `an ensemble combines models (${memberKinds.join(', ')}), not ${a.kind}` });
  }
  if (a.preprocessing?.length) {
    throw new PipelineError({ code: 'port-type', node, port, message: `the ${a.kind} model carries preprocessing (${a.preprocessing.map((p) => p.kind).join(', ')}), which an ensemble cannot apply: fit the models on preprocessed data instead` });
  }
  return a;
}
