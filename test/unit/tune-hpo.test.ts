import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, readRows, type PipelineDocument, type ProgressEvent, type RunRecord } from '../../engine/index.ts';
import { DiskStore } from '../../engine/node/disk-store.ts';
import { nodeHostFiles } from '../../engine/node/host-files.ts';
import { openDatabase } from '../../engine/node/open-database.ts';
import type { ModelValue, ReportValue, TableValue } from '../../engine/catalog/define-node.ts';
import type { PyGenContext, PyGenerator } from '../../engine/export/types.ts';
import { pyStr } from '../../engine/export/escape.ts';
import { applierFor } from '../../engine/ml/appliers.ts';
import { mlPandasHelpers } from '../../engine/ml/python-helpers.ts';
import { fitLinear, linearPredict, type LinearState, type Penalty } from '../../engine/ml/linear.ts';
import { regressionMetrics } from '../../engine/ml/metrics.ts';
import { fitScale } from '../../engine/ml/scale.ts';
import { automl } from '../../engine/nodes/tune/automl.ts';
import { hpo } from '../../engine/nodes/tune/hpo.ts';
import { cvSplits, takeRows } from '../../engine/tune/folds.ts';
import { tunableModel } from '../../engine/tune/models.ts';
import { fitPipeline, pipelineArtifact, predictPipeline } from '../../engine/tune/pipeline.ts';
import { applyScale, fScores, selectK } from '../../engine/tune/preprocess.ts';
import { score } from '../../engine/tune/scoring.ts';
import { engineKinds, openEngine, pipeline, resolve, tempDir } from '../support/engines.ts';

const PYTHON = '/usr/bin/python3';
const samplePath = fileURLToPath(new URL('../../engine/samples/diabetes.csv', import.meta.url));
const csv = readFileSync(samplePath, 'utf8').trim().split('\n');
const header = csv[0]!.split(',');
const rows = csv.slice(1).map((l) => l.split(',').map(Number));
const featureNames = header.filter((h) => h !== 'progression');
const X = featureNames.map((f) => Float64Array.from(rows, (r) => r[header.indexOf(f)]!));
const y = Float64Array.from(rows, (r) => r[header.indexOf('progression')]!);

type Params = Record<string, unknown>;
const space = [
  { param: 'penalty', type: 'categorical', choices: ['l1', 'l2'] },
  { param: 'alpha', type: 'float', low: 1e-3, high: 100, log: true },
];
const hpoParams = (extra: Params = {}) => ({ target: 'progression', trials: 10, seed: 7, space, ...extra });
const doc = (params: Params, withFilter = false): PipelineDocument =>
  pipeline(
    [
      { id: 'src', kind: 'source.sample', params: { dataset: 'diabetes' } },
      ...(withFilter ? [{ id: 'all', kind: 'transform.filter', params: { where: 'age > 0' } }] : []),
      { id: 'hpo', kind: 'tune.hpo', params },
    ],
    withFilter ? ['src->all', 'all->hpo'] : ['src->hpo'],
  );

/** Per-fold RMSE of a linear model with these params on the diabetes folds, averaged over the first `upTo` folds. */
function cvRmse(p: { penalty: Penalty; alpha: number; l1Ratio: number }, seed: number, upTo = 5): number {
  let sum = 0;
  const folds = cvSplits(y.length, 5, seed).slice(0, upTo);
  for (const { train, test } of folds) {
    const state = fitLinear(takeRows(X, train), Float64Array.from(train, (r) => y[r]!), p);
    sum += regressionMetrics(Float64Array.from(test, (r) => y[r]!), linearPredict(state, takeRows(X, test))).rmse;
  }
  return sum / folds.length;
}

interface TrialRow {
  number: number;
  state: string;
  value: number | null;
  best_value: number | null;
  duration_ms: number;
  params: string;
  intermediate: string;
  params_alpha: number;
  params_penalty: string;
}

