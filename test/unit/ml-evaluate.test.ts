import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPipeline, type Engine, type Primitive, type ReportValue } from '../../engine/index.ts';
import { classificationMetrics, rocAucScore, rocCurve } from '../../engine/ml/metrics.ts';
import { engineKinds, openEngine, pipeline, runDoc } from '../support/engines.ts';
import { col, expectClose, maxRelDiff, ml, numbers } from '../support/ml.ts';

/**
 * model.evaluate and model.cross_validate against scikit-learn's metrics, ROC curve and
 * cross_validate (same folds, same scores).
 */

type Table = { columns: { name: string; type: string }[]; rows: Primitive[][] };
const m = ml.metrics;
const agreement: Record<string, number> = {};

describe('classification metrics match scikit-learn', () => {
  it('ties in scores: ROC AUC counts a tied pair as half; the ROC curve’s corners and thresholds', () => {
    const t = m.ties;
    const isPos = t.y.map((v: number) => v === 1);
    const score = Float64Array.from(t.score);
    expect(rocAucScore(isPos, score)).toBeCloseTo(t.roc_auc, 15);
    const roc = rocCurve(isPos, score);
    expectClose(roc.fpr, t.fpr, 1e-15);
    expectClose(roc.tpr, t.tpr, 1e-15);
    expect(roc.thresholds).toEqual(t.thresholds);
    const r = classificationMetrics(t.y, t.pred_at_half, { positiveProba: score });
    expectClose([r.accuracy, r.precision, r.recall, r.f1, r.logLoss!, r.rocAuc!], [t.accuracy, t.precision, t.recall, t.f1, t.log_loss, t.roc_auc], 1e-14);
  });
  it('a label predicted but never true: precision 0 for it (zero_division=0), macro averages', () => {
    const z = m.zero_division;
    const r = classificationMetrics(z.y, z.pred);
    expect(r.labels).toEqual(z.labels);
    expectClose([r.precision, r.recall, r.f1], [z.precision, z.recall, z.f1], 1e-15);
    expect(r.confusion).toEqual(z.confusion);
  });
});

