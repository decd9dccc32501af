/**
 * Bad data files through `kanvas run` (in-process): source → filter/derive → sink.csv into
 * `--out DIR`. Every one must fail with exit code 1 and one clear line naming the node, the file
 * and (where DuckDB gives it) the line; no stack trace; no sink file and no temp file left.
 *
 * The reading cases run on both engines: native DuckDB reads CSV and Parquet itself, the wasm
 * build reads Parquet through parquet-wasm and both read JSON through our own parser.

 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonRows } from '../../engine/db/json-rows.ts';
import { PipelineError } from '../../engine/index.ts';
import type { EngineKind } from '../../engine/node/open-database.ts';
import { errorLines, hasStackTrace, runCli, type CliResult } from '../support/cli.ts';
import { tempDir } from '../support/engines.ts';

type Kind = 'source.csv' | 'source.parquet' | 'source.json';

interface DataCase {
  name: string;
  kind: Kind;
  /** The file's bytes; absent: no file at all. */
  content?: string | Uint8Array;
  /** A folder where the file should be. */
  folder?: boolean;
  /** `path` param (default `data.<ext>`). */
  path?: string;
  params?: Record<string, unknown>;
  /** The node between the source and the sink (default: a filter that keeps every row). */
  mid?: { kind: string; params: Record<string, unknown> };
  /** The node the error belongs to. */
  node: 'src' | 'mid';
  expect: RegExp | Partial<Record<EngineKind, RegExp>>;
  /** The line of the file the error must name. */
  line?: number;
  /** Also run on the wasm engine. */
  wasm?: boolean;
}

// ---- files -------------------------------------------------------------------------------

const HEADER = 'id,name,amount\n';
const rows = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `${from + i},n${from + i},${(from + i) * 2}\n`).join('');
const CSV = HEADER + rows(5);
/** Past DuckDB's sniffer sample, so a problem there is only found while the data is read. */
const LONG = HEADER + rows(30000);
/** The same with quoted names, so the sniffer takes `"` as the quote character. */
const QUOTED = HEADER + Array.from({ length: 30000 }, (_, i) => `${i + 1},"n${i + 1}",${(i + 1) * 2}\n`).join('');
const bytes = (...parts: (string | number[] | Uint8Array)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Uint8Array.from(p))));
const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** A real Parquet file, written by DuckDB 1.4.3 (uncompressed): id BIGINT, name VARCHAR, amount DECIMAL; 10 rows. */
const PARQUET = Buffer.from(
  'UEFSMRUAFawBFawBLBUUFQAVBhUGAAACAAAAFAEAAAAAAAAAAAEAAAAAAAAAAgAAAAAAAAADAAAAAAAAAAQAAAAAAAAABQAAAAAAAAAGAAAAAAAAAAcAAAAAAAAACAAAAAAAAAAJAAAAAAAAABUAFYQBFYQBLBUUFQAVBhUGAAACAAAAFAECAAAAbjACAAAAbjECAAAAbjICAAAAbjMCAAAAbjQCAAAAbjUCAAAAbjYCAAAAbjcCAAAAbjgCAAAAbjkVABXMAhXMAiwVFBUAFQYVBgAAAgAAABQBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABkAAAAAAAAAAAAAAAAAAAAyAAAAAAAAAAAAAAAAAAAASwAAAAAAAAAAAAAAAAAAAGQAAAAAAAAAAAAAAAAAAAB9AAAAAAAAAAAAAAAAAAAAlgAAAAAAAAAAAAAAAAAAAK8AAAAAAAAAAAAAAAAAAADIAAAAAAAAAAAAAAAAAAAA4RUCGUw1ABgNZHVja2RiX3NjaGVtYRUGABUEJQIYAmlkJSQAFQwlAhgEbmFtZSUAABUOFSAVAhgGYW1vdW50JQoVAhUqLFwVAhUqAAAAFhQZHBk8JgAcFQQZFQAZGAJpZBUAFhQW0gEW0gEmCDwYCAkAAAAAAAAAGAgAAAAAAAAAABYAKAgJAAAAAAAAABgIAAAAAAAAAAAREQAAACYAHBUMGRUAGRgEbmFtZRUAFhQWqgEWqgEm2gE8GAJuORgCbjAWACgCbjkYAm4wEREAAAAmABwVDhkVABkYBmFtb3VudBUAFhQW8gIW8gImhAM8GBAAAAAAAAAAAAAAAAAAAADhGBAAAAAAAAAAAAAAAAAAAAAAFgAoEAAAAAAAAAAAAAAAAAAAAOEYEAAAAAAAAAAAAAAAAAAAAAAREQAAABbuBRYUJggW7gUAKChEdWNrREIgdmVyc2lvbiB2MS40LjMgKGJ1aWxkIGQxZGM4OGY5NTApAHQBAABQQVIx',
  'base64',
);

