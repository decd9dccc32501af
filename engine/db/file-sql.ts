import { ident, literal } from '../sql/quote.ts';
import type { CsvReadOptions, JsRows, OutputFormat, WriteOptions } from './database.ts';

/**
 * `read_csv(...)` with the user's options; anything not given is left to DuckDB's sniffer, except
 * where the data starts. Left to itself, the sniffer takes lines that do not fit the dialect it
 * finds as a preamble and skips them: a file whose last rows have an extra field loses its header
 * and every row above them, silently. With `skip = 0` every line is read, and rows that do not
 * fit are an error (delimiter given) or show as one odd column (delimiter sniffed).
 */
export function readCsvSql(path: string, o: CsvReadOptions = {}): string {
  // The sniffer may also decide a file has no quoting at all when a quote is never closed: the
  // quote and all after it would be read as text. `"` is the quote (as in RFC 4180 and pandas),
  // so such a file is an error naming the line.
  const args = [literal(path), 'skip = 0', `quote = '"'`];
  if (o.delimiter !== undefined) args.push(`delim = ${literal(o.delimiter)}`);
  if (o.header !== undefined) args.push(`header = ${literal(o.header)}`);
  if (o.encoding !== undefined && o.encoding !== 'utf-8') args.push(`encoding = ${literal(o.encoding)}`);
  // DuckDB's nullstr replaces the empty field as NULL; the param adds to it, as documented.
  if (o.nullString !== undefined) args.push(o.nullString === '' ? `nullstr = ''` : `nullstr = [${literal(o.nullString)}, '']`);
  const types = Object.entries(o.types ?? {});
  if (types.length) args.push(`types = {${types.map(([k, v]) => `${literal(k)}: ${literal(v)}`).join(', ')}}`);
  return `read_csv(${args.join(', ')})`;
}

export function copyToSql(sql: string, path: string, format: OutputFormat, o: WriteOptions = {}, useTmpFile = true): string {
  const opts =
    format === 'csv'
      ? [`FORMAT csv`, `HEADER ${literal(o.header ?? true)}`, `DELIMITER ${literal(o.delimiter ?? ',')}`]
      : [`FORMAT parquet`];
  if (!useTmpFile) opts.push('USE_TMP_FILE false');
  return `COPY (${sql}) TO ${literal(path)} (${opts.join(', ')})`;
}

/** Statements that create table `name` and fill it with `table`'s rows, in batches. */
export function* insertRowsSql(name: string, table: JsRows): Generator<string> {
  yield `CREATE OR REPLACE TABLE ${ident(name)} (${table.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`;
  const batch = 1000;
  for (let i = 0; i < table.rows.length; i += batch) {
    const values = table.rows.slice(i, i + batch).map((r) => `(${r.map(literal).join(', ')})`);
    yield `INSERT INTO ${ident(name)} VALUES ${values.join(', ')}`;
  }
}
