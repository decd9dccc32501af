import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRows, type Engine, type Primitive } from '../../engine/index.ts';
import { applierFor } from '../../engine/ml/appliers.ts';
import type { ModelArtifact } from '../../engine/ml/artifact.ts';
import type { ImputeState } from '../../engine/ml/impute.ts';
import { encodeLabels, sortedLabels } from '../../engine/ml/labels.ts';
import { fClassif, fRegression, mutualInfo, selectBest, type SelectState } from '../../engine/ml/select.ts';
import { engineKinds, openEngine, pipeline, runDoc } from '../support/engines.ts';
import { artifactOf, col, expectClose, maxRelDiff, ml, numbers, sampleData } from '../support/ml.ts';

/**
 * features.onehot, features.impute, features.select (and features.scale applied to new data)
 * against scikit-learn's OneHotEncoder, SimpleImputer, f_regression / f_classif /
 * mutual_info_*, SelectKBest — fitted in the engine on both adapters, and applied through
 * model.predict to data the fit never saw.
 */

type Table = { columns: { name: string; type: string }[]; rows: Primitive[][] };
const names = (t: Table) => t.columns.map((c) => c.name);
const agreement: Record<string, number> = {};

const sel = ml.select;

describe('univariate scores match scikit-learn', () => {
  it('f_regression: F and p-values (diabetes)', () => {
    const d = sampleData('diabetes');
    const X = sel.diabetes_f.features.map((f: string) => d.column(f));
    const { F, p } = fRegression(X, d.column('progression'));
    agreement['f_regression F'] = maxRelDiff(F, sel.diabetes_f.F);
    agreement['f_regression p'] = maxRelDiff(p, sel.diabetes_f.p);
    expectClose(F, sel.diabetes_f.F, 1e-12);
    expectClose(p, sel.diabetes_f.p, 1e-10);
  });
  it.each(['wine', 'breast_cancer', 'iris'])('f_classif: F and p-values (%s)', (name) => {
    const c = sel[`${name}_f`];
    const target = { wine: 'cultivar', breast_cancer: 'diagnosis', iris: 'species' }[name]!;
    const d = sampleData(name);
    const labels = d.labels(target);
    const classes = sortedLabels(labels);
    const { F, p } = fClassif(c.features.map((f: string) => d.column(f)), encodeLabels(labels, classes), classes.length);
    agreement[`f_classif F ${name}`] = maxRelDiff(F, c.F);
    agreement[`f_classif p ${name}`] = maxRelDiff(p, c.p, 1e-300);
    expectClose(F, c.F, 1e-10);
    // p-values down to 1e-200: relative error of the incomplete beta's continued fraction.
    expectClose(p, c.p, 1e-9, 1e-300);
    const chosen = selectBest(F, c.k);
    expect(c.features.filter((_: string, j: number) => chosen[j])).toEqual(c.selected);
  });
  it('mutual_info_regression with random_state=42: the same estimate (diabetes)', async () => {
    const c = sel.diabetes_mi;
    const d = sampleData('diabetes');
    const mi = await mutualInfo(c.features.map((f: string) => d.column(f)), { continuous: d.column('progression') }, c.seed);
    agreement['mutual_info_regression'] = maxRelDiff(mi, c.mi);
    expectClose(mi, c.mi, 1e-9);
  });
  it.each(['wine', 'breast_cancer'])('mutual_info_classif with random_state=42: the same estimate (%s)', async (name) => {
    const c = sel[`${name}_mi`];
    const target = { wine: 'cultivar', breast_cancer: 'diagnosis' }[name]!;
    const d = sampleData(name);
    const labels = d.labels(target);
    const classes = sortedLabels(labels);
    const mi = await mutualInfo(c.features.map((f: string) => d.column(f)), { classes: encodeLabels(labels, classes), count: classes.length }, c.seed);
    agreement[`mutual_info_classif ${name}`] = maxRelDiff(mi, c.mi);
    expectClose(mi, c.mi, 1e-9);
    // and so the same ranking
    const rank = (v: number[]) => v.map((_, i) => i).sort((a, b) => v[b]! - v[a]! || a - b);
    expect(rank(mi)).toEqual(rank(c.mi));
  });
  it('SelectKBest keeps the later of tied features', () => {
    expect(selectBest([5, 5, 1], 1)).toEqual([false, true, false]);
    expect(selectBest([NaN, 2, 2, 3], 2)).toEqual([false, false, true, true]);
  });
  afterAll(() => console.log('feature-score agreement with scikit-learn (max relative difference)', JSON.stringify(agreement)));
});