async function run(engine: Engine, d: PipelineDocument, extra: { signal?: AbortSignal; onProgress?: (e: ProgressEvent) => void; useCache?: boolean } = {}) {
  const p = resolve(d);
  const record: RunRecord = await engine.run(p, { baseDir: tempDir(), ...extra });
  const trialsValue = engine.output(p, 'hpo', 'trials') as TableValue | undefined;
  const trials = trialsValue ? await readRows(engine.db, `SELECT * FROM ${trialsValue.relation} ORDER BY number`) : undefined;
  const objects = trials?.rows.map((r) => Object.fromEntries(trials.columns.map((c, i) => [c.name, r[i]]))) as TrialRow[] | undefined;
  return {
    record,
    trials: objects,
    model: engine.output(p, 'hpo', 'model') as ModelValue | undefined,
    report: engine.output(p, 'hpo', 'report') as ReportValue | undefined,
  };
}

/** Everything but the wall-clock duration. */
const comparable = (t: TrialRow[]) => t.map(({ duration_ms: _, ...rest }) => rest);

/** The first `step` progress the node reports in a run: how many trials it starts from. */
function firstDone(events: ProgressEvent[]): number | undefined {
  return events.find((e) => e.node === 'hpo' && e.phase === 'step')?.step?.done;
}

describe.each(engineKinds)('tune.hpo on the diabetes sample (%s)', (kind) => {
  let engine: Engine;
  let uninterrupted: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    engine = await openEngine(kind);
    const fresh = await openEngine(kind);
    uninterrupted = await run(fresh, doc(hpoParams()));
    await fresh.close();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('the same seed gives the same trials; values are the cross-validated RMSE of each trial’s params', async () => {
    const again = await run(engine, doc(hpoParams()));
    expect(again.record.status).toBe('ok');
    const trials = again.trials!;
    expect(comparable(trials)).toEqual(comparable(uninterrupted.trials!));
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(trials.slice(0, 5).map((t) => t.state)).toEqual(Array(5).fill('complete')); // MedianPruner's 5 startup trials

    let best = Infinity;
    for (const t of trials) {
      const params = JSON.parse(t.params) as { penalty: Penalty; alpha: number };
      expect(params).toEqual({ penalty: t.params_penalty, alpha: t.params_alpha });
      expect(['l1', 'l2']).toContain(params.penalty);
      expect(params.alpha).toBeGreaterThanOrEqual(1e-3);
      expect(params.alpha).toBeLessThanOrEqual(100);
      const running = JSON.parse(t.intermediate) as number[];
      const full = { ...params, l1Ratio: 0.5 };
      // The running fold mean at the last reported fold, recomputed here from scratch.
      expect(running.at(-1)!).toBeCloseTo(cvRmse(full, 7, running.length), 9);
      if (t.state === 'complete') {
        expect(running).toHaveLength(5);
        expect(t.value!).toBeCloseTo(cvRmse(full, 7), 9);
        best = Math.min(best, t.value!);
      } else {
        expect(t.state).toBe('pruned');
        expect(t.value).toBeNull();
        expect(running.length).toBeLessThan(5);
      }
      expect(t.best_value).toBe(best);
    }
    // Diabetes: lasso/ridge CV RMSE is about 55 (the target's sd is 77).
    expect(best).toBeGreaterThan(50);
    expect(best).toBeLessThan(60);

    const bestTrial = trials.find((t) => t.value === best)!;
    const artifact = again.model!.artifact;
    expect(artifact.kind).toBe('model.linear');
    expect({ penalty: artifact.params.penalty, alpha: artifact.params.alpha }).toEqual(JSON.parse(bestTrial.params));
    const refit = fitLinear(X, y, { penalty: artifact.params.penalty as Penalty, alpha: artifact.params.alpha as number, l1Ratio: 0.5 });
    expect((artifact.state as LinearState).coef).toEqual(refit.coef);
    expect(artifact.metrics!.cv_rmse).toBe(best);
    expect(artifact.training.rows).toBe(442);

    const history = again.report!.sections.find((s) => s.kind === 'plot' && s.title === 'Optimization history');
    expect(history?.kind === 'plot' && history.plot.type === 'line' && history.plot.series[0]!.points.map((pt) => pt.y)).toEqual(trials.filter((t) => t.state === 'complete').map((t) => t.value));
    const importance = again.report!.sections.find((s) => s.kind === 'table' && s.title === 'Parameter importance (η²)');
    expect(importance?.kind === 'table' && importance.rows.map((r) => r[0]).sort()).toEqual(['alpha', 'penalty']);
  });

  it('another seed gives other trials', async () => {
    const other = await run(engine, doc(hpoParams({ seed: 8 })));
    expect(other.trials!.map((t) => t.params)).not.toEqual(uninterrupted.trials!.map((t) => t.params));
  });

  it('more trials continue the stored study, as if it had never stopped', async () => {
    const d = (trials: number) => doc(hpoParams({ trials, sampler: 'gp', seed: 11 }));
    const fresh = await openEngine(kind);
    const whole = await run(fresh, d(8));
    await fresh.close();
    const first = await run(engine, d(4));
    const events: ProgressEvent[] = [];
    const more = await run(engine, d(8), { onProgress: (e) => events.push(e) });
    expect(firstDone(events)).toBe(4);
    expect(more.trials!.slice(0, 4)).toEqual(first.trials);
    expect(comparable(more.trials!)).toEqual(comparable(whole.trials!));
  });

  it('a cancelled study keeps its finished trials and resumes from them, numbering on', async () => {
    const d = doc(hpoParams({ seed: 5 }));
    const controller = new AbortController();
    const cancelled = await run(engine, d, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.node === 'hpo' && e.phase === 'step' && e.step?.done === 6) controller.abort();
      },
    });
    expect(cancelled.record.status).toBe('cancelled');
    expect(cancelled.record.nodes.hpo!.status).toBe('cancelled');
    const events: ProgressEvent[] = [];
    const resumed = await run(engine, d, { onProgress: (e) => events.push(e) });
    expect(resumed.record.nodes.hpo!.status).toBe('done');
    expect(firstDone(events)).toBe(6);
    expect(resumed.trials!.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const fresh = await openEngine(kind);
    const whole = await run(fresh, d);
    await fresh.close();
    expect(comparable(resumed.trials!)).toEqual(comparable(whole.trials!));
  });

  it('starts afresh when the input changed or the cache is off', async () => {
    await run(engine, doc(hpoParams({ trials: 3, seed: 21 })));
    const viaFilter: ProgressEvent[] = [];
    await run(engine, doc(hpoParams({ trials: 5, seed: 21 }), true), { onProgress: (e) => viaFilter.push(e) });
    expect(firstDone(viaFilter)).toBe(0);
    const noCache: ProgressEvent[] = [];
    await run(engine, doc(hpoParams({ trials: 6, seed: 21 })), { useCache: false, onProgress: (e) => noCache.push(e) });
    expect(firstDone(noCache)).toBe(0);
    const changedSpace: ProgressEvent[] = [];
    await run(engine, doc(hpoParams({ trials: 5, seed: 21, sampler: 'random' })), { onProgress: (e) => changedSpace.push(e) });
    expect(firstDone(changedSpace)).toBe(0); // another sampler: another study
  });
});

