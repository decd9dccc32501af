import type { Primitive } from '../db/database.ts';
import { doubleLiteral as dbl } from './quote.ts';

export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

type ReadRows = (sql: string) => Promise<{ rows: Primitive[][] }>;

/**
 * Equal-width histogram of a numeric SQL expression, finite values only, with numpy.histogram's
 * exact rule: edges `start + i·step`, index `trunc((x − start)·(bins / width))` corrected against
 * those edges, the last bin closed on the right; a constant column spans value ± 0.5.
 */
export async function histogram(readRows: ReadRows, relation: string, x: string, bins: number): Promise<Bin[]> {
  const range = await readRows(`SELECT min(${x}), max(${x}) FROM ${relation} WHERE isfinite(${x})`);
  const [lo, hi] = range.rows[0]!;
  if (lo === null || hi === null) return [];
  const [start, stop] = lo === hi ? [Number(lo) - 0.5, Number(hi) + 0.5] : [Number(lo), Number(hi)];
  const step = (stop - start) / bins;
  const norm = bins / (stop - start);
  const edge = (i: string) => `(${i} * ${dbl(step)} + ${dbl(start)})`;
  const counts = await readRows(`
SELECT CASE
    WHEN v < ${edge('i')} THEN i - 1
    WHEN i <> ${bins - 1} AND v >= ${edge('(i + 1)')} THEN i + 1
    ELSE i END AS bin,
  count(*) AS n
FROM (
  SELECT v, least(trunc((v - ${dbl(start)}) * ${dbl(norm)})::BIGINT, ${bins - 1}) AS i
  FROM (SELECT (${x})::DOUBLE AS v FROM ${relation}) WHERE isfinite(v)
) GROUP BY ALL`);
  const byBin = new Map(counts.rows.map(([bin, n]) => [Number(bin), Number(n)]));
  return Array.from({ length: bins }, (_, i) => ({
    x0: i * step + start,
    x1: i === bins - 1 ? stop : (i + 1) * step + start,
    count: byBin.get(i) ?? 0,
  }));
}
