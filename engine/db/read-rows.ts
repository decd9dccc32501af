import { ident } from '../sql/quote.ts';
import { castForJs } from '../sql/types.ts';
import type { ColumnInfo, Database, Primitive } from './database.ts';

/** Column names and DuckDB types of a query's result, without running it. */
export async function describe(db: Database, sql: string): Promise<ColumnInfo[]> {
  const result = await db.query(`DESCRIBE ${sql}`);
  return result.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
}

/**
 * Rows of a query as JS values that are the same in both adapters: numbers, strings, booleans
 * and null. DECIMAL and HUGEINT become doubles; dates, times, lists and other types arrive as
 * the text DuckDB prints for them.
 */
export async function readRows(
  db: Database,
  sql: string,
  limit?: number,
): Promise<{ columns: ColumnInfo[]; rows: Primitive[][] }> {
  const columns = await describe(db, sql);
  const list = columns.map((c, i) => `${castForJs(`__t.${ident(c.name)}`, c.type)} AS c${i}`).join(', ');
  const result = await db.query(`SELECT ${list} FROM (${sql}) AS __t${limit !== undefined ? ` LIMIT ${limit}` : ''}`);
  return { columns, rows: result.rows };
}
