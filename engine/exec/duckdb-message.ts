/**
 * DuckDB's error messages, made into one clear line: the query excerpt (`LINE 1: …` with a caret
 * under generated SQL the user never wrote) and the "possible fixes" essay are dropped, and
 * binder suggestions become "did you mean".
 */
export function cleanDuckDbMessage(message: string): string {
  let text = message.replace(/\r/g, '');
  text = text.split(/\n\s*\nLINE \d+:|\nLINE \d+:/)[0]!;
  text = text.split(/\n\s*Possible (fixes|Solution)/i)[0]!;
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\* /.test(l) && !/^(file|delimiter|quote|escape|new_line|header|skip_rows|comment|strict_mode|date_format|timestamp_format|null_padding|sample_size|ignore_errors|all_varchar|parallel|max_line_size) = /.test(l) && !/^(The CSV file was scanned|Parser options:|When doing a )/.test(l));
  let one = lines.join('; ');
  one = one.replace(/Referenced column "([^"]+)" not found in FROM clause!;? ?Candidate bindings: ("[^"]+"(?:, "[^"]+")*)/, (_m, col: string, cands: string) => {
    const first = cands.split(',')[0]!.trim().replace(/^"(?:[^".]+\.)?/, '"');
    return `column "${col}" not found — did you mean ${first}?`;
  });
  one = one.replace(/Referenced column "([^"]+)" not found in FROM clause!?/, 'column "$1" not found');
  return one.replace(/\s+/g, ' ').trim();
}