// ---- cases -------------------------------------------------------------------------------

const derive = (expr: string) => ({ kind: 'transform.derive', params: { columns: [{ name: 'x', expr }] } });
const filter = (where: string) => ({ kind: 'transform.filter', params: { where } });
const notParquet = { native: /not a Parquet file: it does not end with the Parquet marker "PAR1" \(it is truncated, or in another format\)$/, wasm: /not a Parquet file: its footer is missing or corrupt \(it is truncated, or in another format\)$/ };
const sniffFailed = /cannot read the file as CSV with delimiter ",": its rows do not all have the same number of fields, or a quote is never closed$/;
const noFormat = /cannot detect the CSV format: no delimiter splits every row into the same number of fields \(is it a text file\? are some rows longer than others\?\)$/;

const cases: DataCase[] = [
  // CSV: rows of different lengths.
  { name: 'csv: a row with an extra field (delimiter given)', kind: 'source.csv', content: `${HEADER}1,a,2\n2,b,4,oops\n3,c,6\n`, params: { delimiter: ',' }, node: 'src', expect: sniffFailed, wasm: true },
  { name: 'csv: a row with a missing field (delimiter given)', kind: 'source.csv', content: `${HEADER}1,a,2\n2,b\n3,c,6\n`, params: { delimiter: ',' }, node: 'src', expect: sniffFailed },
  { name: 'tsv: the last row with an extra field (delimiter given)', kind: 'source.csv', content: 'id\tname\n1\ta\n2\tb\tc\n', path: 'data.tsv', params: { delimiter: '\t' }, node: 'src', expect: /cannot read the file as CSV with delimiter "\\t": its rows do not all have the same number/ },
  { name: 'csv: the last rows with an extra field (delimiter given)', kind: 'source.csv', content: `${HEADER}${rows(20)}21,u,42,x\n22,v,44,y\n`, params: { delimiter: ',' }, node: 'src', expect: sniffFailed },
  { name: 'csv: the last rows with an extra field (delimiter sniffed)', kind: 'source.csv', content: `${HEADER}${rows(20)}21,u,42,x\n22,v,44,y\n`, node: 'src', line: 22, expect: /line 22 has 4 fields/ },
  { name: 'csv: a row with an extra field after the sniffed sample', kind: 'source.csv', content: `${LONG}30001,x,1,extra\n`, node: 'src', line: 30002, expect: /line 30002 has 4 fields, but the lines before it have 3: "30001,x,1,extra"$/, wasm: true },
  { name: 'csv: a row with a missing field after the sniffed sample', kind: 'source.csv', content: `${LONG}30001,x\n`, node: 'src', line: 30002, expect: /line 30002 has 2 fields, but the lines before it have 3: "30001,x"$/ },
  { name: 'csv: a row with an extra field (delimiter sniffed)', kind: 'source.csv', content: `${HEADER}1,a,2\n2,b,4,oops\n3,c,6\n`, node: 'src', line: 3, expect: /line 3 has 4 fields/ },
  { name: 'csv: a row with a missing field (delimiter sniffed)', kind: 'source.csv', content: `${HEADER}1,a,2\n2,b\n3,c,6\n`, node: 'src', line: 3, expect: /line 3 has 2 fields/ },
  { name: 'csv: a quote never closed after the sniffed sample', kind: 'source.csv', content: `${QUOTED}30001,"x,5\n30002,"y",6\n`, node: 'src', line: 30002, expect: /line 30002 has a quoted value that is never closed: "30001,\\"x,5"$/ },
  { name: 'csv: a quote never closed after a sample without quotes', kind: 'source.csv', content: `${LONG}30001,"x,5\n30002,y,6\n`, node: 'src', line: 30002, expect: /quoted value that is never closed/ },
  { name: 'csv: a quote never closed', kind: 'source.csv', content: `${HEADER}1,"a,2\n2,b,4\n`, node: 'src', line: 2, expect: /quoted value that is never closed/ },

  // CSV: the wrong delimiter, found where a column is used.
  { name: 'csv read with ";": a filter on a column', kind: 'source.csv', content: CSV, params: { delimiter: ';' }, mid: filter('amount > 4'), node: 'mid', expect: /param "where": Binder Error: column "amount" not found, though a column's name contains it: was the file read with the wrong delimiter\?$/ },
  { name: 'csv read with ",": a derive on a column', kind: 'source.csv', content: 'id;name;amount\n1;a;2\n', params: { delimiter: ',' }, mid: derive('amount * 2'), node: 'mid', expect: /param "columns\[0\]\.expr": Binder Error: column "amount" not found, but there is a column "id;name;amount": was the file read with the wrong delimiter\?$/ },
  { name: 'csv read with tab: columns to select', kind: 'source.csv', content: CSV, params: { delimiter: '\t' }, mid: { kind: 'transform.select', params: { columns: ['id', 'amount'] } }, node: 'mid', expect: /param "columns\[0\]": column "id" not found; columns: id,name,amount$/ },
  { name: 'csv read with "|": a group-by column', kind: 'source.csv', content: CSV, params: { delimiter: '|' }, mid: { kind: 'transform.aggregate', params: { groupBy: ['name'], aggregates: [{ fn: 'count' }] } }, node: 'mid', expect: /param "groupBy\[0\]": column "name" not found; columns: id,name,amount$/ },

  // CSV: empty, header only.
  { name: 'csv: an empty file', kind: 'source.csv', content: '', node: 'src', expect: /the file is empty$/ },
  { name: 'csv: only blank lines', kind: 'source.csv', content: '\n\n\n', node: 'src', expect: /the file is empty \(only blank lines\)$/ },
  { name: 'csv: header only, then arithmetic on a column', kind: 'source.csv', content: HEADER, mid: derive('amount * 2'), node: 'mid', expect: /param "columns\[0\]\.expr": Binder Error: No function matches the given name and argument types '\*\(VARCHAR, INTEGER_LITERAL\)'\. You might need to add explicit type casts\.$/ },
  { name: 'csv: header only, then a comparison', kind: 'source.csv', content: HEADER, mid: filter('amount > 10'), node: 'mid', expect: /param "where": Binder Error: Cannot compare values of type VARCHAR and type INTEGER_LITERAL - an explicit cast is required$/ },
  { name: 'csv: header only, then a sum', kind: 'source.csv', content: HEADER, mid: { kind: 'transform.aggregate', params: { aggregates: [{ column: 'amount', fn: 'sum' }] } }, node: 'mid', expect: /Binder Error: No function matches the given name and argument types 'sum\(VARCHAR\)'/ },

  // CSV: encodings.
  { name: 'csv: Latin-1 bytes in a row, read as UTF-8', kind: 'source.csv', content: bytes(HEADER, '1,a,2\n', latin1('2,café,4\n')), node: 'src', line: 3, expect: /line 3 is not valid UTF-8; set "encoding" \("latin-1" or "utf-16"\) if the file is in another encoding$/, wasm: true },
  { name: 'csv: Latin-1 bytes in the header', kind: 'source.csv', content: bytes(latin1('id,année,amount\n'), '1,2,3\n'), node: 'src', line: 1, expect: /line 1 is not valid UTF-8/ },
  { name: 'csv: Latin-1 bytes after the sniffed sample', kind: 'source.csv', content: bytes(LONG, latin1('30001,café,5\n')), node: 'src', line: 30002, expect: /line 30002 is not valid UTF-8/ },
  { name: 'csv: a UTF-16 file read as UTF-8', kind: 'source.csv', content: bytes([0xff, 0xfe], Buffer.from(CSV, 'utf16le')), node: 'src', line: 1, expect: /line 1 is not valid UTF-8; set "encoding"/ },
  { name: 'csv: gzip bytes named .csv', kind: 'source.csv', content: bytes([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]), node: 'src', expect: /not valid UTF-8|cannot detect the CSV format/ },

  // CSV: not a CSV file, no file.
  { name: 'csv: binary garbage', kind: 'source.csv', content: Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) % 256)), node: 'src', expect: noFormat },
  { name: 'csv: a Parquet file named .csv', kind: 'source.csv', content: PARQUET, node: 'src', expect: /not valid UTF-8|cannot detect the CSV format/ },
  { name: 'csv: a field longer than 2 MB', kind: 'source.csv', content: `${HEADER}1,${'x'.repeat(2_100_000)},3\n`, node: 'src', expect: /line \d+ is 2,100,00\d bytes long; the longest line the CSV reader takes is 2,000,000 bytes$/ },
  { name: 'csv: a field longer than 2 MB after the sniffed sample', kind: 'source.csv', content: `${LONG}30001,${'x'.repeat(2_100_000)},3\n`, node: 'src', line: 30002, expect: /line 30002 is 2,100,00\d bytes long/ },
  { name: 'csv: no such file', kind: 'source.csv', node: 'src', expect: /file not found$/, wasm: true },
  { name: 'csv: no such folder', kind: 'source.csv', path: 'exports/2024/data.csv', node: 'src', expect: /file not found$/ },
  { name: 'csv: a folder where the file should be', kind: 'source.csv', folder: true, node: 'src', expect: /file not found$/, wasm: true },

  // CSV: types the data does not fit.
  { name: 'csv: "types" INTEGER for a text column', kind: 'source.csv', content: CSV, params: { types: { name: 'INTEGER' } }, node: 'src', line: 2, expect: /line 2: cannot read "n1" in column "name" as INTEGER \(the type set in "types"\)$/, wasm: true },
  { name: 'csv: "types" DATE for a number column', kind: 'source.csv', content: CSV, params: { types: { amount: 'DATE' } }, node: 'src', line: 2, expect: /line 2: cannot read "2" in column "amount" as DATE \(the type set in "types"\)$/ },
  { name: 'csv: a detected type broken after the sniffed sample', kind: 'source.csv', content: `${LONG}30001,x,n/a\n`, node: 'src', line: 30002, expect: /line 30002: cannot read "n\/a" in column "amount" as BIGINT \(the type detected from the first rows; set "types" \(e\.g\. \{"amount": "VARCHAR"\}\) to read it otherwise\)$/ },
  { name: 'csv: "types" with a misspelt type', kind: 'source.csv', content: CSV, params: { types: { amount: 'INTGER' } }, node: 'src', expect: /unknown type "INTGER" — did you mean "INTEGER"\?$/ },
  { name: 'csv: "types" with a broken type', kind: 'source.csv', content: CSV, params: { types: { amount: 'DECIMAL(10' } }, node: 'src', expect: /unknown type "DECIMAL\(10"$/ },
  { name: 'csv: "types" for a column the file does not have', kind: 'source.csv', content: CSV, params: { types: { amt: 'DOUBLE', total: 'DOUBLE' } }, node: 'src', expect: /"types" names columns "(amt|total)", "(amt|total)", which the file does not have$/ },
  { name: 'csv: "types" by name for a file without a header', kind: 'source.csv', content: rows(3), params: { header: false, types: { amount: 'DOUBLE' } }, node: 'src', expect: /"types" names column "amount", which the file does not have$/ },

  // CSV: expressions that fail on the data.
  { name: 'csv: derive casting text to a number', kind: 'source.csv', content: CSV, mid: derive('CAST(name AS INTEGER)'), node: 'mid', expect: /Conversion Error: Could not convert string 'n1' to INT32 when casting from source column name$/ },
  { name: 'csv: filter casting text to a number', kind: 'source.csv', content: CSV, mid: filter('name::INTEGER > 1'), node: 'mid', expect: /Conversion Error: Could not convert string 'n1' to INT32/ },
  { name: 'csv: filter comparing text with a number', kind: 'source.csv', content: CSV, mid: filter('name = 5'), node: 'mid', expect: /Conversion Error: Could not convert string 'n1' to INT32/ },
  { name: 'csv: derive parsing text as a date', kind: 'source.csv', content: CSV, mid: derive("strptime(name, '%Y-%m-%d')"), node: 'mid', expect: /Invalid Input Error: Could not parse string "n1" according to format specifier "%Y-%m-%d": Expected a number$/ },
  { name: 'csv: derive making an impossible date', kind: 'source.csv', content: CSV, mid: derive('make_date(2024, id + 12, 1)'), node: 'mid', expect: /Conversion Error: Date out of range: 2024-13-1/ },
  { name: 'csv: derive with a cast DuckDB does not have', kind: 'source.csv', content: CSV, mid: derive('CAST(amount AS DATE)'), node: 'mid', expect: /param "columns\[0\]\.expr": Conversion Error: Unimplemented type for cast \(BIGINT -> DATE\)|Conversion Error: Unimplemented type for cast \(BIGINT -> DATE\)/ },

  // Parquet.
  { name: 'parquet: text', kind: 'source.parquet', content: 'this is not a parquet file\n', node: 'src', expect: notParquet, wasm: true },
  { name: 'parquet: an empty file', kind: 'source.parquet', content: '', node: 'src', expect: /the file is empty$/, wasm: true },
  { name: 'parquet: the magic bytes alone', kind: 'source.parquet', content: 'PAR1', node: 'src', expect: { native: /not a Parquet file: it is too small to be one$/, wasm: notParquet.wasm }, wasm: true },
  { name: 'parquet: magic bytes around garbage', kind: 'source.parquet', content: `PAR1${'x'.repeat(100)}PAR1`, node: 'src', expect: /not a Parquet file: its footer is missing or corrupt|corrupt Parquet file/ },
  { name: 'parquet: cut in half', kind: 'source.parquet', content: PARQUET.subarray(0, PARQUET.length >> 1), node: 'src', expect: notParquet, wasm: true },
  { name: 'parquet: the last 10 bytes missing', kind: 'source.parquet', content: PARQUET.subarray(0, PARQUET.length - 10), node: 'src', expect: notParquet },
  { name: 'parquet: the first 4 bytes missing', kind: 'source.parquet', content: PARQUET.subarray(4), node: 'src', expect: /corrupt Parquet file: /, wasm: true },
  { name: 'parquet: bytes overwritten in the middle', kind: 'source.parquet', content: Buffer.from(PARQUET.map((b, i) => (i >= 10 && i < 200 ? 0xff : b))), node: 'src', expect: /corrupt Parquet file: /, wasm: true },
  { name: 'parquet: a CSV file named .parquet', kind: 'source.parquet', content: CSV, node: 'src', expect: notParquet },
  { name: 'parquet: a JSON file named .parquet', kind: 'source.parquet', content: '[{"id": 1, "name": "a", "amount": 2}, {"id": 2, "name": "b", "amount": 4}]\n', node: 'src', expect: notParquet },
  { name: 'parquet: no such file', kind: 'source.parquet', node: 'src', expect: /file not found$/, wasm: true },
  { name: 'parquet: a folder where the file should be', kind: 'source.parquet', folder: true, node: 'src', expect: /file not found$/ },
  { name: 'parquet: derive casting a text column to a number', kind: 'source.parquet', content: PARQUET, mid: derive('CAST(name AS INTEGER)'), node: 'mid', expect: /Conversion Error: Could not convert string 'n0' to INT32/ },

  // JSON.
  { name: 'json: invalid JSON on line 3 of NDJSON', kind: 'source.json', content: '{"id": 1}\n{"id": 2}\n{"id": 3,}\n', node: 'src', line: 3, expect: /data\.json:3:10: .*invalid JSON: expected a property name in double quotes \(the file does not start with "\[", so each line must hold one whole object\)$/, wasm: true },
  { name: 'json: a missing comma on line 4 of an array', kind: 'source.json', content: '[\n  {"id": 1},\n  {"id": 2}\n  {"id": 3}\n]\n', node: 'src', line: 4, expect: /data\.json:4:3: .*invalid JSON: expected "," or a closing bracket$/ },
  { name: 'json: a line of text in NDJSON', kind: 'source.json', content: '{"id": 1}\noops\n', node: 'src', line: 2, expect: /data\.json:2:1: .*invalid JSON: unexpected character/ },
  { name: 'json: an array cut off', kind: 'source.json', content: '[\n  {"id": 1},\n  {"id": 2', node: 'src', line: 3, expect: /data\.json:3:11: .*invalid JSON: expected "}"$/ },
  { name: 'json: a string never closed', kind: 'source.json', content: '[\n  {"name": "ann\n]\n', node: 'src', line: 2, expect: /data\.json:2:12: .*invalid JSON: unterminated string$/ },
  { name: 'json: an array of numbers', kind: 'source.json', content: '[1, 2, 3]\n', node: 'src', line: 1, expect: /data\.json:1:2: .*record 1 is a number; expected an object \(one row, its keys the columns\)$/ },
  { name: 'json: NDJSON of numbers', kind: 'source.json', content: '1\n2\n', node: 'src', line: 1, expect: /data\.json:1:1: .*record 1 is a number; expected an object/ },
  { name: 'json: one string', kind: 'source.json', content: '"rows"\n', node: 'src', line: 1, expect: /data\.json:1:1: .*record 1 is a string; expected an object/ },
  { name: 'json: a null among the rows', kind: 'source.json', content: '[\n  {"id": 1},\n  null\n]\n', node: 'src', line: 3, expect: /data\.json:3:3: .*record 2 is null; expected an object/ },
  { name: 'json: an array among the rows', kind: 'source.json', content: '[\n  {"id": 1},\n  [2, "b"]\n]\n', node: 'src', line: 3, expect: /data\.json:3:3: .*record 2 is an array; expected an object/ },
  { name: 'json: one object over several lines', kind: 'source.json', content: '{\n  "rows": [{"id": 1}]\n}\n', node: 'src', line: 1, expect: /data\.json:1:2: .*invalid JSON: expected "}" \(the file does not start with "\["/ },
  { name: 'json: an empty file', kind: 'source.json', content: '', node: 'src', expect: /the file is empty$/ },
  { name: 'json: only whitespace', kind: 'source.json', content: '  \n\n', node: 'src', expect: /the file is empty \(only blank lines\)$/ },
  { name: 'json: an empty array', kind: 'source.json', content: '[]\n', node: 'src', expect: /the array is empty; expected at least one object$/ },
  { name: 'json: objects without fields', kind: 'source.json', content: '[{}, {}]\n', node: 'src', expect: /no record has any field; expected objects with keys \(the columns\)$/ },
  { name: 'json: a Parquet file named .json', kind: 'source.json', content: PARQUET, node: 'src', line: 1, expect: /data\.json:1:1: .*(invalid JSON: unexpected character|not valid UTF-8)/ },
  { name: 'json: Latin-1 bytes', kind: 'source.json', content: bytes('[\n  {"name": "ann"},\n', latin1('  {"name": "zoë"}\n'), ']\n'), node: 'src', line: 3, expect: /not valid UTF-8/, wasm: true },
  { name: 'json: no such file', kind: 'source.json', node: 'src', expect: /file not found$/, wasm: true },
  { name: 'json: a folder where the file should be', kind: 'source.json', folder: true, node: 'src', expect: /file not found$/ },
  { name: 'json: derive casting mixed values', kind: 'source.json', content: '[{"code": "1"}, {"code": "x"}]\n', mid: derive('CAST(code AS INTEGER)'), node: 'mid', expect: /Conversion Error: Could not convert string 'x' to INT32/ },
];

