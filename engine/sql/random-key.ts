/**
 * A seeded pseudo-random 64-bit key per row: splitmix64 of (position, seed), written in SQL.
 * It is the same function in every target (SQL here; numpy uint64 arithmetic in exported
 * pandas code), so seeded samples and splits select the same rows everywhere.
 */
const TWO_64 = '18446744073709551616::UHUGEINT';

function mulMod(x: string, constant: string): string {
  return `((${x})::UHUGEINT * ${constant} % ${TWO_64})::UBIGINT`;
}

export function randomKeySql(position: string, seed: number): string {
  const z0 = `(((${position})::UHUGEINT + ${seed}::UHUGEINT * 11400714819323198485) % ${TWO_64})::UBIGINT`;
  const z1 = mulMod(`xor(${z0}, ${z0} >> 30)`, '13787848793156543929');
  const z2 = mulMod(`xor(${z1}, ${z1} >> 27)`, '10723151780598845931');
  return `xor(${z2}, ${z2} >> 31)`;
}
