/** SQL quoting for DuckDB. Every name and literal the engine generates goes through these. */

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function literal(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : doubleLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // NUL cannot appear in a DuckDB string literal; nothing we generate contains one.
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A DOUBLE that is exactly `value`. Not `0.1::DOUBLE`: DuckDB reads `0.1` as a DECIMAL and
 * converts it by a division that can be off by one unit in the last place (`0.9999999999999999::DOUBLE`
 * is 1.0); text cast to DOUBLE is correctly rounded, so JS's shortest repr comes back exact.
 */
export function doubleLiteral(value: number): string {
  if (Number.isNaN(value)) return `'NaN'::DOUBLE`;
  if (!Number.isFinite(value)) return `'${value > 0 ? '' : '-'}Infinity'::DOUBLE`;
  return `'${value}'::DOUBLE`;
}

/** A user expression, parenthesised on its own lines so a trailing `--` comment stays inside. */
export function expr(text: string): string {
  return `(\n${text}\n)`;
}
