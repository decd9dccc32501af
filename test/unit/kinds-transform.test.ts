import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/index.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { engineKinds, fixtureDir, openEngine, pipeline, runDoc } from '../support/engines.ts';
import { expectRowsClose, pandasDir, pandasFixture, pick, sortedRows, type FixtureTable } from '../support/pandas.ts';

/**
 * transform.aggregate / join / window / derive / filter against pandas, on both adapters.
 * Expected values: test/fixtures/pandas/*.json, from make_fixtures.py.
 */

interface AggregateCase {
  groupBy: string[];
  aggregates: { fn: string; column?: string; as?: string }[];
  expected: FixtureTable;
  pandasDefaultSum: Record<string, number[]>;
}
interface WindowCase {
  partitionBy: string[];
  orderBy: { column: string; descending?: boolean }[];
  columns: { as: string; fn: string; column?: string }[];
  expected: FixtureTable;
}
type JoinFixture = Record<'inner' | 'left' | 'right' | 'outer', { same_name: FixtureTable; left_right: FixtureTable }> & {
  null_keys_pandas_inner: FixtureTable;
};

const aggregates = pandasFixture<Record<string, AggregateCase>>('aggregate.json');
const joins = pandasFixture<JoinFixture>('join.json');
const windows = pandasFixture<Record<string, WindowCase>>('window.json');
const derived = pandasFixture<{ expected: FixtureTable }>('derive.json');
const filters = pandasFixture<{ cases: { where: string; ids: number[] }[]; pandasNaNComparison: number[] }>('filter.json');

const salesColumns = ['id', 'region', 'store', 'day', 'units', 'price', 'category', 'note', 'code'];
const sales = { id: 'src', kind: 'source.csv', params: { path: 'sales.csv', types: { code: 'VARCHAR' } } };
const salesIds = Array.from({ length: 30 }, (_, i) => i + 1);

/** Runs src(sales.csv) → one node and returns that node's table. */
async function runOn(engine: Engine, node: { id: string; kind: string; params: Record<string, unknown> }) {
  const { record, rows } = await runDoc(engine, pipeline([sales, node], [`src->${node.id}`]), pandasDir);
  expect(record.problems).toEqual([]);
  const out = await rows(node.id);
  return { ...out, names: out.columns.map((c) => c.name), types: Object.fromEntries(out.columns.map((c) => [c.name, c.type])) };
}

/** customers.csv (left) joined with orders.csv (right), whose columns a select may rename first. */
async function runJoin(engine: Engine, params: Record<string, unknown>, renameOrders: boolean) {
  const nodes = [
    { id: 'cust', kind: 'source.csv', params: { path: 'customers.csv' } },
    { id: 'ord', kind: 'source.csv', params: { path: 'orders.csv' } },
    ...(renameOrders
      ? [{ id: 'sel', kind: 'transform.select', params: { columns: ['id', 'customer_id', 'city', 'amount'], rename: { id: 'order_id', customer_id: 'id' } } }]
      : []),
    { id: 'j', kind: 'transform.join', params },
  ];
  const edges = [
    { from: 'cust', to: 'j', toPort: 'left' },
    ...(renameOrders ? ['ord->sel', { from: 'sel', to: 'j', toPort: 'right' }] : [{ from: 'ord', to: 'j', toPort: 'right' }]),
  ];
  const { record, rows } = await runDoc(engine, pipeline(nodes, edges), pandasDir);
  expect(record.problems).toEqual([]);
  return rows('j');
}