// ---- running them -----------------------------------------------------------------------

const ext = { 'source.csv': 'csv', 'source.parquet': 'parquet', 'source.json': 'json' } as const;

interface Run {
  r: CliResult;
  dir: string;
  file: string;
}

/** One CLI run per case and engine, shared by the tests that look at it. */
const runs = new Map<string, Promise<Run>>();
function runCase(c: DataCase, engine: EngineKind): Promise<Run> {
  const key = `${engine}\u0000${c.name}`;
  if (!runs.has(key)) runs.set(key, start(c, engine));
  return runs.get(key)!;
}

/** Case folders, removed at the end (some hold files of a few MB). */
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function start(c: DataCase, engine: EngineKind): Promise<Run> {
  const dir = tempDir('kanvas-bad-data-');
  made.push(dir);
  const rel = c.path ?? `data.${ext[c.kind]}`;
  const file = path.join(dir, rel);
  if (c.content !== undefined) writeFileSync(file, c.content);
  if (c.folder) mkdirSync(file);
  const mid = c.mid ?? filter('true');
  const doc = {
    format: 'kanvas.pipeline',
    version: 1,
    name: 'bad data',
    nodes: [
      { id: 'src', kind: c.kind, params: { path: rel, ...c.params } },
      { id: 'mid', ...mid },
      { id: 'out', kind: 'sink.csv', params: { path: 'result.csv' } },
    ],
    edges: [
      { from: 'src', to: 'mid' },
      { from: 'mid', to: 'out' },
    ],
    layout: {},
  };
  writeFileSync(path.join(dir, 'p.kanvas.json'), JSON.stringify(doc, null, 2));
  const r = await runCli(['run', 'p.kanvas.json', '--out', 'out', '--engine', engine], { cwd: dir });
  return { r, dir, file };
}

