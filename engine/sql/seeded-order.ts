import type { ColumnInfo } from '../db/database.ts';
import { ident } from './quote.ts';
import { randomKeySql } from './random-key.ts';

/**
 * The input with a seeded random key per row (`__key`) and its original position (`__pos`).
 * Keys are drawn by each row's rank in a canonical order (all columns, in column order), so the
 * same rows get the same keys whatever order they arrive in: a seeded sample or split does not
 * depend on how an upstream join or aggregate happened to order its output.
 */
export function keyedRows(materializedInput: string, columns: ColumnInfo[], seed: number): string {
  const canonical = columns.map((c) => `${ident(c.name)} ASC NULLS LAST`).join(', ');
  return `SELECT *, ${randomKeySql('__rank', seed)} AS __key FROM (
  SELECT *, rowid AS __pos, row_number() OVER (ORDER BY ${canonical}) AS __rank FROM ${materializedInput}
)`;
}