describe.each(engineKinds)('model.evaluate and model.cross_validate in the engine (%s)', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(kind);
  });
  afterAll(async () => {
    await engine.close();
  });

  async function run(nodes: Parameters<typeof pipeline>[0], edges: Parameters<typeof pipeline>[1]) {
    const r = await runDoc(engine, pipeline(nodes, edges), '.');
    expect(r.record.status, JSON.stringify(r.record.problems)).toBe('ok');
    return r;
  }
  const metricsOf = (t: Table) => Object.fromEntries(t.rows.map((r) => [r[0] as string, r[1] as number | null]));
  const reportOf = (p: Parameters<Engine['output']>[0], node: string) => engine.output(p, node, 'report') as ReportValue;

  /** data → fit → predict(data) → evaluate. */
  type Edges = Exclude<Parameters<typeof pipeline>[1], undefined>;
  const scored = (source: object[], fit: object, evaluate: Record<string, unknown>, from = 'src') => ({
    nodes: [...source, fit, { id: 'pred', kind: 'model.predict' }, { id: 'eval', kind: 'model.evaluate', params: evaluate }] as Parameters<typeof pipeline>[0],
    edges: [
      { from, fromPort: 'out', to: 'fit' },
      { from: 'fit', to: 'pred', toPort: 'model' },
      { from, fromPort: 'out', to: 'pred', toPort: 'data' },
      'pred->eval',
    ] as Edges,
  });

  it('regression: mse, rmse, mae, r2 of a linear model; predicted-vs-actual and residual plots', async () => {
    const s = scored([{ id: 'src', kind: 'source.sample', params: { dataset: 'diabetes' } }], { id: 'fit', kind: 'model.linear', params: { target: 'progression' } }, { target: 'progression' });
    const { rows, pipeline: p } = await run(s.nodes, s.edges);
    const t = (await rows('eval', 'metrics')) as Table;
    expect(t.columns).toEqual([{ name: 'metric', type: 'VARCHAR' }, { name: 'value', type: 'DOUBLE' }]);
    const got = metricsOf(t);
    const ref = m.regression;
    agreement['regression'] = maxRelDiff([got['mse']!, got['rmse']!, got['mae']!, got['r2']!], [ref.mse, ref.rmse, ref.mae, ref.r2]);
    expectClose([got['mse']!, got['rmse']!, got['mae']!, got['r2']!], [ref.mse, ref.rmse, ref.mae, ref.r2], 1e-9);
    const report = reportOf(p, 'eval');
    const plots = report.sections.filter((x) => x.kind === 'plot');
    expect(plots.map((x) => x.title)).toEqual(['Predicted vs actual', 'Residuals']);
    for (const x of plots) {
      if (x.kind !== 'plot' || x.plot.type !== 'line') throw new Error('expected line plots');
      expect(x.plot.series[0]!.dots).toBe(true);
      expect(x.plot.series[0]!.points).toHaveLength(442);
    }
  });

  it('binary: accuracy, precision, recall, F1, log loss, ROC AUC and confusion matrix (breast cancer)', async () => {
    const s = scored(
      [
        { id: 'raw', kind: 'source.sample', params: { dataset: 'breast_cancer' } },
        { id: 'src', kind: 'features.scale', params: {} },
      ],
      { id: 'fit', kind: 'model.logistic', params: { target: 'diagnosis' } },
      { target: 'diagnosis' },
    );
    const { rows, pipeline: p } = await run(s.nodes, ['raw->src', ...s.edges]);
    const got = metricsOf((await rows('eval', 'metrics')) as Table);
    const ref = m.binary;
    const keys = ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc'];
    agreement['binary'] = maxRelDiff(keys.map((k) => got[k]!), keys.map((k) => ref[k]));
    expectClose(keys.slice(0, 4).map((k) => got[k]!), keys.slice(0, 4).map((k) => ref[k]), 1e-15);
    // log loss and AUC from probabilities of a model converged further than lbfgs'
    expectClose([got['log_loss']!, got['roc_auc']!], [ref.log_loss, ref.roc_auc], 1e-5);
    const report = reportOf(p, 'eval');
    const confusion = report.sections.find((x) => x.kind === 'table' && x.title.startsWith('Confusion'));
    expect(confusion?.kind === 'table' && confusion.rows.map((r) => r.slice(1))).toEqual(ref.confusion);
    const heat = report.sections.find((x) => x.kind === 'plot' && x.plot.type === 'heatmap');
    expect(heat?.kind === 'plot' && heat.plot.type === 'heatmap' && heat.plot.xLabels).toEqual(ref.labels);
    const roc = report.sections.find((x) => x.kind === 'plot' && x.title === 'ROC curve');
    expect(roc?.kind === 'plot' && roc.plot.type === 'line' && roc.plot.series.map((x) => x.name)).toEqual([`malignant (AUC ${ref.roc_auc.toFixed(3)})`, 'chance']);
  });

  it('multiclass: macro averages, log loss and one-vs-rest ROC AUC from probability_<class> columns (iris)', async () => {
    const s = scored([{ id: 'src', kind: 'source.sample', params: { dataset: 'iris' } }], { id: 'fit', kind: 'model.logistic', params: { target: 'species' } }, { target: 'species' });
    const { rows, pipeline: p } = await run(s.nodes, s.edges);
    const got = metricsOf((await rows('eval', 'metrics')) as Table);
    const ref = m.multiclass;
    const keys = ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc'];
    agreement['multiclass'] = maxRelDiff(keys.map((k) => got[k]!), keys.map((k) => ref[k]));
    expectClose(keys.slice(0, 4).map((k) => got[k]!), keys.slice(0, 4).map((k) => ref[k]), 1e-15);
    expectClose([got['log_loss']!, got['roc_auc']!], [ref.log_loss, ref.roc_auc], 1e-4);
    const confusion = reportOf(p, 'eval').sections.find((x) => x.kind === 'table' && x.title.startsWith('Confusion'));
    expect(confusion?.kind === 'table' && confusion.rows).toEqual(ref.labels.map((l: string, i: number) => [l, ...ref.confusion[i]]));
    const roc = reportOf(p, 'eval').sections.find((x) => x.kind === 'plot' && x.title === 'ROC curve');
    expect(roc?.kind === 'plot' && roc.plot.type === 'line' && roc.plot.series.length).toBe(4);
  });

  it('tied scores and a given positive label, through the kind', async () => {
    const t = m.ties;
    const values = t.y.map((y: number, i: number) => `(${y}, ${t.pred_at_half[i]}, ${t.score[i]}::DOUBLE)`).join(', ');
    const { rows } = await run(
      [
        { id: 'src', kind: 'source.sql', params: { query: `SELECT * FROM (VALUES ${values}) AS v(y, prediction, probability)` } },
        { id: 'eval', kind: 'model.evaluate', params: { target: 'y', positive: '1' } },
      ],
      ['src->eval'],
    );
    const got = metricsOf((await rows('eval', 'metrics')) as Table);
    expectClose(['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc'].map((k) => got[k]!), [t.accuracy, t.precision, t.recall, t.f1, t.log_loss, t.roc_auc], 1e-14);
  });

  it('undefined metrics are NULL: ROC AUC when the target has one class, log loss without probabilities', async () => {
    const { rows } = await run(
      [
        { id: 'src', kind: 'source.sql', params: { query: "SELECT * FROM (VALUES ('a', 'a'), ('a', 'b')) AS v(y, prediction)" } },
        { id: 'eval', kind: 'model.evaluate', params: { target: 'y' } },
      ],
      ['src->eval'],
    );
    const got = metricsOf((await rows('eval', 'metrics')) as Table);
    expect(got['accuracy']).toBe(0.5);
    expect(got['log_loss']).toBeNull();
    expect(got['roc_auc']).toBeNull();
  });

  it('cross_validate (model.linear, KFold 5, seed 42): the folds and scores of scikit-learn’s cross_validate', async () => {
    const ref = ml.cross_validate.diabetes_linear;
    const { rows } = await run(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'diabetes' } },
        { id: 'cv', kind: 'model.cross_validate', params: { model: 'model.linear', target: 'progression', k: 5, seed: 42 } },
      ],
      ['src->cv'],
    );
    const t = (await rows('cv', 'metrics')) as Table;
    expect(t.columns.map((c) => c.name)).toEqual(['fold', 'train_rows', 'test_rows', 'mse', 'rmse', 'mae', 'r2']);
    expect(col(t, 'fold')).toEqual([1, 2, 3, 4, 5]);
    expect(col(t, 'test_rows')).toEqual([89, 89, 88, 88, 88]);
    agreement['cross_validate linear r2'] = maxRelDiff(numbers(col(t, 'r2')), ref.r2);
    expectClose(numbers(col(t, 'r2')), ref.r2, 1e-9);
    expectClose(numbers(col(t, 'mse')), ref.mse, 1e-9);
    expectClose(numbers(col(t, 'mae')), ref.mae, 1e-9);
  });

  it('cross_validate (model.logistic, StratifiedKFold 5, seed 0): accuracy, macro F1 and log loss per fold', async () => {
    const ref = ml.cross_validate.iris_logistic;
    const { rows } = await run(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'iris' } },
        { id: 'cv', kind: 'model.cross_validate', params: { model: 'model.logistic', target: 'species', params: { C: 1 }, k: 5, stratified: true, seed: 0 } },
      ],
      ['src->cv'],
    );
    const t = (await rows('cv', 'metrics')) as Table;
    expect(col(t, 'test_rows')).toEqual([30, 30, 30, 30, 30]);
    expect(numbers(col(t, 'accuracy'))).toEqual(ref.accuracy);
    expectClose(numbers(col(t, 'f1')), ref.f1, 1e-15);
    agreement['cross_validate logistic log_loss'] = maxRelDiff(numbers(col(t, 'log_loss')), ref.log_loss);
    // scikit-learn's lbfgs stops short of the optimum (see ml-logistic.test.ts): log loss to 1e-4.
    expectClose(numbers(col(t, 'log_loss')), ref.log_loss, 1e-4);
  });

  it('cross_validate checks the model params against the model kind when the document loads', () => {
    const doc = (params: Record<string, unknown>) =>
      loadPipeline(JSON.stringify(pipeline([{ id: 'src', kind: 'source.sample', params: { dataset: 'iris' } }, { id: 'cv', kind: 'model.cross_validate', params }], ['src->cv'])));
    const bad = doc({ model: 'model.logistic', target: 'species', params: { C: -1 } });
    expect(bad.ok === false && bad.problems.map((x) => [x.param, x.message])).toEqual([['params.C', 'Too small: expected number to be >0']]);
    const worse = doc({ model: 'model.linear', target: 'species', stratified: true, params: { penalty: 'x', target: 'a' } });
    expect(worse.ok === false && worse.problems.map((x) => x.param)).toEqual(['stratified', 'params.target', 'params.penalty']);
  });

  afterAll(() => console.log(`metric agreement with scikit-learn (${kind}, max relative difference)`, JSON.stringify(agreement)));
});