describe.each(engineKinds)('node kinds vs pandas (%s)', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(kind);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('reads sales.csv with the types the comparisons assume', async () => {
    const out = await runOn(engine, { id: 'all', kind: 'transform.limit', params: { n: 100 } });
    expect(out.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'region', type: 'VARCHAR' },
      { name: 'store', type: 'BIGINT' },
      { name: 'day', type: 'BIGINT' },
      { name: 'units', type: 'BIGINT' },
      { name: 'price', type: 'DOUBLE' },
      { name: 'category', type: 'VARCHAR' },
      { name: 'note', type: 'VARCHAR' },
      { name: 'code', type: 'VARCHAR' },
    ]);
    expect(out.rows.map((r) => r[0])).toEqual(salesIds);
    // Empty fields are NULL, other text is kept as is (leading zeros, spaces).
    expect(out.rows[1]).toEqual([2, 'north', 2, 1, 12, 3.75, 'mug', ' Blue mug ', '12']);
    expect(out.rows[2]).toEqual([3, null, 1, 1, -2, 2.5, 'mug', 'red mug', 'x1']);
    expect(out.rows[12]).toEqual([13, 'east', 2, 6, null, null, 'gift', 'Gift card', null]);
  });

  describe('transform.aggregate', () => {
    for (const [name, c] of Object.entries(aggregates)) {
      it(`${name}: every value as pandas' groupby(dropna=False), sorted by key with NULLs last`, async () => {
        const out = await runOn(engine, { id: 'agg', kind: 'transform.aggregate', params: { groupBy: c.groupBy, aggregates: c.aggregates } });
        expect(out.names).toEqual(c.expected.columns);
        expectRowsClose(out.rows, c.expected.rows);
      });
    }

    it('returns NULL (not pandas’ 0) for sum over an all-NULL group, and counts 0 values there', async () => {
      const c = aggregates.by_category!;
      const out = await runOn(engine, { id: 'agg', kind: 'transform.aggregate', params: { groupBy: c.groupBy, aggregates: c.aggregates } });
      const gift = out.rows.find((r) => r[0] === 'gift')!;
      const cell = (name: string) => gift[out.names.indexOf(name)];
      // pandas' default sum over the all-NaN gift group is 0; the engine's is NULL.
      expect(c.pandasDefaultSum.sum_units![0]).toBe(0);
      expect(c.pandasDefaultSum.sum_price![0]).toBe(0);
      expect([cell('sum_units'), cell('sum_price'), cell('mean_price'), cell('std_units'), cell('median_price'), cell('min_units'), cell('max_price')]).toEqual(
        [null, null, null, null, null, null, null],
      );
      expect([cell('count'), cell('count_units'), cell('count_distinct_price'), cell('count_distinct_region')]).toEqual([3, 0, 0, 2]);
      // The NULL category is a group of its own, after all others.
      expect(out.rows.map((r) => r[0])).toEqual(['gift', 'kettle', 'mug', 'tea', null]);
      expect(out.types).toMatchObject({ count: 'BIGINT', count_units: 'BIGINT', mean_units: 'DOUBLE', std_price: 'DOUBLE', min_region: 'VARCHAR', min_units: 'BIGINT' });
    });

    it('orders two keys with NULLs last in the first key', async () => {
      const out = await runOn(engine, { id: 'agg', kind: 'transform.aggregate', params: { groupBy: ['region', 'store'], aggregates: [{ fn: 'count' }] } });
      expect(out.rows.map((r) => `${r[0]}/${r[1]}`)).toEqual([
        'East/3', 'South/1', 'South/3', 'east/1', 'east/2', 'east/3', 'north/1', 'north/2', 'north/3', 'west/1', 'west/2', 'west/3', 'null/1', 'null/2', 'null/3',
      ]);
      expect(out.rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(30);
    });
  });

  describe('transform.join', () => {
    for (const how of ['inner', 'left', 'right', 'outer'] as const) {
      it(`${how} join on a same-name key: columns and rows as pandas.merge(on="id")`, async () => {
        const expected = joins[how].same_name;
        const out = await runJoin(engine, { how, on: ['id'] }, true);
        expect(out.columns.map((c) => c.name)).toEqual(expected.columns);
        expectRowsClose(sortedRows(out.rows), sortedRows(expected.rows));
      });

      it(`${how} join on {left, right} keys: columns and rows as pandas.merge(left_on, right_on)`, async () => {
        const expected = joins[how].left_right;
        const out = await runJoin(engine, { how, on: [{ left: 'id', right: 'customer_id' }] }, false);
        // Both key columns stay; `id` and `city` are on both sides and get _x/_y.
        expect(out.columns.map((c) => c.name)).toEqual(expected.columns);
        expectRowsClose(sortedRows(out.rows), sortedRows(expected.rows));
      });
    }

    it('row counts: duplicate keys multiply, unmatched rows are kept by side', async () => {
      const counts: Record<string, number> = {};
      for (const how of ['inner', 'left', 'right', 'outer'] as const) counts[how] = (await runJoin(engine, { how, on: ['id'] }, true)).rows.length;
      expect(counts).toEqual({ inner: 9, left: 11, right: 11, outer: 13 });
      expect(Object.fromEntries((['inner', 'left', 'right', 'outer'] as const).map((h) => [h, joins[h].same_name.rows.length]))).toEqual(counts);
    });

    it('never matches NULL keys (SQL), where pandas matches NaN with NaN', async () => {
      const inner = await runJoin(engine, { how: 'inner', on: ['id', 'city'] }, true);
      expect(inner.columns.map((c) => c.name)).toEqual(['id', 'name', 'city', 'score', 'order_id', 'amount']);
      expect(sortedRows(inner.rows)).toEqual(
        sortedRows([
          [1, 'Ada', 'Paris', 3.5, 100, 20.5],
          [1, 'Ada', 'Paris', 3.5, 108, 20.5],
          [2, 'Ben', 'Berlin', null, 107, 0.5],
          [3, 'Cleo B', 'Rome', 2, 102, 7.25],
          [4, 'Dan', 'Oslo', -1.5, 104, 12],
        ]),
      );
      // pandas has one more row: customer 3 "Cleo" (city NaN) with order 103 (city NaN).
      const pandasInner = joins.null_keys_pandas_inner;
      expect(pandasInner.columns).toEqual(['id', 'name', 'city', 'score', 'order_id', 'amount']);
      const nanMatch = [3, 'Cleo', null, 4, 103, -4];
      expect(sortedRows(pandasInner.rows)).toEqual(sortedRows([...inner.rows, nanMatch]));

      // In an outer join both NULL-key rows stay, unmatched; the shared key is coalesced.
      const outer = await runJoin(engine, { how: 'outer', on: ['id', 'city'] }, true);
      expect(outer.rows).toHaveLength(12);
      expect(outer.rows).toContainEqual([3, 'Cleo', null, 4, null, null]);
      expect(outer.rows).toContainEqual([3, null, null, null, 103, -4]);
      expect(outer.rows).toContainEqual([6, null, 'Kyiv', null, 105, 3]);
    });
  });

  describe('transform.window', () => {
    for (const [name, c] of Object.entries(windows)) {
      it(`${name}: values as pandas groupby shift/rank/expanding/rolling, rows in input order`, async () => {
        const out = await runOn(engine, {
          id: 'win',
          kind: 'transform.window',
          params: { partitionBy: c.partitionBy, orderBy: c.orderBy, columns: c.columns },
        });
        // Input columns unchanged and first, new columns appended in order.
        expect(out.names).toEqual([...salesColumns, ...c.columns.map((col) => col.as)]);
        expect(out.rows.map((r) => r[0])).toEqual(salesIds);
        expectRowsClose(pick(out, c.expected.columns), c.expected.rows);
      });
    }

    it('types: ranks and counts are integers, lag keeps the column type, rolling_mean is DOUBLE', async () => {
      const c = windows.by_store_day!;
      const out = await runOn(engine, { id: 'win', kind: 'transform.window', params: { partitionBy: c.partitionBy, orderBy: c.orderBy, columns: c.columns } });
      expect(out.types).toMatchObject({ n: 'BIGINT', prev_units: 'BIGINT', next_note: 'VARCHAR', run_count: 'BIGINT', run_mean: 'DOUBLE', roll_mean: 'DOUBLE', roll_min: 'DOUBLE' });
    });

    it('rolling_* gives NULL until minPeriods non-NULL values are in the window (store 3 by day)', async () => {
      const c = windows.by_store_day!;
      const out = await runOn(engine, { id: 'win', kind: 'transform.window', params: { partitionBy: c.partitionBy, orderBy: c.orderBy, columns: c.columns } });
      // Store 3 by day: ids 7 (units NULL), 4 (7), 14 (2), 10 (-1), 16 (4): rolling_mean(units, size 3)
      // needs 3 values, so it starts at id 10; rolling_max(units, size 4, minPeriods 2) at id 14.
      const byId = new Map(pick(out, ['id', 'roll_mean', 'roll_max']).map((r) => [r[0], r.slice(1)]));
      expect([7, 4, 14, 10, 16].map((id) => byId.get(id))).toEqual([
        [null, null],
        [null, null],
        [null, 7],
        [(7 + 2 - 1) / 3, 7],
        [(2 - 1 + 4) / 3, 7],
      ]);
    });
  });

  describe('transform.derive', () => {
    const columns = [
      { name: 'half', expr: 'units / 2' },
      { name: 'idiv', expr: 'units // 2' },
      { name: 'price_int', expr: 'CAST(price AS INTEGER)' },
      { name: 'code_num', expr: 'TRY_CAST(code AS INTEGER)' },
      { name: 'kind', expr: "CASE WHEN units IS NULL THEN 'unknown' WHEN units < 0 THEN 'return' WHEN units >= 10 THEN 'bulk' ELSE 'sale' END" },
      { name: 'label', expr: 'upper(trim(note))' },
      { name: 'note_len', expr: 'length(note)' },
      { name: 'first3', expr: 'substr(note, 1, 3)' },
      { name: 'tag', expr: "region || '-' || category" },
      { name: 'tag_ws', expr: "concat_ws('-', region, category)" },
      { name: 'revenue', expr: 'units * price' },
      { name: 'big', expr: 'revenue > 20 -- uses the column derived above' },
      { name: 'per_unit', expr: 'price / nullif(units, 0)' },
      { name: 'ratio', expr: 'price / units' },
      { name: 'per_store', expr: 'units // (store - 1)' },
      { name: 'price', expr: 'price * 2' },
    ];
    const newNames = columns.map((c) => c.name).filter((n) => n !== 'price');

    it('computes each expression as pandas does (with SQL division, casts and NULLs)', async () => {
      const out = await runOn(engine, { id: 'd', kind: 'transform.derive', params: { columns } });
      // `price` is replaced in place; new columns are appended in order.
      expect(out.names).toEqual([...salesColumns, ...newNames]);
      const expectedColumns = ['id', ...newNames, 'price'];
      const expected = derived.expected;
      expectRowsClose(
        pick(out, expectedColumns),
        pick({ columns: expected.columns.map((name) => ({ name })), rows: expected.rows }, expectedColumns),
      );
      expect(out.types).toMatchObject({
        half: 'DOUBLE',
        idiv: 'BIGINT',
        price_int: 'INTEGER',
        code_num: 'INTEGER',
        kind: 'VARCHAR',
        note_len: 'BIGINT',
        tag_ws: 'VARCHAR',
        revenue: 'DOUBLE',
        big: 'BOOLEAN',
        per_unit: 'DOUBLE',
        ratio: 'DOUBLE',
        per_store: 'BIGINT',
        price: 'DOUBLE',
      });
    });

    it('documents where DuckDB differs from pandas: // truncates (NULL for 0), float → int rounds half to even', async () => {
      const out = await runOn(engine, { id: 'd', kind: 'transform.derive', params: { columns } });
      const fx = { columns: derived.expected.columns.map((name) => ({ name })), rows: derived.expected.rows };
      const ids = (cols: [string, string]) => pick(fx, ['id', ...cols]).filter((r) => r[1] !== r[2]).map((r) => r[0]);
      // pandas' // floors: -1 // 2 = -1, DuckDB's truncates: 0 (ids 10, 19, 28 have odd negative units).
      expect(ids(['idiv', 'pandas_floordiv'])).toEqual([10, 19, 28]);
      // pandas' astype(int) truncates 3.75 → 3; DuckDB rounds (half to even: 12.5 → 12, 13.5 → 14).
      expect(ids(['price_int', 'pandas_astype_int'])).toEqual([2, 9, 10, 15, 16, 19, 26, 27, 28]);
      const got = new Map(pick(out, ['id', 'idiv', 'price_int']).map((r) => [r[0], r.slice(1)]));
      expect([10, 19, 28].map((id) => got.get(id)![0])).toEqual([0, -1, -2]);
      expect([1, 5, 9, 10, 2].map((id) => got.get(id)![1])).toEqual([2, 12, 14, -14, 4]);
      // `/` by zero is inf as in pandas (ids 5 and 26 sell 0 units); `//` by zero is NULL (store 1).
      const got2 = new Map(pick(out, ['id', 'ratio', 'per_store']).map((r) => [r[0], r.slice(1)]));
      expect([5, 26, 1, 2].map((id) => got2.get(id))).toEqual([
        [Infinity, 0],
        [Infinity, 0],
        [0.5, null],
        [0.3125, 12],
      ]);
    });
  });

  describe('transform.filter', () => {
    for (const c of filters.cases) {
      it(`keeps the rows where ${c.where} is TRUE`, async () => {
        const out = await runOn(engine, { id: 'f', kind: 'transform.filter', params: { where: c.where } });
        expect(out.names).toEqual(salesColumns);
        expect(out.rows.map((r) => r[0])).toEqual(c.ids);
      });
    }

    it('drops rows where the condition is NULL, which pandas’ NaN != "north" would keep', () => {
      const sql = filters.cases[0]!.ids;
      expect(filters.pandasNaNComparison.filter((id) => !sql.includes(id))).toEqual([8]);
      expect(sql.every((id) => filters.pandasNaNComparison.includes(id))).toBe(true);
    });
  });
});

