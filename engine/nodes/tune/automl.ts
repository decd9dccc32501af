import { z } from 'zod';
import { defineNode, type ReportSection } from '../../catalog/define-node.ts';
import { column, columnList, seed } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import type { ColumnInfo, Primitive } from '../../db/database.ts';
import { abortError, PipelineError } from '../../errors.ts';
import { canonicalJson } from '../../exec/fingerprint.ts';
import { Ticker } from '../../ml/control.ts';
import { featureColumns, readDataset } from '../../ml/dataset.ts';
import { ident, literal } from '../../sql/quote.ts';
import { isNumericType } from '../../sql/types.ts';
import { tunedCodegen } from '../../tune/codegen.ts';
import { crossValidationFolds, trainData, truthOf } from '../../tune/data.ts';
import { tunableKinds, tunableModel, tunableModels } from '../../tune/models.ts';
import { fitPipeline, pipelineArtifact, predictPipeline, type PipelineSpec } from '../../tune/pipeline.ts';
import { MedianPruner } from '../../tune/pruner.ts';
import { readStudy, studyReport, type StudySummary } from '../../tune/record.ts';
import { createSampler, samplerNames } from '../../tune/samplers/index.ts';
import { metricNames, metrics, score } from '../../tune/scoring.ts';
import type { Params, SearchSpace } from '../../tune/space.ts';
import { Study, TrialPruned, type Direction, type FrozenTrial, type Trial } from '../../tune/study.ts';

/** Polynomial terms are only tried on at most this many (selected) features. */
const POLY_MAX_FEATURES = 30;

const leaderboardColumns: ColumnInfo[] = [
  { name: 'rank', type: 'INTEGER' },
  { name: 'trial', type: 'INTEGER' },
  { name: 'model', type: 'VARCHAR' },
  { name: 'features', type: 'INTEGER' },
  { name: 'poly', type: 'BOOLEAN' },
  { name: 'scale', type: 'BOOLEAN' },
  { name: 'params', type: 'VARCHAR' },
  { name: 'value', type: 'DOUBLE' },
  { name: 'state', type: 'VARCHAR' },
  { name: 'duration_ms', type: 'DOUBLE' },
];