describe('tune.hpo and tune.automl: problems, AutoML and exported code', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine('native');
  });
  afterAll(async () => {
    await engine.close();
  });

  it('resumes a completed study in a new process through the disk cache', async () => {
    const dir = tempDir();
    const fresh = async () => new Engine({ db: await openDatabase('native'), files: nodeHostFiles, store: DiskStore.forPipeline(path.join(dir, 'p.kanvas.json')) });
    const d = (trials: number) => doc(hpoParams({ trials, seed: 13 }));
    const first = await fresh();
    const before = await first.run(resolve(d(4)), { baseDir: dir });
    expect(before.status).toBe('ok');
    await first.close();
    const second = await fresh();
    const events: ProgressEvent[] = [];
    const after = await second.run(resolve(d(7)), { baseDir: dir, onProgress: (e) => events.push(e) });
    expect(after.nodes.hpo!.status).toBe('done');
    expect(firstDone(events)).toBe(4);
    await second.close();
  });

  it('a study cancelled in one process (Ctrl-C on kanvas run) resumes in the next, numbering on', async () => {
    const dir = tempDir();
    const fresh = async () => new Engine({ db: await openDatabase('native'), files: nodeHostFiles, store: DiskStore.forPipeline(path.join(dir, 'p.kanvas.json')) });
    const d = doc(hpoParams({ trials: 8, seed: 17 }));
    const first = await fresh();
    const controller = new AbortController();
    const cancelled = await first.run(resolve(d), {
      baseDir: dir,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.node === 'hpo' && e.phase === 'step' && e.step?.done === 5) controller.abort();
      },
    });
    expect(cancelled.nodes.hpo!.status).toBe('cancelled');
    await first.close();

    const second = await fresh();
    const events: ProgressEvent[] = [];
    const resumed = await run(second, d, { onProgress: (e) => events.push(e) });
    expect(resumed.record.nodes.hpo!.status).toBe('done');
    expect(firstDone(events)).toBe(5);
    expect(resumed.trials!.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await second.close();
    // The same trials as a study that never stopped; the finished study leaves no checkpoint.
    const whole = await openEngine('native');
    expect(comparable(resumed.trials!)).toEqual(comparable((await run(whole, d)).trials!));
    await whole.close();
    expect(await DiskStore.forPipeline(path.join(dir, 'p.kanvas.json')).checkpoints()).toEqual({});
  });

  it('names the param in error: unknown tunable param, a metric for the wrong task, a model for the wrong task', async () => {
    const bad = await run(engine, doc(hpoParams({ space: [{ param: 'gamma', type: 'float', low: 0, high: 1 }] })));
    expect(bad.record.problems[0]).toMatchObject({ node: 'hpo', param: 'space[0]', message: 'model.linear has no tunable param "gamma"; tunable: penalty, alpha, l1Ratio' });
    const metric = await run(engine, doc(hpoParams({ metric: 'accuracy' })));
    expect(metric.record.problems[0]).toMatchObject({ param: 'metric', message: 'accuracy scores classification models; model.linear is a regression model' });
    const range = await run(engine, doc(hpoParams({ space: [{ param: 'l1Ratio', type: 'float', low: 0, high: 2 }] })));
    expect(range.record.problems[0]).toMatchObject({ param: 'space[0]' });
    expect(range.record.problems[0]!.message).toMatch(/^2 is not a valid l1Ratio/);
    const iris = pipeline(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'iris' } },
        { id: 'auto', kind: 'tune.automl', params: { target: 'species', models: ['model.linear'], timeBudget: 0, trials: 3 } },
      ],
      ['src->auto'],
    );
    const cls = await engine.run(resolve(iris), { baseDir: tempDir() });
    expect(cls.problems[0]).toMatchObject({ node: 'auto', param: 'models', message: 'no tunable classification model among those listed; available: model.logistic, model.gbdt, model.random_forest, model.mlp' });
  });

  it('tunes model.logistic on iris by log loss over stratified folds; AutoML picks it for a text target', async () => {
    const irisDoc = (params: Params) =>
      pipeline(
        [
          { id: 'src', kind: 'source.sample', params: { dataset: 'iris' } },
          { id: 'hpo', kind: 'tune.hpo', params: { model: 'model.logistic', target: 'species', metric: 'log_loss', trials: 8, seed: 3, ...params } },
        ],
        ['src->hpo'],
      );
    const a = await run(engine, irisDoc({}));
    expect(a.record.status).toBe('ok');
    const other = await openEngine('native');
    const b = await run(other, irisDoc({}));
    await other.close();
    expect(comparable(b.trials!)).toEqual(comparable(a.trials!));
    // Recompute each complete trial's CV log loss: StratifiedKFold folds, model.logistic's fit.
    const iris = readFileSync(new URL('../../engine/samples/iris.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const labels = iris.map((r) => r[4]!);
    const classes = [...new Set(labels)].sort();
    const Xi = [0, 1, 2, 3].map((j) => Float64Array.from(iris, (r) => Number(r[j])));
    const yi = Int32Array.from(labels, (l) => classes.indexOf(l));
    const model = tunableModel('model.logistic')!;
    for (const t of a.trials!.filter((t) => t.state === 'complete')) {
      const C = (JSON.parse(t.params) as { C: number }).C;
      let sum = 0;
      for (const { train, test } of cvSplits(150, 5, 3, labels)) {
        const data = { task: 'classification' as const, X: takeRows(Xi, train), y: Int32Array.from(train, (r) => yi[r]!), classes, targetType: 'VARCHAR' };
        const state = await model.fit(data, { C }, {});
        const pred = model.predict(state, takeRows(Xi, test));
        sum += score('log_loss', { task: 'classification', y: Int32Array.from(test, (r) => yi[r]!), classes: 3 }, pred);
      }
      expect(t.value!).toBeCloseTo(sum / 5, 9);
    }
    const artifact = a.model!.artifact;
    expect([artifact.kind, artifact.task, artifact.classes]).toEqual(['model.logistic', 'multiclass', ['setosa', 'versicolor', 'virginica']]);
    expect(artifact.metrics!.cv_log_loss).toBe(Math.min(...a.trials!.filter((t) => t.value !== null).map((t) => t.value!)));

    const auto = pipeline(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'iris' } },
        { id: 'auto', kind: 'tune.automl', params: { target: 'species', trials: 6, timeBudget: 0, seed: 1 } },
      ],
      ['src->auto'],
    );
    const ap = resolve(auto);
    expect((await engine.run(ap, { baseDir: tempDir() })).status).toBe('ok');
    const best = (engine.output(ap, 'auto', 'model') as ModelValue).artifact;
    expect(best.kind).toBe('model.logistic');
    expect(best.metrics!.cv_accuracy).toBeGreaterThan(0.9);
  });

  it('AutoML: same seed, same leaderboard; the best pipeline applies as model.predict applies it', async () => {
    const d = pipeline(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'diabetes' } },
        { id: 'auto', kind: 'tune.automl', params: { target: 'progression', trials: 14, timeBudget: 0, seed: 3 } },
      ],
      ['src->auto'],
    );
    const p = resolve(d);
    const leaderboard = async (e: Engine) => {
      const rec = await e.run(p, { baseDir: tempDir() });
      expect(rec.status).toBe('ok');
      const t = e.output(p, 'auto', 'leaderboard') as TableValue;
      return readRows(e.db, `SELECT * EXCLUDE (duration_ms) FROM ${t.relation}`);
    };
    const a = await leaderboard(engine);
    const other = await openEngine('native');
    const b = await leaderboard(other);
    await other.close();
    expect(b.rows).toEqual(a.rows);
    expect(a.columns.map((c) => c.name)).toEqual(['rank', 'trial', 'model', 'features', 'poly', 'scale', 'params', 'value', 'state']);
    expect(a.rows).toHaveLength(14);
    const [rank, , model, k, poly, scale, params, value] = a.rows[0]!;
    expect([rank, model, poly]).toEqual([1, 'model.linear', false]);
    const ranked = a.rows.filter((r) => r[8] === 'complete').map((r) => r[7] as number);
    expect(ranked).toEqual([...ranked].sort((u, v) => u - v));

    // Recompute the winner's pipeline from its leaderboard row, independently of the search.
    const tuned = JSON.parse(params as string) as { penalty: Penalty; alpha: number; l1Ratio: number };
    const selected = selectK(fScores({ task: 'regression', X, y }), k as number);
    let Xs: Float64Array[] = selected.map((i) => X[i]!);
    if (scale) Xs = applyScale(Xs, fitScale(Xs, selected.map((i) => featureNames[i]!), 'standard'));
    const expected = linearPredict(fitLinear(Xs, y, tuned), Xs);

    const artifact = (engine.output(p, 'auto', 'model') as ModelValue).artifact;
    expect(artifact.metrics!.cv_rmse).toBe(value);
    expect(artifact.features.map((f) => f.name)).toEqual(selected.map((i) => featureNames[i]));
    expect((artifact.preprocessing ?? []).map((a) => a.kind)).toEqual(scale ? ['features.scale'] : []);
    // model.predict applies preprocessing then the model, each by its kind's applier.
    const src = engine.output(p, 'src', 'out') as TableValue;
    let sql = `SELECT * FROM ${src.relation}`;
    for (const a of [...(artifact.preprocessing ?? []), artifact]) sql = applierFor(a.kind)!.sql!(a, `(${sql})`, src.columns);
    const predicted = await readRows(engine.db, `SELECT prediction FROM (${sql})`);
    predicted.rows.forEach((r, i) => expect(Math.abs((r[0] as number) - expected[i]!)).toBeLessThan(1e-8));

    // A pipeline with selection and scaling, as artifacts: SQL application equals the in-memory one.
    const data = { task: 'regression' as const, X, y };
    const spec = { model: tunableModel('model.linear')!, tuned: { penalty: 'l2', alpha: 3 }, target: 'progression', k: 4, poly: false, scale: true };
    const fitted = await fitPipeline(data, featureNames, spec, {});
    const piped = pipelineArtifact(fitted, data, src.columns.filter((c) => c.name !== 'progression'), 'progression', { rows: 442, hash: '' });
    expect(piped.features.map((f) => f.name)).toEqual(['bmi', 'blood_pressure', 'cholesterol_hdl_ratio', 'log_triglycerides']); // f_regression's top 4
    expect(piped.preprocessing!.map((a) => [a.kind, a.features.map((f) => f.name)])).toEqual([['features.scale', piped.features.map((f) => f.name)]]);
    expect(piped.params).toMatchObject({ penalty: 'l2', alpha: 3, features: piped.features.map((f) => f.name) });
    let sql2 = `SELECT * FROM ${src.relation}`;
    for (const a of [...piped.preprocessing!, piped]) sql2 = applierFor(a.kind)!.sql!(a, `(${sql2})`, src.columns);
    const inMemory = predictPipeline(fitted, X);
    const viaSql = await readRows(engine.db, `SELECT prediction FROM (${sql2})`);
    viaSql.rows.forEach((r, i) => expect(Math.abs((r[0] as number) - (inMemory.task === 'regression' ? inMemory.value[i]! : NaN))).toBeLessThan(1e-9));
  });

  it('exports the best params as scikit-learn code whose CV score, coefficients and predictions equal the run’s', async () => {
    const d = doc(hpoParams({ trials: 8, seed: 2, folds: 4 }));
    const h = await run(engine, d);
    const autoDoc = pipeline(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'diabetes' } },
        // Linear models only: their artifacts apply in SQL, which the check below reads directly.
        { id: 'auto', kind: 'tune.automl', params: { target: 'progression', models: ['model.linear'], trials: 10, timeBudget: 0, seed: 4, folds: 3 } },
      ],
      ['src->auto'],
    );
    const ap = resolve(autoDoc);
    await engine.run(ap, { baseDir: tempDir() });
    const autoReport = engine.output(ap, 'auto', 'report') as ReportValue;
    const autoModel = (engine.output(ap, 'auto', 'model') as ModelValue).artifact;

    // Its own ids: engine.output(…, 'src') must still give the diabetes source below.
    const irisDoc = pipeline(
      [
        { id: 'iris', kind: 'source.sample', params: { dataset: 'iris' } },
        { id: 'hpo', kind: 'tune.hpo', params: { model: 'model.logistic', target: 'species', metric: 'roc_auc', trials: 5, seed: 9, folds: 3 } },
      ],
      ['iris->hpo'],
    );
    const lg = await run(engine, irisDoc);
    const helpers = new Set<string>();
    const ctx = (outputs: Record<string, string>, report: ReportValue | undefined) =>
      ({
        node: 'n',
        title: 'n',
        inputs: { in: 'df' },
        outputs,
        str: pyStr,
        helper: (name: string) => (helpers.add(name), name),
        result: (port: string) => (port === 'report' ? report : undefined),
      }) as unknown as PyGenContext<'in', string>;
    const hpoGen = hpo.codegen.pandas as PyGenerator<'in', string, never>;
    const autoGen = automl.codegen.pandas as PyGenerator<'in', string, never>;
    expect(hpoGen({} as never, ctx({ model: 'm', trials: 't', report: 'r' }, undefined))).toEqual({ unsupported: expect.stringMatching(/best params its run found/) });
    const hpoCode = hpoGen({} as never, ctx({ model: 'hm', trials: 'ht', report: 'hr' }, h.report)) as { lines: string[] };
    const autoCode = autoGen({} as never, ctx({ model: 'am', trials: 'at', report: 'ar' }, autoReport)) as { lines: string[] };
    const lgCode = hpoGen({} as never, ctx({ model: 'lm', trials: 'lt', report: 'lr' }, lg.report)) as { lines: string[] };
    expect(lgCode.lines.join('\n')).toContain('StratifiedKFold(n_splits=3, shuffle=True, random_state=9)');
    // The model kinds' runtime helpers the code calls, with the helpers they use.
    const code: string[] = [];
    const add = (name: string) => {
      const h = mlPandasHelpers[name]!;
      for (const dep of h.uses ?? []) add(dep);
      if (!code.includes(h.code)) code.push(h.code);
    };
    for (const name of [...helpers, '_ml_apply']) add(name);
    expect(hpoCode.lines.join('\n')).toContain('KFold(n_splits=4, shuffle=True, random_state=2)');
    expect(hpoCode.lines.join('\n')).not.toMatch(/optuna/i);
    const script = path.join(tempDir(), 'tuned.py');
    const indent = (lines: string[]) => lines.map((l) => `    ${l}`).join('\n');
    writeFileSync(
      script,
      [
        'import json, sys',
        'import numpy as np',
        'import pandas as pd',
        ...code,
        'def tuned(df):',
        indent(hpoCode.lines),
        '    return {"cv": float(hm_cv), "coef": hm.coef_.tolist(), "intercept": float(hm.intercept_), "trials": ht.to_dict(orient="records"), "report": hr}',
        'def auto(df):',
        indent(autoCode.lines),
        '    return {"cv": float(am_cv), "pred": _ml_apply(am, df.head(5))["prediction"].tolist()}',
        'def logistic(df):',
        indent(lgCode.lines),
        '    return {"cv": float(lm_cv), "coef": lm.coef_.tolist(), "classes": [str(c) for c in lm.classes_]}',
        `df = pd.read_csv(${JSON.stringify(samplePath)})`,
        `iris = pd.read_csv(${JSON.stringify(samplePath.replace('diabetes', 'iris'))})`,
        'print(json.dumps({"hpo": tuned(df), "auto": auto(df), "logistic": logistic(iris)}))',
      ].join('\n'),
    );
    const out = JSON.parse(execFileSync(PYTHON, [script], { encoding: 'utf8' })) as {
      hpo: { cv: number; coef: number[]; intercept: number; trials: Record<string, unknown>[]; report: { best_params: Params; value: number } };
      auto: { cv: number; pred: number[] };
      logistic: { cv: number; coef: number[][]; classes: string[] };
    };
    const lgArt = lg.model!.artifact;
    expect(out.logistic.cv).toBeCloseTo(lgArt.metrics!.cv_roc_auc!, 6);
    expect(out.logistic.classes).toEqual(lgArt.classes);
    (lgArt.state as { coef: number[][] }).coef.forEach((row, k) => row.forEach((c, j) => expect(Math.abs(out.logistic.coef[k]![j]! - c)).toBeLessThan(1e-4 * Math.max(1, Math.abs(c)))));
    const art = h.model!.artifact;
    const state = art.state as LinearState;
    expect(out.hpo.cv).toBeCloseTo(art.metrics!.cv_rmse!, 6);
    out.hpo.coef.forEach((c, i) => expect(Math.abs(c - state.coef[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(state.coef[i]!))));
    expect(out.hpo.intercept).toBeCloseTo(state.intercept, 4);
    expect(out.hpo.report.best_params).toEqual({ penalty: art.params.penalty, alpha: art.params.alpha });
    expect(out.hpo.trials[0]).toMatchObject({ state: 'complete', params_penalty: art.params.penalty, params_alpha: art.params.alpha });

    expect(out.auto.cv).toBeCloseTo(autoModel.metrics!.cv_rmse!, 6);
    // The exported pipeline predicts what the artifact predicts (applied in SQL as model.predict does).
    const src = engine.output(ap, 'src', 'out') as TableValue;
    let sql = `SELECT * FROM ${src.relation}`;
    for (const a of [...(autoModel.preprocessing ?? []), autoModel]) sql = applierFor(a.kind)!.sql!(a, `(${sql})`, src.columns);
    const ours = await readRows(engine.db, `SELECT prediction FROM (${sql}) LIMIT 5`);
    out.auto.pred.forEach((v, i) => expect(Math.abs(v - (ours.rows[i]![0] as number))).toBeLessThan(1e-6));
  });
});
