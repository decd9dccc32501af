import type { ColumnInfo } from '../db/database.ts';
import { doubleLiteral, ident } from '../sql/quote.ts';

export interface ScaleState {
  method: 'standard' | 'minmax';
  /** Per column: the value subtracted and the divisor. */
  columns: { name: string; shift: number; scale: number }[];
}

/**
 * Fitted as scikit-learn's StandardScaler (mean, population std; a constant column keeps
 * scale 1) or MinMaxScaler (min, max − min; a constant column keeps scale 1).
 */
export function fitScale(X: Float64Array[], names: string[], method: ScaleState['method']): ScaleState {
  return {
    method,
    columns: X.map((col, j) => {
      const n = col.length;
      if (method === 'minmax') {
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of col) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        return { name: names[j]!, shift: lo, scale: hi - lo === 0 ? 1 : hi - lo };
      }
      let s = 0;
      for (const v of col) s += v;
      const m = s / n;
      let ss = 0;
      for (const v of col) ss += (v - m) * (v - m);
      const sd = Math.sqrt(ss / n);
      return { name: names[j]!, shift: m, scale: sd === 0 ? 1 : sd };
    }),
  };
}

/** The input with the scaled columns replaced in place (as DOUBLE). */
export function scaleSql(state: ScaleState, input: string, columns: ColumnInfo[]): string {
  const scaled = new Map(state.columns.map((c) => [c.name.toLowerCase(), c]));
  const items = columns.map((c) => {
    const s = scaled.get(c.name.toLowerCase());
    return s ? `(${ident(c.name)}::DOUBLE - ${doubleLiteral(s.shift)}) / ${doubleLiteral(s.scale)} AS ${ident(c.name)}` : ident(c.name);
  });
  return `SELECT ${items.join(', ')} FROM ${input}`;
}
