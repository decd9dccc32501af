/** DuckDB type-name predicates. */

const numeric = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/i;

export function isNumericType(type: string): boolean {
  return numeric.test(type.trim());
}

/** Types whose values reach JS as primitives; everything else is cast before reading. */
const primitive = /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|VARCHAR)$/i;

export function castForJs(column: string, type: string): string {
  if (primitive.test(type)) return column;
  if (isNumericType(type)) return `${column}::DOUBLE`;
  return `${column}::VARCHAR`;
}
