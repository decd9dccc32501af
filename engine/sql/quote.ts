/** SQL quoting for DuckDB. Every name and literal the engine generates goes through these. */

export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function literal(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return `'NaN'::DOUBLE`;
    if (!Number.isFinite(value)) return `'${value > 0 ? '' : '-'}Infinity'::DOUBLE`;
    return Number.isInteger(value) ? String(value) : `${value}::DOUBLE`;
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // NUL cannot appear in a DuckDB string literal; nothing we generate contains one.
  return `'${value.replaceAll("'", "''")}'`;
}

/** A user expression, parenthesised on its own lines so a trailing `--` comment stays inside. */
export function expr(text: string): string {
  return `(\n${text}\n)`;
}
