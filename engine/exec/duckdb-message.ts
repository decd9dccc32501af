import { closest } from '../text/closest.ts';

/**
 * DuckDB's error messages, made into one clear line: the query excerpt (`LINE 1: …` with a caret
 * under generated SQL the user never wrote) and the "possible fixes" essay are dropped, and
 * binder suggestions become "did you mean". Errors reading a file (CSV parse errors, Parquet
 * files that are not Parquet) are rewritten to say what is wrong and on which line; the file's
 * path is not repeated, since the problem carries it.
 */
export function cleanDuckDbMessage(message: string): string {
  let text = message.replace(/\r/g, '');
  text = text.split(/\n\s*\nLINE \d+:|\nLINE \d+:/)[0]!;
  text = text.split(/\n\s*Possible (fixes|Solution|examples)/i)[0]!;
  const file = fileMessage(text);
  if (file) return oneLine(file);
  const lines = text
    .split('\n')
    // A value with a caret under the bad character (`n1` / `^`): the message already quotes it.
    .filter((l, i, all) => !/^\s*\^\s*$/.test(l) && !/^\s*\^\s*$/.test(all[i + 1] ?? ''))
    .map((l) => l.trim())
    .filter((l) => l && !/^\* /.test(l) && !/^(file|delimiter|quote|escape|new_line|header|skip_rows|comment|strict_mode|date_format|timestamp_format|null_padding|sample_size|ignore_errors|all_varchar|parallel|max_line_size) = /.test(l) && !/^(The CSV file was scanned|Parser options:|When doing a )/.test(l));
  // "No function matches …" lists every overload of the function: the first line says enough.
  const candidates = lines.findIndex((l) => /^Candidate functions:$/.test(l));
  let one = (candidates >= 0 ? lines.slice(0, candidates) : lines).join('; ').replace(/; Error: /, ': ');
  one = one.replace(/Referenced column "([^"]+)" not found in FROM clause!;? ?Candidate bindings: ("[^"]+"(?:, "[^"]+")*)/, (_m, col: string, cands: string) => {
    // DuckDB lists the nearest columns first, however far they are: suggest only a near one.
    const names = cands.split(', ').map((c) => c.trim().replace(/^"(?:[^".]+\.)?/, '').replace(/"$/, ''));
    // DuckDB shows a column named "id,name,amount" as candidates "amount", "name": the column
    // the user wants is part of a bigger name, as when a file is read with the wrong delimiter.
    if (names.some((n) => n.toLowerCase() === col.toLowerCase())) {
      return `column "${col}" not found, though a column's name contains it: was the file read with the wrong delimiter?`;
    }
    const hint = closest(col, names);
    if (hint) return `column "${col}" not found — did you mean "${hint}"?`;
    // A file read with the wrong delimiter has one column named after the whole header line.
    const joined = names.find((n) => /[,;|\t]/.test(n) && n.split(/[,;|\t]/).some((part) => part.trim().toLowerCase() === col.toLowerCase()));
    if (joined) return `column "${col}" not found, but there is a column "${joined}": was the file read with the wrong delimiter?`;
    return quotedValueHint(col);
  });
  one = one.replace(/Referenced column "([^"]+)" not found in FROM clause!?/, (_m, col: string) =>
    /^[A-Za-z_][A-Za-z0-9_]*$/.test(col) ? `column "${col}" not found` : quotedValueHint(col),
  );
  one = one.replace(/^Catalog Error: Type with name (.+?) does not exist!(?:;? ?Did you mean "([^"]+)"\?)?$/, (_m, name: string, theirs?: string) => {
    const hint = closest(name, typeNames) ?? theirs;
    return `unknown type "${name}"${hint ? ` — did you mean "${hint}"?` : ''}`;
  });
  one = one.replace(/^Invalid Input Error: Value "(.+?)" can not be converted to a DuckDB Type\.?$/, (_m, name: string) => `unknown type "${name}"`);
  one = one.replace(/^Binder Error: COLUMN_TYPES error: Columns with names: (.+?) do not exist in the CSV File$/, (_m, names: string) => {
    const list = names.split(/","/).map((n) => n.replace(/^"|"$/g, ''));
    return `"types" names ${list.length > 1 ? 'columns' : 'column'} ${list.map((n) => `"${n}"`).join(', ')}, which the file does not have`;
  });
  return oneLine(one);
}

