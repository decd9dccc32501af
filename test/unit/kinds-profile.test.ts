import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Primitive, ReportValue } from '../../engine/index.ts';
import { engineKinds, fixtureDir, openEngine, pipeline, runDoc } from '../support/engines.ts';
import { cellsClose, pandasDir, pandasFixture } from '../support/pandas.ts';

/**
 * analysis.profile against pandas (count, nulls, nunique, mean, std(ddof=1), linear quantiles)
 * and numpy.histogram (counts and edges, exactly), on both adapters.
 */

interface ColumnStats {
  column: string;
  rows: number;
  count: number;
  nulls: number;
  nunique: number;
  min: Primitive;
  max: Primitive;
  mean?: number | null;
  std?: number | null;
  q25?: number | null;
  median?: number | null;
  q75?: number | null;
}
interface ProfileCase {
  bins: number;
  stats: ColumnStats[];
  histograms: Record<string, { counts: number[]; edges: number[] }>;
}

const profiles = pandasFixture<Record<'sales' | 'readings' | 'readings_7', ProfileCase>>('profile.json');

const cases: { name: keyof typeof profiles; nodes: { id: string; kind: string; params: Record<string, unknown> }[]; types: Record<string, string> }[] = [
  {
    name: 'sales',
    nodes: [{ id: 'src', kind: 'source.csv', params: { path: 'sales.csv', types: { code: 'VARCHAR' } } }],
    types: { id: 'BIGINT', region: 'VARCHAR', store: 'BIGINT', day: 'BIGINT', units: 'BIGINT', price: 'DOUBLE', category: 'VARCHAR', note: 'VARCHAR', code: 'VARCHAR' },
  },
  {
    name: 'readings',
    nodes: [{ id: 'src', kind: 'source.csv', params: { path: 'readings.csv' } }],
    types: { sensor: 'VARCHAR', reading: 'DOUBLE', level: 'BIGINT', offset: 'DOUBLE', delta: 'DOUBLE' },
  },
  {
    name: 'readings_7',
    nodes: [
      { id: 'src', kind: 'source.csv', params: { path: 'readings.csv' } },
      { id: 'sel', kind: 'transform.select', params: { columns: ['reading', 'offset'] } },
    ],
    types: { reading: 'DOUBLE', offset: 'DOUBLE' },
  },
];

describe.each(engineKinds)('analysis.profile vs pandas and numpy (%s)', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(kind);
  });
  afterAll(async () => {
    await engine.close();
  });

  async function profile(c: (typeof cases)[number]) {
    const nodes = [...c.nodes, { id: 'prof', kind: 'analysis.profile', params: { bins: profiles[c.name].bins } }];
    const edges = nodes.slice(1).map((n, i) => `${nodes[i]!.id}->${n.id}`);
    const { record, rows, pipeline: p } = await runDoc(engine, pipeline(nodes, edges), pandasDir);
    expect(record.problems).toEqual([]);
    const stats = await rows('prof', 'stats');
    const report = engine.output(p, 'prof', 'report') as ReportValue;
    expect(report.type).toBe('report');
    const names = stats.columns.map((col) => col.name);
    const byColumn = new Map(stats.rows.map((r) => [r[0] as string, Object.fromEntries(names.map((n, i) => [n, r[i]!])) as Record<string, Primitive>]));
    return { stats, byColumn, report };
  }

  for (const c of cases) {
    describe(c.name, () => {
      it('stats: count, nulls, nunique, min/max, mean, std (n − 1), linear quantiles as pandas', async () => {
        const { stats, byColumn } = await profile(c);
        const expected = profiles[c.name].stats;
        expect(stats.rows.map((r) => r[0])).toEqual(expected.map((s) => s.column));
        for (const e of expected) {
          const got = byColumn.get(e.column)!;
          const numeric = e.mean !== undefined;
          expect({ column: e.column, type: got.type, rows: got.rows, nulls: got.nulls, count: Number(got.rows) - Number(got.nulls), distinct: got.distinct }).toEqual({
            column: e.column,
            type: c.types[e.column],
            rows: e.rows,
            nulls: e.nulls,
            count: e.count,
            distinct: e.nunique,
          });
          expect(got.null_fraction).toBe(e.nulls / e.rows);
          // min and max come as text; for numbers, the same number as pandas.
          expect(numeric ? [Number(got.min), Number(got.max)] : [got.min, got.max]).toEqual([e.min, e.max]);
          const moments = ['mean', 'std', 'q25', 'median', 'q75'] as const;
          const actual = moments.map((m) => got[m] ?? null);
          const want = moments.map((m) => (numeric ? (e[m] ?? null) : null));
          const close = actual.map((a, i) => (cellsClose(a, want[i]!) ? want[i] : a));
          expect(close, `${e.column}: ${moments.join(', ')}`).toEqual(want);
        }
      });

      it('histograms: the counts and edges of numpy.histogram, exactly', async () => {
        const { report } = await profile(c);
        const expected = profiles[c.name].histograms;
        const plots = report.sections.flatMap((s) => (s.kind === 'plot' && s.plot.type === 'histogram' ? [s.plot] : []));
        expect(plots.map((p) => p.column)).toEqual(Object.keys(expected));
        for (const plot of plots) {
          const { counts, edges } = expected[plot.column]!;
          expect(plot.bins).toHaveLength(profiles[c.name].bins);
          expect({ column: plot.column, counts: plot.bins.map((b) => b.count) }).toEqual({ column: plot.column, counts });
          expect({ column: plot.column, x0: plot.bins.map((b) => b.x0) }).toEqual({ column: plot.column, x0: edges.slice(0, -1) });
          expect({ column: plot.column, x1: plot.bins.map((b) => b.x1) }).toEqual({ column: plot.column, x1: edges.slice(1) });
        }
      });

      it('the stats table holds exactly the values of the report (no rounding on the way)', async () => {
        const { stats, report } = await profile(c);
        const table = report.sections.find((s) => s.kind === 'table');
        expect(table?.kind === 'table' ? table.rows : null).toEqual(stats.rows);
      });
    });
  }

  it('doubles pass through SQL literals exactly (JSON sources are inserted as literals)', async () => {
    // Each has 16–17 significant digits; DuckDB reads `0.9999999999999999::DOUBLE` as 1.0.
    const values = [0.9999999999999999, 0.1 + 0.2, 1 / 3, 0.09729743003845215, -2.0191395282745358e-6, 0.42500000000000004, 5e-324];
    const dir = fixtureDir({ 'values.json': JSON.stringify(values.map((x, i) => ({ i, x }))) });
    const { record, rows } = await runDoc(engine, pipeline([{ id: 'src', kind: 'source.json', params: { path: 'values.json' } }]), dir);
    expect(record.problems).toEqual([]);
    expect((await rows('src')).rows).toEqual(values.map((x, i) => [i, x]));
  });

  it('a constant column spans value ± 0.5 (numpy): all 23 readings of level 3 fall in bin 10 of 20', async () => {
    const { report } = await profile(cases[1]!);
    const level = report.sections.find((s) => s.kind === 'plot' && s.plot.type === 'histogram' && s.plot.column === 'level');
    const bins = level?.kind === 'plot' && level.plot.type === 'histogram' ? level.plot.bins : [];
    expect([bins[0]?.x0, bins.at(-1)?.x1]).toEqual([2.5, 3.5]);
    expect(bins.map((b) => b.count)).toEqual(Array.from({ length: 20 }, (_, i) => (i === 10 ? 23 : 0)));
  });
});