export const automl = defineNode({
  kind: 'tune.automl',
  version: 1,
  title: 'AutoML',
  category: 'tune',
  description: 'Searches models × preprocessing (scaling, polynomial terms, feature selection) by cross-validation within a time budget.',
  docs: `Each trial builds a pipeline — keep the \`k\` best features (scikit-learn's SelectKBest with
f_regression, or f_classif for classes) → degree-2 polynomial terms → standard scaling → a model with
its params — and scores it by \`folds\`-fold cross-validation (shuffled KFold seeded by \`seed\`;
StratifiedKFold for classes), every step fitted on the training folds only. The search is a study over the model kind, the model's own
params (named \`<kind>.<param>\`), \`k\`, \`poly\` and \`scale\`, with the chosen \`sampler\`, median pruning
on the running fold mean, and a \`trials\` limit and \`timeBudget\` (seconds; 0 for none) — a study cut
by the budget is the only non-reproducible setting.

Models are every kind tunable by \`tune.hpo\` for the task (or those listed in \`models\`); \`task\`
\`auto\` treats a numeric target as regression and any other as classes. Polynomial terms are tried
only on up to ${POLY_MAX_FEATURES} features.

\`model\` is the best pipeline refitted on all the input: the model's artifact with the scaler (and
polynomial step) attached as preprocessing, so model.predict applies it to raw data; feature selection
shows as the model reading only the selected columns. \`leaderboard\` ranks the trials; \`report\` has the
optimization history, importances (η²) and the trials. Re-running over the same input with more
trials, or after a cancel, resumes the study. Code export writes the best pipeline as scikit-learn.`,
  inputs: { in: port.table('Training data.') },
  outputs: {
    model: port.model('The best pipeline refitted on all the input.'),
    leaderboard: port.table('Trials ranked by their cross-validated score.'),
    report: port.report('Leaderboard, optimization history, importances and the trials.'),
  },
  params: z.strictObject({
    target: column('Column to predict.'),
    features: columnList('Feature columns; empty for every other numeric column.').default([]),
    task: z.enum(['auto', 'regression', 'classification']).default('auto').meta({ description: 'auto: regression for a numeric target, classification otherwise.' }),
    models: z.array(z.enum(tunableKinds)).default([]).meta({ description: 'Model kinds to try; empty for every tunable kind for the task.' }),
    scaling: z.enum(['search', 'on', 'off']).default('search').meta({ description: 'Standard scaling: searched, always or never.' }),
    polynomial: z.enum(['search', 'on', 'off']).default('search').meta({ description: 'Degree-2 polynomial terms: searched, always or never.' }),
    selection: z.boolean().default(true).meta({ description: 'Search how many features to keep (SelectKBest).' }),
    sampler: z.enum(samplerNames).default('tpe').meta({ description: 'tpe, gp or random.' }),
    trials: z.number().int().min(1).max(10_000).default(100).meta({ description: 'Trials in the study (resuming counts those already run).' }),
    timeBudget: z.number().min(0).default(60).meta({ description: 'Seconds after which no new trial starts; 0 for no limit.' }),
    folds: z.number().int().min(2).max(20).default(5).meta({ description: 'Cross-validation folds.' }),
    metric: z.enum(metricNames).optional().meta({ description: 'Score to optimize; default rmse (regression) or accuracy (classification).' }),
    pruning: z.boolean().default(true).meta({ description: 'Stop trials early whose running fold mean is worse than the median.' }),
    seed: seed().meta({ description: 'Random seed: the same seed gives the same folds and trials.' }),
  }),
  columnRefs: (p) => [{ param: 'target', column: p.target, input: 'in' }, ...p.features.map((f, i) => ({ param: `features[${i}]`, column: f, input: 'in' as const }))],
  run: async (ctx) => {
    const p = ctx.params;
    const input = ctx.table('in');
    const targetColumn = input.columns.find((c) => c.name.toLowerCase() === p.target.toLowerCase());
    const task = p.task !== 'auto' ? p.task : targetColumn && isNumericType(targetColumn.type) ? 'regression' : 'classification';
    const candidates = tunableModels.filter((m) => m.task === task && (p.models.length === 0 || p.models.includes(m.kind)));
    if (candidates.length === 0) {
      const offered = tunableModels.filter((m) => m.task === task).map((m) => m.kind);
      throw new PipelineError({ code: 'param', node: ctx.node, param: 'models', message: `no tunable ${task} model${offered.length ? ` among those listed; available: ${offered.join(', ')}` : ' kind exists yet'}` });
    }
    const metric = p.metric ?? (task === 'regression' ? 'rmse' : 'accuracy');
    if (metrics[metric].task !== task) throw new PipelineError({ code: 'param', node: ctx.node, param: 'metric', message: `${metric} scores ${metrics[metric].task}, and this is ${task}` });
    const direction: Direction = metrics[metric].direction;
    const features = featureColumns(input, p.features, p.target, ctx.node);
    const names = features.map((f) => f.name);
    const data = await readDataset(ctx.readRows, input, features, p.target, ctx.node);
    const all = trainData(task, data, input, p.target, ctx.node);
    const folds = crossValidationFolds(all, p.folds, p.seed, ctx.node);
    const nFeatures = names.length;

    // The union of every param a trial may suggest (for importance and the record).
    const space: SearchSpace = {};
    if (candidates.length > 1) space['model'] = { type: 'categorical', choices: candidates.map((m) => m.kind) };
    for (const m of candidates) for (const [n, d] of Object.entries(m.space)) space[`${m.kind}.${n}`] = d;
    if (p.selection && nFeatures > 1) space['k'] = { type: 'int', low: 1, high: nFeatures };
    if (p.polynomial === 'search') space['poly'] = { type: 'categorical', choices: [false, true] };
    if (p.scaling === 'search') space['scale'] = { type: 'categorical', choices: [true, false] };

    const specOf = (trial: Pick<Trial, 'suggest'>): PipelineSpec => {
      const kind = candidates.length > 1 ? (trial.suggest('model', space['model']!) as string) : candidates[0]!.kind;
      const model = tunableModel(kind, task)!;
      const tuned: Params = {};
      for (const [n, d] of Object.entries(model.space)) tuned[n] = trial.suggest(`${kind}.${n}`, d);
      const k = space['k'] ? (trial.suggest('k', space['k']) as number) : nFeatures;
      const poly = p.polynomial === 'on' || (p.polynomial === 'search' && k <= POLY_MAX_FEATURES && (trial.suggest('poly', space['poly']!) as boolean));
      const scale = p.scaling === 'on' || (p.scaling === 'search' && (trial.suggest('scale', space['scale']!) as boolean));
      return { model, tuned, target: p.target, k, poly, scale };
    };

    const config = {
      task,
      models: candidates.map((m) => m.kind),
      target: p.target,
      features: names,
      space,
      scaling: p.scaling,
      polynomial: p.polynomial,
      selection: p.selection,
      sampler: p.sampler,
      folds: p.folds,
      metric,
      pruning: p.pruning,
      seed: p.seed,
    };
    const resumed = (readStudy(await ctx.previous('report'), config) ?? []).slice(0, p.trials);
    // The space is conditional (each model's own params): no declared joint space.
    const study = new Study({ direction, sampler: createSampler(p.sampler), ...(p.pruning ? { pruner: new MedianPruner() } : {}), seed: p.seed, trials: resumed, distributions: space });
    const summary = (trials: readonly FrozenTrial[], stopped?: string, extra?: ReportSection[]): StudySummary => ({
      title: `AutoML (${task}): ${metrics[metric].title} by ${p.folds}-fold CV over ${candidates.map((m) => m.kind).join(', ')}`,
      config,
      facts: [
        ['task', task],
        ['models', candidates.map((m) => m.kind).join(', ')],
        ['metric', `${metric} (${p.folds}-fold cross-validation, seed ${p.seed})`],
        ['sampler', p.sampler],
        ['preprocessing', `selection ${p.selection && nFeatures > 1 ? `k in 1..${nFeatures}` : 'off'}; scaling ${p.scaling}; polynomial ${p.polynomial}`],
      ],
      trials,
      space,
      direction,
      metric,
      ...(stopped ? { stopped } : {}),
      ...(extra ? { extra } : {}),
    });
    const saveCheckpoint = () => ctx.checkpoint({ report: studyReport({ ...summary(study.trials, 'cancelled'), minimal: true }) });
    if (resumed.length) saveCheckpoint();
    ctx.progress(study.trials.length, p.trials);

    const ticker = new Ticker({ signal: ctx.signal });
    const stopped = await study.optimize(
      async (trial) => {
        const spec = specOf(trial);
        let sum = 0;
        for (const [f, fold] of folds.entries()) {
          const fitted = await fitPipeline(fold.train, names, spec, { signal: ctx.signal });
          sum += score(metric, truthOf(fold.test), predictPipeline(fitted, fold.test.X));
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
        onTrial: (t) => {
          saveCheckpoint();
          const best = study.best;
          ctx.progress(study.trials.length, p.trials, `trial ${t.number} ${t.state}${best ? ` · best ${metric} ${best.value} (#${best.number})` : ''}`);
        },
      },
    );
    if (stopped === 'cancelled') throw abortError();
    const best = study.best;
    if (!best) throw new PipelineError({ code: 'data', node: ctx.node, message: `no trial completed (${study.trials.length} pruned or failed)` });

    const bestSpec = specOf({ suggest: (name: string) => best.params[name]! });
    const fitted = await fitPipeline(all, names, bestSpec, { signal: ctx.signal });
    const artifact = pipelineArtifact(fitted, all, features, p.target, { rows: data.rows, hash: data.hash });
    const rows = leaderboardRows(study.trials, direction, nFeatures, (t) => specOf({ suggest: (name: string) => t.params[name]! }));
    const leaderboard = await ctx.materialize(leaderboardSql(rows));
    const top: ReportSection = { kind: 'table', title: 'Leaderboard', columns: leaderboardColumns, rows: rows.slice(0, 20) };
    return {
      model: { type: 'model', artifact: { ...artifact, metrics: { ...artifact.metrics, [`cv_${metric}`]: best.value! } } },
      leaderboard: { ...leaderboard, columns: leaderboardColumns },
      report: studyReport(summary(study.trials, stopped === 'timeout' ? `time budget (${p.timeBudget} s)` : undefined, [top])),
    };
  },
  codegen: tunedCodegen((best, config) => {
    const models = config['models'] as string[];
    const model = (best['model'] as string | undefined) ?? models[0]!;
    const prefix = `${model}.`;
    const tuned = Object.fromEntries(Object.entries(best).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    const features = config['features'] as string[];
    return {
      pipeline: {
        model,
        tuned,
        k: (best['k'] as number | undefined) ?? features.length,
        poly: (best['poly'] as boolean | undefined) ?? config['polynomial'] === 'on',
        scale: (best['scale'] as boolean | undefined) ?? config['scaling'] === 'on',
      },
      columns: best,
    };
  }, 'leaderboard'),
});

/** Complete trials best first (ranked), then pruned and failed ones by number. */
function leaderboardRows(trials: readonly FrozenTrial[], direction: Direction, nFeatures: number, specOf: (t: FrozenTrial) => PipelineSpec): Primitive[][] {
  const complete = trials.filter((t) => t.state === 'complete').sort((a, b) => (direction === 'minimize' ? a.value! - b.value! : b.value! - a.value!) || a.number - b.number);
  const rest = trials.filter((t) => t.state !== 'complete');
  return [...complete, ...rest].map((t, i) => {
    const spec = specOf(t);
    return [t.state === 'complete' ? i + 1 : null, t.number, spec.model.kind, Math.min(spec.k, nFeatures), spec.poly, spec.scale, canonicalJson(spec.tuned), t.value, t.state, t.durationMs];
  });
}

function leaderboardSql(rows: Primitive[][]): string {
  const values = rows.map((r) => `(${r.map((v) => literal(v)).join(', ')})`).join(', ');
  const typed = leaderboardColumns.map((c, i) => `col${i}::${c.type} AS ${ident(c.name)}`).join(', ');
  return `SELECT ${typed} FROM (VALUES ${values}) ORDER BY col0 NULLS LAST, col1`;
}