/** Sink output or temp files anywhere under the case's folder (the out dir, the cache). */
function leftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /(^|\/)result\.csv$|\.tmp-/.test(f));
}

function pattern(c: DataCase, engine: EngineKind): RegExp {
  const p = c.expect instanceof RegExp ? c.expect : c.expect[engine];
  if (!p) throw new Error(`no expectation for ${engine}`);
  return p;
}

/** It fails, says what is wrong, cleanly, writing nothing. */
function checkFailsCleanly({ r, dir }: Run, c: DataCase, engine: EngineKind): string {
  expect(r.code, r.stderr).toBe(1);
  const errors = errorLines(r.stderr);
  const hit = errors.find((l) => pattern(c, engine).test(l));
  expect(hit, `no error line matches ${pattern(c, engine)}:\n${r.stderr}`).toBeDefined();
  for (const l of errors) expect(l.length, l.slice(0, 300)).toBeLessThan(400);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
  expect(r.stdout).toMatch(/\nbad data: error in \d+ ms \(/);
  expect(leftovers(dir)).toEqual([]);
  return hit!;
}

/** Everything: also the node, the file and the line that the error names. */
function checkNamesWhere(run: Run, c: DataCase, engine: EngineKind): void {
  const hit = checkFailsCleanly(run, c, engine);
  expect(hit).toContain(`node "${c.node}"`);
  if (c.node === 'src') {
    expect(hit.startsWith(`${run.file}:`), hit).toBe(true);
    expect(hit).toContain('param "path"');
  }
  if (c.line !== undefined) expect(hit).toMatch(new RegExp(`^${run.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${c.line}:\\d+: |line ${c.line}\\b`));
}

describe.each(['native', 'wasm'] as const)('bad data files (%s)', (engine) => {
  const mine = cases.filter((c) => engine === 'native' || c.wasm);

  it('the same pipeline runs on good files of each kind', async () => {
    const dir = tempDir('kanvas-good-data-');
    made.push(dir);
    writeFileSync(path.join(dir, 'data.csv'), CSV);
    writeFileSync(path.join(dir, 'data.parquet'), PARQUET);
    writeFileSync(path.join(dir, 'data.json'), '[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]\n');
    const kinds = Object.entries(ext).map(([kind, e]) => ({ kind, e }));
    const doc = {
      format: 'kanvas.pipeline',
      version: 1,
      name: 'good data',
      nodes: kinds.flatMap(({ kind, e }) => [
        { id: `src_${e}`, kind, params: { path: `data.${e}` } },
        { id: `mid_${e}`, ...filter('true') },
        { id: `out_${e}`, kind: 'sink.csv', params: { path: `${e}.csv` } },
      ]),
      edges: kinds.flatMap(({ e }) => [
        { from: `src_${e}`, to: `mid_${e}` },
        { from: `mid_${e}`, to: `out_${e}` },
      ]),
      layout: {},
    };
    writeFileSync(path.join(dir, 'p.kanvas.json'), JSON.stringify(doc));
    const r = await runCli(['run', 'p.kanvas.json', '--out', 'out', '--engine', engine], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = (e: string) => readFileSync(path.join(dir, 'out', `${e}.csv`), 'utf8').trimEnd().split('\n').length;
    expect([lines('csv'), lines('parquet'), lines('json')]).toEqual([6, 11, 3]);
  });

  it('never drops the rows above a ragged tail by taking them for a preamble', async () => {
    // Before `skip = 0`, DuckDB's sniffer kept only the last two lines here, the first as header.
    const content = `${HEADER}${rows(20)}21,u,42,x\n22,v,44,y\n`;
    const { r, dir } = await start({ name: 'tail', kind: 'source.csv', content, node: 'src', expect: /./ }, engine);
    if (r.code === 0) {
      const written = readFileSync(path.join(dir, 'out', 'result.csv'), 'utf8').trimEnd().split('\n');
      expect(written).toHaveLength(23);
    } else {
      expect(r.code).toBe(1);
      expect(errorLines(r.stderr).join('\n')).toContain('node "src"');
    }
  });

  if (engine === 'native') {
    it('the JSON parser, given bytes, names the line of bytes that are not UTF-8', () => {
      const file = '/data/people.json';
      const content = bytes('[\n  {"name": "ann"},\n', latin1('  {"name": "zoë"}\n'), ']\n');
      let error: unknown;
      try {
        parseJsonRows(content, file);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PipelineError);
      expect((error as PipelineError).problems).toEqual([{ code: 'data', file, line: 3, message: 'not valid UTF-8 (a JSON file must be UTF-8 text)' }]);
      expect(parseJsonRows(Buffer.from('[{"name": "zoë"}]'), file).rows).toEqual([['zoë']]);
    });

    it('has at least 50 of them, at least 15 on both engines', () => {
      expect(cases.length).toBeGreaterThanOrEqual(50);
      expect(cases.filter((c) => c.wasm).length).toBeGreaterThanOrEqual(15);
    });
  }

  for (const c of mine) {
    it(`${c.name}`, async () => checkNamesWhere(await runCase(c, engine), c, engine));
  }
});