/** `"north"` is a column name in SQL: a missing column unlike any other may be text in the wrong quotes. */
function quotedValueHint(col: string): string {
  return `column "${col}" not found (if it is meant as text, write it in single quotes: '${col.replaceAll("'", "''")}')`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Type names for "did you mean" (DuckDB's own suggestion is a catalog entry, often unrelated). */
const typeNames = [
  'BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT',
  'FLOAT', 'DOUBLE', 'DECIMAL', 'VARCHAR', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMPTZ', 'INTERVAL', 'BLOB', 'UUID', 'JSON',
];

/** Longest excerpt of a data line quoted in a message. */
const EXCERPT = 60;

function excerpt(line: string): string {
  const first = line.split('\n')[0]!;
  const cut = first.length > EXCERPT || first !== line.trimEnd() ? `${first.slice(0, EXCERPT)}…` : first;
  return JSON.stringify(cut);
}

/** A message about reading a file, rewritten; null when `text` is not one. */
function fileMessage(text: string): string | null {
  const body = text.replace(/^(Invalid Input Error|Conversion Error|Invalid Error|IO Error): /, '');

  // A row the CSV reader cannot parse or convert: DuckDB gives the line (1-based, header included).
  const csv = /^CSV Error on Line: (\d+)\n(?:Original Line: ([\s\S]*?)\n)?(?=\S)([\s\S]*)$/.exec(body);
  if (csv) {
    const [, line, original, rest] = csv;
    const detail = rest!.replace(/\n\s*\n/g, '\n').trim();
    const quote = original !== undefined ? `: ${excerpt(original)}` : '';
    let m: RegExpExecArray | null;
    if ((m = /^Expected Number of Columns: (\d+) Found: (\d+)/.exec(detail))) {
      return `line ${line} has ${m[2]} ${Number(m[2]) === 1 ? 'field' : 'fields'}, but the lines before it have ${m[1]}${quote}`;
    }
    if ((m = /Maximum line size of (\d+) bytes exceeded\. Actual Size: ?(\d+) bytes/.exec(detail))) {
      return `line ${line} is ${Number(m[2]).toLocaleString('en-US')} bytes long; the longest line the CSV reader takes is ${Number(m[1]).toLocaleString('en-US')} bytes`;
    }
    if (/Invalid unicode/i.test(detail)) {
      // DuckDB quotes the line before the bad bytes here, so the excerpt would mislead.
      return `line ${line} is not valid UTF-8; set "encoding" ("latin-1" or "utf-16") if the file is in another encoding`;
    }
    if (/unterminated quote/i.test(detail)) return `line ${line} has a quoted value that is never closed${quote}`;
    if ((m = /^Error when converting column "(.+?)"\. Could not convert string "([\s\S]*?)" to '(.+?)'/.exec(detail))) {
      const [, column, value, type] = m;
      const why = /This type was auto-detected/i.test(detail)
        ? `the type detected from the first rows; set "types" (e.g. {"${column}": "VARCHAR"}) to read it otherwise`
        : 'the type set in "types"';
      return `line ${line}: cannot read ${excerpt(value!)} in column "${column}" as ${type} (${why})`;
    }
    return `line ${line}: ${detail.split('\n').join('; ')}${quote}`;
  }

  // The sniffer found no delimiter and quoting that split every sampled row the same way.
  if (/^Error when sniffing file "[\s\S]*?"\.\n/.test(body) && /It was not possible to automatically detect the CSV parsing dialect/.test(body)) {
    const delimiters = /Delimiter Candidates: (.*)/.exec(body)?.[1]?.match(/'(?:[^']|'')*?'/g) ?? [];
    if (delimiters.length === 1) {
      const d = delimiters[0]!.slice(1, -1);
      return `cannot read the file as CSV with delimiter ${JSON.stringify(d)}: its rows do not all have the same number of fields, or a quote is never closed`;
    }
    return 'cannot detect the CSV format: no delimiter splits every row into the same number of fields (is it a text file? are some rows longer than others?)';
  }
  if (/^Error when sniffing file /.test(body)) {
    return `cannot detect the CSV format: ${body.split('\n').slice(1).map((l) => l.trim()).filter(Boolean).join('; ')}`;
  }

  // Parquet, as native DuckDB reports it.
  if (/^No magic bytes found at end of file /.test(body)) {
    return 'not a Parquet file: it does not end with the Parquet marker "PAR1" (it is truncated, or in another format)';
  }
  if (/^File .* too small to be a Parquet file/.test(body)) return 'not a Parquet file: it is too small to be one';
  if (/^Footer length error in file /.test(body)) return 'not a Parquet file: its footer is missing or corrupt (it is truncated, or in another format)';
  // Parquet metadata is Thrift: these are its decoder's complaints about bytes that are not.
  if (/^(don't know what type|Variable-length int over 10 bytes|TProtocolException|.*\bThrift\b)/i.test(body) && /^Invalid Error: /.test(text)) {
    return `corrupt Parquet file: its metadata cannot be decoded (${body.split('\n')[0]!.replace(/[:.]\s*$/, '')})`;
  }
  // Parquet, as parquet-wasm reports it (the wasm build reads Parquet through it).
  if (/^Empty input provided or not a Uint8Array/.test(body)) return 'the file is empty; expected a Parquet file';
  if (/^EOF: Parquet file too small\. Size is \d+ but need \d+/.test(body)) {
    return 'not a Parquet file: its footer is missing or corrupt (it is truncated, or in another format)';
  }
  if (/^Parquet error: Invalid Parquet file\. Corrupt footer/.test(body)) {
    return 'not a Parquet file: its footer is missing or corrupt (it is truncated, or in another format)';
  }
  const pq = /^Parquet (?:argument )?error: (?:Parquet error: )?([\s\S]*)$/.exec(body);
  if (pq) return `corrupt Parquet file: ${pq[1]!.split('\n')[0]}`;
  return null;
}