describe.each(engineKinds)('preprocessing kinds in the engine (%s)', (kind) => {
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

  const oh = ml.onehot;
  const cats = ['plan', 'region', 'contract'];
  const unseen = `SELECT * FROM (VALUES ('basic', 'mars', 'monthly'), ('enterprise', 'west', 'weekly')) AS t(plan, region, contract)`;

  it.each([
    ['all categories', false, oh.all],
    ['drop first', true, oh.drop_first],
  ])('onehot (%s): names, values and unseen categories as OneHotEncoder(handle_unknown="ignore")', async (_n, dropFirst, ref) => {
    const { rows, pipeline: p } = await run(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'customers' } },
        { id: 'enc', kind: 'features.onehot', params: { columns: cats, dropFirst } },
        { id: 'new', kind: 'source.sql', params: { query: unseen } },
        { id: 'apply', kind: 'model.predict' },
      ],
      ['src->enc', { from: 'enc', fromPort: 'model', to: 'apply', toPort: 'model' }, { from: 'new', to: 'apply', toPort: 'data' }],
    );
    const out = (await rows('enc')) as Table;
    // Encoded columns replace the column they encode, where it stood.
    expect(names(out)).toEqual(['customer_id', 'signup_date', ...ref.names.filter((n: string) => /^(plan|region)_/.test(n)), 'tenure_months', 'monthly_charges', 'total_charges', 'support_calls', ...ref.names.filter((n: string) => n.startsWith('contract_')), 'churned']);
    for (const n of ref.names) expect(out.columns.find((c) => c.name === n)!.type).toBe('DOUBLE');
    const first = out.rows.slice(0, 5).map((r) => ref.names.map((n: string) => r[names(out).indexOf(n)]));
    expect(first).toEqual(ref.first_rows);
    expect(ref.names.map((n: string) => numbers(col(out, n)).reduce((s, v) => s + v, 0))).toEqual(ref.sums);
    const artifact = artifactOf(engine, p, 'enc');
    expect(artifact.kind).toBe('features.onehot');
    const applied = (await rows('apply')) as Table;
    expect(names(applied)).toEqual(ref.names);
    expect(applied.rows).toEqual(ref.unseen);
  });

  it('onehot: integer categories sort numerically, a NULL seen in training is the last category (“nan”)', async () => {
    const { rows } = await run(
      [
        { id: 'src', kind: 'source.sql', params: { query: "SELECT * FROM (VALUES (3, 'x'), (1, NULL), (2, 'y'), (3, 'x'), (10, 'y')) AS t(code, tag)" } },
        { id: 'enc', kind: 'features.onehot', params: { columns: ['code', 'tag'] } },
      ],
      ['src->enc'],
    );
    const out = (await rows('enc')) as Table;
    expect(names(out)).toEqual(oh.small.names);
    expect(out.rows).toEqual(oh.small.rows);
  });

  it('onehot: an encoded name that clashes with a column is an error', async () => {
    const r = await runDoc(
      engine,
      pipeline(
        [
          { id: 'src', kind: 'source.sql', params: { query: "SELECT 'a' AS c, 1.0 AS c_a" } },
          { id: 'enc', kind: 'features.onehot', params: { columns: ['c'] } },
        ],
        ['src->enc'],
      ),
      '.',
    );
    expect(r.record.problems[0]).toMatchObject({ node: 'enc', param: 'columns' });
    expect(r.record.problems[0]!.message).toMatch(/"c_a" would clash/);
  });

  const imp = ml.impute;
  it.each(['mean', 'median', 'most_frequent', 'constant'] as const)('impute (%s): statistics as SimpleImputer, NULLs filled in place', async (strategy) => {
    const { rows, pipeline: p } = await run(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'customers' } },
        { id: 'imp', kind: 'features.impute', params: { columns: ['total_charges', 'tenure_months'], strategy, ...(strategy === 'constant' ? { fillValue: 0 } : {}) } },
      ],
      ['src->imp'],
    );
    const artifact = artifactOf(engine, p, 'imp') as ModelArtifact<ImputeState>;
    const stats = artifact.state.columns.map((c) => c.value as number);
    agreement[`impute ${strategy}`] = maxRelDiff(stats, imp[strategy].statistics);
    expectClose(stats, imp[strategy].statistics, 1e-15);
    const out = (await rows('imp')) as Table;
    expect(names(out)).toEqual(sampleData('customers').header);
    const filled = numbers(col(out, 'total_charges'));
    expect(filled.every((v) => v !== null)).toBe(true);
    expectClose([filled.reduce((s, v) => s + v, 0)], [imp[strategy].sum_total_charges], 1e-12);
    expect(out.columns.find((c) => c.name === 'tenure_months')!.type).toBe(strategy === 'mean' || strategy === 'median' ? 'DOUBLE' : 'BIGINT');
  });

  it('impute: ties (the smallest most frequent value, text too), median of an even count, default constants; applied to new rows', async () => {
    const train = "SELECT * FROM (VALUES (3.0, 'b'), (1.0, 'a'), (3.0, 'b'), (1.0, 'a'), (NULL, NULL), (2.0, 'c')) AS t(n, s)";
    const test = "SELECT * FROM (VALUES (NULL::DOUBLE, NULL::VARCHAR), (7.5, 'z')) AS t(n, s)";
    const cases: [string, Record<string, unknown>, Primitive[][]][] = [
      ['most_frequent', { strategy: 'most_frequent' }, [[imp.ties.n, imp.ties.s], [7.5, 'z']]],
      ['median', { strategy: 'median', columns: ['n'] }, [[imp.ties.median_n, null], [7.5, 'z']]],
      ['mean', { strategy: 'mean', columns: ['n'] }, [[imp.ties.mean_n, null], [7.5, 'z']]],
      ['constant', { strategy: 'constant' }, [[0, imp.ties.constant_s], [7.5, 'z']]],
    ];
    for (const [, params, expected] of cases) {
      const { rows } = await run(
        [
          { id: 'src', kind: 'source.sql', params: { query: train } },
          { id: 'imp', kind: 'features.impute', params },
          { id: 'new', kind: 'source.sql', params: { query: test } },
          { id: 'apply', kind: 'model.predict' },
        ],
        ['src->imp', { from: 'imp', fromPort: 'model', to: 'apply', toPort: 'model' }, { from: 'new', to: 'apply', toPort: 'data' }],
      );
      expect(((await rows('apply')) as Table).rows).toEqual(expected);
    }
  });

  it('impute: an all-NULL column has no mean (an error naming it)', async () => {
    const r = await runDoc(
      engine,
      pipeline(
        [
          { id: 'src', kind: 'source.sql', params: { query: 'SELECT NULL::DOUBLE AS x, 1 AS y' } },
          { id: 'imp', kind: 'features.impute', params: { columns: ['x'] } },
        ],
        ['src->imp'],
      ),
      '.',
    );
    expect(r.record.problems[0]).toMatchObject({ node: 'imp', param: 'columns' });
    expect(r.record.problems[0]!.message).toMatch(/"x" has only NULL values/);
  });

  it.each([
    ['f-test', 'diabetes', 'progression', 4, sel.diabetes_f.selected4 as string[]],
    ['f-test', 'wine', 'cultivar', sel.wine_f.k, sel.wine_f.selected as string[]],
  ])('select (%s, %s): the k features SelectKBest keeps, scores table, applied to new data', async (method, dataset, target, k, expected) => {
    const { rows, pipeline: p } = await run(
      [
        { id: 'src', kind: 'source.sample', params: { dataset } },
        { id: 'sel', kind: 'features.select', params: { target, k, method } },
        { id: 'apply', kind: 'model.predict' },
      ],
      ['src->sel', { from: 'sel', fromPort: 'model', to: 'apply', toPort: 'model' }, { from: 'src', to: 'apply', toPort: 'data' }],
    );
    const header = sampleData(dataset).header;
    const kept = header.filter((h) => h === target || expected.includes(h));
    expect(names((await rows('sel')) as Table)).toEqual(kept);
    expect(names((await rows('apply')) as Table)).toEqual(kept);
    const scores = (await rows('sel', 'scores')) as Table;
    expect(names(scores)).toEqual(['feature', 'score', 'p_value', 'selected']);
    const ref = dataset === 'diabetes' ? sel.diabetes_f : sel.wine_f;
    expectClose(numbers(col(scores, 'score')), ref.F, 1e-10);
    expectClose(numbers(col(scores, 'p_value')), ref.p, 1e-9, 1e-300);
    expect(col(scores, 'selected')).toEqual(ref.features.map((f: string) => expected.includes(f)));
    expect((artifactOf(engine, p, 'sel') as ModelArtifact<SelectState>).state.task).toBe(dataset === 'diabetes' ? 'regression' : 'classification');
  });

  it('select (mutual-info, breast cancer): scikit-learn’s estimate with the seed', async () => {
    const { rows } = await run(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'breast_cancer' } },
        { id: 'sel', kind: 'features.select', params: { target: 'diagnosis', k: 5, method: 'mutual-info', seed: 42 } },
      ],
      ['src->sel'],
    );
    const scores = (await rows('sel', 'scores')) as Table;
    expectClose(numbers(col(scores, 'score')), sel.breast_cancer_mi.mi, 1e-9);
    expect(col(scores, 'p_value').every((v) => v === null)).toBe(true);
  });

  it('scale: model.predict scales new data with the training statistics', async () => {
    const { rows, pipeline: p } = await run(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'diabetes' } },
        { id: 'sc', kind: 'features.scale', params: { columns: ['age', 'bmi'] } },
        { id: 'new', kind: 'source.sql', params: { query: 'SELECT 50 AS age, 30.5 AS bmi, 7 AS other' } },
        { id: 'apply', kind: 'model.predict' },
      ],
      ['src->sc', { from: 'sc', fromPort: 'model', to: 'apply', toPort: 'model' }, { from: 'new', to: 'apply', toPort: 'data' }],
    );
    const fx = JSON.parse(readFileSync(new URL('../fixtures/sklearn/sklearn.json', import.meta.url), 'utf8')).diabetes.standard as { mean: number[]; scale: number[] };
    const out = (await rows('apply')) as Table;
    expect(names(out)).toEqual(['age', 'bmi', 'other']);
    expectClose(numbers(out.rows[0]!.slice(0, 2)), [(50 - fx.mean[0]!) / fx.scale[0]!, (30.5 - fx.mean[2]!) / fx.scale[2]!], 1e-14);
    expect(out.rows[0]![2]).toBe(7);
    expect(artifactOf(engine, p, 'sc').features.map((f) => f.name)).toEqual(['age', 'bmi']);
  });

  it('every artifact kind survives a JSON save and load: applied again, the same rows to the last bit', async () => {
    const { pipeline: p } = await run(
      [
        { id: 'src', kind: 'source.sample', params: { dataset: 'customers' } },
        { id: 'imp', kind: 'features.impute', params: { strategy: 'median' } },
        { id: 'enc', kind: 'features.onehot', params: { columns: ['plan', 'region'] } },
        { id: 'sc', kind: 'features.scale', params: { method: 'minmax' } },
        { id: 'sel', kind: 'features.select', params: { target: 'churned', k: 4, method: 'mutual-info' } },
        { id: 'lin', kind: 'model.linear', params: { target: 'monthly_charges', penalty: 'elasticnet', alpha: 0.01 } },
        { id: 'log', kind: 'model.logistic', params: { target: 'contract', C: 0.3 } },
      ],
      [
        'src->imp',
        { from: 'imp', fromPort: 'out', to: 'enc' },
        { from: 'enc', fromPort: 'out', to: 'sc' },
        { from: 'sc', fromPort: 'out', to: 'sel' },
        { from: 'sc', fromPort: 'out', to: 'lin' },
        { from: 'sc', fromPort: 'out', to: 'log' },
      ],
    );
    const data = engine.output(p, 'sc', 'out') as { relation: string; columns: { name: string; type: string }[] };
    for (const node of ['imp', 'enc', 'sc', 'sel', 'lin', 'log']) {
      const artifact = artifactOf(engine, p, node);
      const loaded = JSON.parse(JSON.stringify(artifact)) as ModelArtifact;
      expect(loaded.format).toBe('kanvas.model');
      expect(loaded.version).toBe(1);
      const input = node === 'imp' || node === 'enc' ? (engine.output(p, node === 'imp' ? 'src' : 'imp', 'out') as typeof data) : data;
      const apply = (a: ModelArtifact) => readRows(engine.db, applierFor(a.kind)!.sql!(a, input.relation, input.columns));
      const [before, after] = [await apply(artifact), await apply(loaded)];
      expect(after.rows.length).toBeGreaterThan(0);
      expect(after).toEqual(before);
    }
  });

  it('predict: data without a column the artifact was fitted on is an error naming it', async () => {
    const r = await runDoc(
      engine,
      pipeline(
        [
          { id: 'src', kind: 'source.sample', params: { dataset: 'customers' } },
          { id: 'enc', kind: 'features.onehot', params: { columns: ['plan'] } },
          { id: 'new', kind: 'source.sql', params: { query: "SELECT 'x' AS region" } },
          { id: 'apply', kind: 'model.predict' },
        ],
        ['src->enc', { from: 'enc', fromPort: 'model', to: 'apply', toPort: 'model' }, { from: 'new', to: 'apply', toPort: 'data' }],
      ),
      '.',
    );
    expect(r.record.nodes['apply']!.status).toBe('error');
    expect(r.record.problems[0]!.message).toMatch(/missing column "plan"/);
  });
});
