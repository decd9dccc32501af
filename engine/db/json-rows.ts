import { parse, parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { describeJsonError, lineColumn } from '../document/parse.ts';
import { PipelineError } from '../errors.ts';
import type { JsRows, Primitive } from './database.ts';

/**
 * Parses a JSON source: an array of objects, or newline-delimited objects (NDJSON).
 * Both adapters load JSON through this one parser, so they infer the same types:
 * all-boolean → BOOLEAN, all-integer → BIGINT, numeric → DOUBLE, anything else → VARCHAR
 * (nested objects and arrays become their JSON text). A missing key is NULL.
 *
 * Given the file's bytes (rather than text decoded by the caller), bytes that are not UTF-8
 * are an error naming the line, instead of becoming U+FFFD replacement characters.
 */
export function parseJsonRows(content: string | Uint8Array, file: string): JsRows {
  const text = typeof content === 'string' ? content : decodeUtf8(content, file);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  if (trimmed === '') throw dataError(file, 'the file is empty; expected an array of objects or one object per line');
  const records = trimmed.startsWith('[') ? parseArray(body, file) : parseLines(body, file);
  return inferColumns(records, file);
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = invalidUtf8Offset(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    throw new PipelineError({ code: 'data', file, line, message: 'not valid UTF-8 (a JSON file must be UTF-8 text)' });
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const extra = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += extra + 1;
  }
  return bytes.length;
}

/** A parsed record and where it starts in the file (found only when an error needs it). */
type Record_ = { value: unknown; at: () => { line: number; column: number } };

function parseArray(text: string, file: string): Record_[] {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length) throw syntaxError(text, errors[0]!, file);
  if (!Array.isArray(value)) throw dataError(file, 'expected an array of objects');
  // Element offsets need the syntax tree, which costs memory: build it only for an error.
  let tree: JsonNode | undefined;
  const at = (i: number) => () => {
    tree ??= parseTree(text, [], { disallowComments: true });
    const offset = tree?.children?.[i]?.offset;
    return offset === undefined ? { line: 1, column: 1 } : lineColumn(text, offset);
  };
  return value.map((v, i) => ({ value: v, at: at(i) }));
}

function parseLines(text: string, file: string): Record_[] {
  const out: Record_[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const errors: ParseError[] = [];
    const value: unknown = parse(line, errors, { disallowComments: true, allowTrailingComma: false });
    if (errors.length) {
      const e = errors[0]!;
      throw new PipelineError({
        code: 'data',
        file,
        line: i + 1,
        column: e.offset + 1,
        message: `invalid JSON: ${describeJsonError(e)} (the file does not start with "[", so each line must hold one whole object)`,
      });
    }
    const where = { line: i + 1, column: line.length - line.trimStart().length + 1 };
    out.push({ value, at: () => where });
  });
  return out;
}

type ColumnType = JsRows['columns'][number]['type'];

function inferColumns(records: Record_[], file: string): JsRows {
  const names: string[] = [];
  const index = new Map<string, number>();
  records.forEach(({ value, at }, i) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PipelineError({
        code: 'data',
        file,
        ...at(),
        message: `record ${i + 1} is ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : `a ${typeof value}`}; expected an object (one row, its keys the columns)`,
      });
    }
    for (const key of Object.keys(value)) {
      if (!index.has(key)) {
        index.set(key, names.length);
        names.push(key);
      }
    }
  });
  if (records.length === 0) throw dataError(file, 'the array is empty; expected at least one object');
  if (names.length === 0) throw dataError(file, 'no record has any field; expected objects with keys (the columns)');
  const types: ColumnType[] = names.map((name) => columnType(records.map((r) => (r.value as Record<string, unknown>)[name])));
  const rows = records.map(({ value }) =>
    names.map((name, c) => toPrimitive((value as Record<string, unknown>)[name], types[c]!)),
  );
  return { columns: names.map((name, c) => ({ name, type: types[c]! })), rows };
}

function columnType(values: unknown[]): ColumnType {
  let bool = 0;
  let int = 0;
  let num = 0;
  let other = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'boolean') bool++;
    else if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) int++;
      else num++;
    } else other++;
  }
  if (other || (bool && int + num)) return 'VARCHAR';
  if (bool) return 'BOOLEAN';
  if (num) return 'DOUBLE';
  if (int) return 'BIGINT';
  return 'VARCHAR';
}

function toPrimitive(v: unknown, type: ColumnType): Primitive {
  if (v === null || v === undefined) return null;
  if (type === 'VARCHAR') return typeof v === 'string' ? v : JSON.stringify(v);
  return v as Primitive;
}

function syntaxError(text: string, e: ParseError, file: string): PipelineError {
  return new PipelineError({ code: 'data', file, ...lineColumn(text, e.offset), message: `invalid JSON: ${describeJsonError(e)}` });
}

function dataError(file: string, message: string): PipelineError {
  return new PipelineError({ code: 'data', file, message });
}
