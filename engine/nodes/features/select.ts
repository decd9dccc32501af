import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { column, columnList, seed } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { PipelineError } from '../../errors.ts';
import { selectCodegen } from '../../ml/codegen.ts';
import { featureColumns, numericTarget, readDataset } from '../../ml/dataset.ts';
import { modelValue } from '../../ml/fitting.ts';
import { encodeLabels, labelsOf, sortedLabels } from '../../ml/labels.ts';
import { fClassif, fRegression, mutualInfo, selectBest, selectSql, type SelectState } from '../../ml/select.ts';
import { doubleLiteral, literal } from '../../sql/quote.ts';
import { isNumericType } from '../../sql/types.ts';

export const selectFeatures = defineNode({
  kind: 'features.select',
  version: 1,
  title: 'Select features',
  category: 'features',
  description: 'Keeps the k features that score best against the target (F-test or mutual information).',
  docs: `As scikit-learn's \`SelectKBest\`: every feature is scored against \`target\` and the \`k\` best are kept
(among equal scores the later feature wins, as SelectKBest's stable sort does); the other feature
columns are dropped, every other column (the target, ids) is kept, in order.

Scores: \`f-test\` is \`f_regression\` (F from the Pearson correlation with a numeric target) or \`f_classif\`
(one-way ANOVA F across the classes), each with its p-value from the F distribution. \`mutual-info\` is
scikit-learn's nearest-neighbour estimate of the mutual information (\`mutual_info_regression\` /
\`mutual_info_classif\`, 3 neighbours): features (and a numeric target) are divided by their standard
deviation and get noise of 1e-10 × max(1, mean |x|) from numpy's RandomState(\`seed\`) — reproduced
exactly, so the same seed gives scikit-learn's estimate — then the Kraskov–Stögbauer–Grassberger
estimator (numeric target) or Ross's estimator for a discrete target (2014); negative estimates are 0.

\`task\` \`auto\` treats a text or boolean target as classes and a numeric one as a regression target; set
\`classification\` for integer-coded classes. \`scores\` lists every feature with its score, p-value (F-test)
and whether it was kept. Features must have no NULLs (impute first).`,
  inputs: { in: port.table() },
  outputs: {
    out: port.table('The input without the features that were not selected.'),
    model: port.model('The fitted selection.'),
    scores: port.metrics('Per feature: score, p-value, selected.'),
  },
  params: z.strictObject({
    target: column('Column the features are scored against.'),
    features: columnList('Candidate features; empty for every other numeric column.').default([]),
    k: z.number().int().min(1).default(10).meta({ description: 'How many features to keep.' }),
    method: z.enum(['f-test', 'mutual-info']).default('f-test').meta({ description: 'f-test (f_regression / f_classif) or mutual-info.' }),
    task: z.enum(['auto', 'regression', 'classification']).default('auto').meta({ description: 'auto: classes for a text or boolean target, regression for a numeric one.' }),
    seed: seed().meta({ description: 'Seed of the noise the mutual-information estimate adds (as random_state).' }),
  }),
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: async (ctx) => {
    const input = ctx.table('in');
    const p = ctx.params;
    const features = featureColumns(input, p.features, p.target, ctx.node);
    if (p.k > features.length) {
      throw new PipelineError({ code: 'param', node: ctx.node, param: 'k', message: `k is ${p.k} but there are only ${features.length} candidate features` });
    }
    const data = await readDataset(ctx.readRows, input, features, p.target, ctx.node);
    const targetType = input.columns.find((c) => c.name.toLowerCase() === p.target.toLowerCase())!.type;
    const task = p.task !== 'auto' ? p.task : isNumericType(targetType) ? 'regression' : 'classification';
    let scores: number[];
    let pValues: (number | null)[];
    const control = { signal: ctx.signal, progress: ctx.progress };
    if (task === 'regression') {
      const y = numericTarget(data.y!, ctx.node);
      if (p.method === 'f-test') ({ F: scores, p: pValues } = fRegression(data.X, y));
      else {
        scores = await mutualInfo(data.X, { continuous: y }, p.seed, control);
        pValues = scores.map(() => null);
      }
    } else {
      const labels = labelsOf(data.y!, ctx.node);
      const classes = sortedLabels(labels);
      if (classes.length < 2) throw new PipelineError({ code: 'data', node: ctx.node, param: 'target', message: 'the target has a single class: nothing to score features against' });
      const y = encodeLabels(labels, classes);
      if (p.method === 'f-test') ({ F: scores, p: pValues } = fClassif(data.X, y, classes.length));
      else {
        scores = await mutualInfo(data.X, { classes: y, count: classes.length }, p.seed, control);
        pValues = scores.map(() => null);
      }
    }
    const selected = selectBest(scores, p.k);
    const state: SelectState = {
      method: p.method,
      task,
      k: p.k,
      scores: features.map((f, j) => ({ name: f.name, score: scores[j]!, pValue: pValues[j] ?? null, selected: selected[j]! })),
    };
    const out = await ctx.materialize(selectSql(state, input.relation, input.columns));
    const rows = state.scores.map((s) => `(${literal(s.name)}, ${doubleLiteral(s.score)}, ${s.pValue === null ? 'NULL' : doubleLiteral(s.pValue)}::DOUBLE, ${s.selected})`);
    const table = await ctx.materialize(`SELECT * FROM (VALUES ${rows.join(', ')}) AS t(feature, score, p_value, selected)`);
    return {
      out,
      model: modelValue({ kind: 'features.select', task: 'transform', features, target: p.target, params: p, state, training: { rows: data.rows, hash: data.hash } }),
      scores: table,
    };
  },
  codegen: selectCodegen,
});