describe('transform.sort is stable, as pandas’ sort_values(kind="mergesort")', () => {
  it('keeps the input order of tied rows on data DuckDB sorts in parallel, stored or written by a sink', async () => {
    const n = 400_000;
    const lines = Array.from({ length: n }, (_, i) => `${i},${(i * 7919) % 5},${i % 3 === 0 ? '' : (i * 31) % 4}`);
    const dir = fixtureDir({ 'ties.csv': `id,k,m\n${lines.join('\n')}\n` });
    const engine = await openEngine('native');
    try {
      const doc = pipeline(
        [
          { id: 'src', kind: 'source.csv', params: { path: 'ties.csv' } },
          { id: 'order', kind: 'transform.sort', params: { by: [{ column: 'k', descending: true }, { column: 'm', nullsFirst: true }] } },
          { id: 'out', kind: 'sink.csv', params: { path: 'sorted.csv' } },
        ],
        ['src->order', 'order->out'],
      );
      // Stored (materialize: all) and fused into the sink's COPY.
      const { record, rows } = await runDoc(engine, doc, dir);
      expect(record.status).toBe('ok');
      const stored = (await rows('order')).rows.map((r) => r.map((v) => (v === null ? '' : String(v))));
      const written = readFileSync(path.join(dir, 'sorted.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
      // What a stable sort gives: by k descending, then m with NULLs first, then input order.
      const rank = (m: string) => (m === '' ? -1 : Number(m));
      const expected = lines.map((l) => l.split(',')).sort((a, b) => Number(b[1]) - Number(a[1]) || rank(a[2]!) - rank(b[2]!) || Number(a[0]) - Number(b[0]));
      expect(stored).toEqual(expected);
      expect(written).toEqual(expected);
    } finally {
      await engine.close();
    }
  });
});
