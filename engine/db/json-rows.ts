import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { PipelineError } from '../errors.ts';
import type { JsRows, Primitive } from './database.ts';

/**
 * Parses a JSON source: an array of objects, or newline-delimited objects (NDJSON).
 * Both adapters load JSON through this one parser, so they infer the same types:
 * all-boolean → BOOLEAN, all-integer → BIGINT, numeric → DOUBLE, anything else → VARCHAR
 * (nested objects and arrays become their JSON text). A missing key is NULL.
 */
export function parseJsonRows(text: string, file: string): JsRows {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  if (trimmed === '') throw dataError(file, 'the file is empty; expected an array of objects or one object per line');
  const records = trimmed.startsWith('[') ? parseArray(body, file) : parseLines(body, file);
  return inferColumns(records, file);
}

function parseArray(text: string, file: string): { value: unknown; line: number }[] {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length) throw syntaxError(text, errors[0]!, file);
  if (!Array.isArray(value)) throw dataError(file, 'expected an array of objects');
  return value.map((v) => ({ value: v, line: 0 }));
}

function parseLines(text: string, file: string): { value: unknown; line: number }[] {
  const out: { value: unknown; line: number }[] = [];
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
        message: `invalid JSON (${printParseErrorCode(e.error)}); expected one object per line or an array of objects`,
      });
    }
    out.push({ value, line: i + 1 });
  });
  return out;
}

type ColumnType = JsRows['columns'][number]['type'];

function inferColumns(records: { value: unknown; line: number }[], file: string): JsRows {
  const names: string[] = [];
  const index = new Map<string, number>();
  records.forEach(({ value, line }, i) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PipelineError({
        code: 'data',
        file,
        ...(line ? { line } : {}),
        message: `record ${i + 1} is ${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'null' : `a ${typeof value}`}; expected an object`,
      });
    }
    for (const key of Object.keys(value)) {
      if (!index.has(key)) {
        index.set(key, names.length);
        names.push(key);
      }
    }
  });
  if (names.length === 0) throw dataError(file, 'no records with fields; expected an array of objects or one object per line');
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
  const before = text.slice(0, e.offset);
  const line = before.split('\n').length;
  const column = e.offset - before.lastIndexOf('\n');
  return new PipelineError({ code: 'data', file, line, column, message: `invalid JSON: ${printParseErrorCode(e.error)}` });
}

function dataError(file: string, message: string): PipelineError {
  return new PipelineError({ code: 'data', file, message });
}
