/** Source files as DuckDB table functions in an exported SQL script (paths as written in params). */
import type { FileRef } from '../catalog/define-node.ts';
import type { ColumnInfo } from '../db/database.ts';
import { readCsvSql } from '../db/file-sql.ts';
import { literal } from '../sql/quote.ts';
import { NotExportable } from './sql-expr.ts';

/**
 * CSV and Parquet are read as the engine reads them (the same `read_csv` options, so the same
 * sniffing); JSON, which the engine parses itself, is read with the column types the engine
 * inferred (from the schema), so nested values stay JSON text and dates stay text.
 */
export function fileSql(ref: FileRef, columns: ColumnInfo[] | undefined, _delimiter: string | undefined): string {
  if ('sample' in ref) return readCsvSql(`samples/${ref.sample}.csv`);
  if (ref.format === 'csv') return readCsvSql(ref.path, ref.csv);
  if (ref.format === 'parquet') return `read_parquet(${literal(ref.path)})`;
  if (!columns) throw new NotExportable('the JSON file’s columns are unknown (export with a schema: `kanvas export` checks the pipeline against its files)');
  const types = columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
  return `read_json(${literal(ref.path)}, format = 'auto', columns = {${types}})`;
}
