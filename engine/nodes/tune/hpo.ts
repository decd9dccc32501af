import { z } from 'zod';
import { isNumericType } from '../../sql/types.ts';
import { defineNode } from '../../catalog/define-node.ts';
import { column, columnList, seed } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { abortError, PipelineError } from '../../errors.ts';
import { Ticker } from '../../ml/control.ts';
import { featureColumns, readDataset } from '../../ml/dataset.ts';
import { tunedCodegen } from '../../tune/codegen.ts';
import { crossValidationFolds, trainData, truthOf } from '../../tune/data.ts';
import { tunableKinds, tunableModel } from '../../tune/models.ts';
import { resolveSpace, spaceParam } from '../../tune/params.ts';
import { MedianPruner } from '../../tune/pruner.ts';
import { readStudy, studyReport, trialsTable, type StudySummary } from '../../tune/record.ts';
import { createSampler, samplerNames } from '../../tune/samplers/index.ts';
import { metricNames, metrics, score } from '../../tune/scoring.ts';
import { describeDistribution, type Params } from '../../tune/space.ts';
import { Study, TrialPruned, type FrozenTrial } from '../../tune/study.ts';

export const hpo = defineNode({
  kind: 'tune.hpo',
  version: 1,
  title: 'Tune hyperparameters',
  category: 'tune',
  description: 'Searches a model’s params by cross-validation (TPE, GP or random), with pruning; outputs the best model.',
  docs: `Each trial picks the model's params from \`space\` (default: the model's own tunable ranges),
fits the model on \`folds\` − 1 folds and scores it on the held-out fold, for every fold (scikit-learn's
\`KFold(shuffle=True, random_state=seed)\` folds; \`StratifiedKFold\` for a classifier). The trial's value
is the mean of the fold scores.
With \`pruning\`, the running mean after each fold is reported and a trial is stopped early when it is
worse than the median of the completed trials at that fold (Optuna's MedianPruner: after 5 complete
trials, from the first fold).

Samplers: \`tpe\` (Optuna 3.1's TPESampler and its defaults: 10 random trials, then Parzen estimators
of the good and bad trials), \`gp\` (Gaussian-process Bayesian optimization: Matérn-5/2 kernel,
expected improvement) and \`random\`. The same seed gives the same trials: each trial draws from its own
random stream, and the samplers depend only on the finished trials. A study stopped by \`timeBudget\` has
as many trials as fitted in the time, so it is the one setting that is not reproducible.

\`model\` is the best trial's params refitted on all the input (its metrics include \`cv_<metric>\`);
\`trials\` has one row per trial (Optuna's \`params_<name>\` columns); \`report\` shows the optimization
history and each param's importance — the share of the value's variance the param explains alone
(η², the correlation ratio, over 5 bins of its range), normalized to sum to 1.

Resuming: when the node runs again over the same input with more \`trials\` (or after a cancelled
run), it continues from the trials it has, numbering on, if the other settings are unchanged; the
result is the same as one uninterrupted study. Code export writes the best params found by the run as
plain scikit-learn, with the same folds.`,
  inputs: { in: port.table('Training data.') },
  outputs: {
    model: port.model('The best params refitted on all the input.'),
    trials: port.table('One row per trial: number, state, value, best so far, duration, params.'),
    report: port.report('Optimization history, parameter importance and the trials.'),
  },
  params: z.strictObject({
    model: z.enum(tunableKinds).default(tunableKinds[0]).meta({ description: 'Model kind to tune.' }),
    target: column('Column to predict.'),
    features: columnList('Feature columns; empty for every other numeric column.').default([]),
    space: spaceParam(),
    sampler: z.enum(samplerNames).default('tpe').meta({ description: 'tpe (Tree-structured Parzen Estimator), gp (Gaussian process) or random.' }),
    trials: z.number().int().min(1).max(10_000).default(50).meta({ description: 'Trials in the study (resuming counts those already run).' }),
    timeBudget: z.number().min(0).default(0).meta({ description: 'Seconds after which no new trial starts; 0 for no limit.' }),
    folds: z.number().int().min(2).max(20).default(5).meta({ description: 'Cross-validation folds.' }),
    metric: z.enum(metricNames).optional().meta({ description: 'Score to optimize: rmse, mae, r2 (regression; default rmse), accuracy, log_loss, roc_auc (classification; default accuracy).' }),
    pruning: z.boolean().default(true).meta({ description: 'Stop trials early whose running fold mean is worse than the median (MedianPruner).' }),
    seed: seed().meta({ description: 'Random seed: the same seed gives the same folds and trials.' }),
  }),
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: async (ctx) => {
    const p = ctx.params;
    const input = ctx.table('in');
    // Kinds that fit both tasks (trees, MLP) have an entry per task: the metric, else the
    // target's type (numeric: regression), says which.
    const targetColumn = input.columns.find((c) => c.name.toLowerCase() === p.target.toLowerCase());
    const task = p.metric ? metrics[p.metric].task : targetColumn && !isNumericType(targetColumn.type) ? 'classification' : undefined;
    const model = (task && tunableModel(p.model, task)) || tunableModel(p.model)!;
    const metric = p.metric ?? (model.task === 'regression' ? 'rmse' : 'accuracy');
    if (metrics[metric].task !== model.task) {
      throw new PipelineError({ code: 'param', node: ctx.node, param: 'metric', message: `${metric} scores ${metrics[metric].task} models; ${model.kind} is a ${model.task} model` });
    }
    const direction = metrics[metric].direction;
    const space = resolveSpace(model, p.space, ctx.node);
    const features = featureColumns(input, p.features, p.target, ctx.node);
    const featureNames = features.map((f) => f.name);
    // The data is read once; every trial fits on in-memory folds of it.
    const data = await readDataset(ctx.readRows, input, features, p.target, ctx.node);
    const all = trainData(model.task, data, input, p.target, ctx.node);
    const folds = crossValidationFolds(all, p.folds, p.seed, ctx.node);

    const config = { model: p.model, task: model.task, target: p.target, features: featureNames, space, sampler: p.sampler, folds: p.folds, metric, pruning: p.pruning, seed: p.seed };
    const resumed = (readStudy(await ctx.previous('report'), config) ?? []).slice(0, p.trials);
    const study = new Study({ direction, sampler: createSampler(p.sampler), ...(p.pruning ? { pruner: new MedianPruner() } : {}), seed: p.seed, space, trials: resumed });
    const summary = (trials: readonly FrozenTrial[], stopped?: string): StudySummary => ({
      title: `${p.sampler.toUpperCase()} search over ${model.kind}: ${metrics[metric].title} by ${p.folds}-fold CV`,
      config,
      facts: [
        ['model', model.kind],
        ['metric', `${metric} (${p.folds}-fold cross-validation, seed ${p.seed})`],
        ['sampler', p.sampler],
        ['space', Object.entries(space).map(([n, d]) => `${n}: ${describeDistribution(d)}`).join('; ')],
      ],
      trials,
      space,
      direction,
      metric,
      ...(stopped ? { stopped } : {}),
    });
    const progress = (trials: readonly FrozenTrial[]) => {
      const best = study.best;
      const last = trials.at(-1);
      const text = last ? `trial ${last.number} ${last.state}${last.value !== null ? ` ${metric} ${fmt(last.value)}` : ''}${best ? ` · best ${fmt(best.value!)} (#${best.number})` : ''}` : undefined;
      ctx.progress(trials.length, p.trials, text);
    };
    const saveCheckpoint = () => ctx.checkpoint({ report: studyReport({ ...summary(study.trials, 'cancelled'), minimal: true }) });
    if (resumed.length) saveCheckpoint();
    progress(study.trials);

    const ticker = new Ticker({ signal: ctx.signal });
    const stopped = await study.optimize(
      async (trial) => {
        const tuned: Params = {};
        for (const [name, dist] of Object.entries(space)) tuned[name] = trial.suggest(name, dist);
        const params = model.params(tuned, p.target, featureNames);
        let sum = 0;
        for (const [f, fold] of folds.entries()) {
          const state = await model.fit(fold.train, params, { signal: ctx.signal });
          sum += score(metric, truthOf(fold.test), model.predict(state, fold.test.X));
          trial.report(sum / (f + 1), f);
          if (trial.shouldPrune()) throw new TrialPruned();
          await ticker.tick(study.trials.length, p.trials);
        }
        return sum / folds.length;
      },
      {
        nTrials: p.trials - resumed.length,
        ...(p.timeBudget > 0 ? { timeoutMs: p.timeBudget * 1000 } : {}),
        signal: ctx.signal,
        onTrial: () => {
          saveCheckpoint();
          progress(study.trials);
        },
      },
    );
    if (stopped === 'cancelled') throw abortError();
    const best = study.best;
    if (!best) throw new PipelineError({ code: 'data', node: ctx.node, message: `no trial completed (${study.trials.length} pruned or failed)` });

    const params = model.params(best.params, p.target, featureNames);
    const state = await model.fit(all, params, { signal: ctx.signal });
    const artifact = model.artifact(state, all, params, features, p.target);
    return {
      model: {
        type: 'model',
        artifact: { ...artifact, metrics: { ...artifact.metrics, [`cv_${metric}`]: best.value! }, training: { rows: data.rows, hash: data.hash } },
      },
      trials: await trialsTable(ctx.materialize, study.trials, space, direction),
      report: studyReport(summary(study.trials, stopped === 'timeout' ? `time budget (${p.timeBudget} s)` : undefined)),
    };
  },
  codegen: tunedCodegen((best, config) => ({ pipeline: { model: config['model'] as string, tuned: best }, columns: best }), 'trials'),
});

function fmt(x: number): string {
  return Math.abs(x) >= 1000 || Math.abs(x) < 0.001 ? x.toPrecision(4) : x.toFixed(4).replace(/\.?0+$/, '');
}
