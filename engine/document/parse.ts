import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import type { Problem } from '../errors.ts';
import { migrateDocument } from './migrations.ts';
import { CURRENT_VERSION, FORMAT, pipelineDocument, type PipelineDocument } from './schema.ts';

export type JsonPath = (string | number)[];

/** Maps a JSON path in the original text to a line and column (1-based), for error messages. */
export interface SourceMap {
  file?: string;
  locate(path: JsonPath): { line: number; column: number } | null;
}

export function sourceMap(text: string, file?: string): SourceMap {
  let tree: JsonNode | undefined;
  return {
    file,
    locate(path) {
      tree ??= parseTree(text, [], { disallowComments: true });
      if (!tree) return null;
      // Walk up to the nearest existing ancestor: a missing key is reported at its parent.
      for (let p = path; ; p = p.slice(0, -1)) {
        const node = findNodeAtLocation(tree, p);
        if (node) {
          const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
          return lineColumn(text, at);
        }
        if (p.length === 0) return null;
      }
    },
  };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export type ParseResult =
  | { ok: true; doc: PipelineDocument; map: SourceMap; migratedFrom?: number }
  | { ok: false; problems: Problem[] };

/**
 * Reads a pipeline file's text: JSON syntax (with line and column), the document envelope and
 * its schema, and forward migration of older format versions. Node kinds and params are
 * checked afterwards by `validatePipeline`, which needs the catalog.
 */
export function parsePipeline(text: string, file?: string): ParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const at = (offset: number) => ({ file, ...lineColumn(body, offset) });
  if (body.trim() === '') return { ok: false, problems: [{ code: 'json', file, message: 'the file is empty; expected a pipeline document (JSON)' }] };
  const errors: ParseError[] = [];
  const raw: unknown = parse(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length) {
    const e = errors[0]!;
    const cut = e.offset >= body.trimEnd().length ? 'the file ends before the document does: ' : '';
    return { ok: false, problems: [{ code: 'json', ...at(e.offset), message: `invalid JSON: ${cut}${describeJsonError(e)}` }] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ code: 'schema', file, message: 'expected a JSON object with "format": "kanvas.pipeline"' }] };
  }
  const json = raw as Record<string, unknown>;
  const map = sourceMap(body, file);
  if (json.format !== FORMAT) {
    return {
      ok: false,
      problems: [{ code: 'schema', file, ...(map.locate(['format']) ?? {}), message: `not a Kanvas pipeline: expected "format": "${FORMAT}"` }],
    };
  }
  const version = json.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, problems: [{ code: 'schema', file, ...(map.locate(['version']) ?? {}), message: 'expected "version" to be a positive integer' }] };
  }
  if (version > CURRENT_VERSION) {
    return {
      ok: false,
      problems: [{ code: 'format-version', file, message: `this file is format version ${version}, written by a newer Kanvas; this one reads up to version ${CURRENT_VERSION}` }],
    };
  }
  const migrated = migrateDocument(json);
  const result = pipelineDocument.safeParse(migrated);
  if (!result.success) return { ok: false, problems: zodProblems(result.error, json, map) };
  return { ok: true, doc: result.data, map, ...(version < CURRENT_VERSION ? { migratedFrom: version } : {}) };
}

/** Zod issues on the document → problems naming the node (by id when it has one) and the line. */
function zodProblems(error: z.ZodError, json: Record<string, unknown>, map: SourceMap): Problem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    // An unknown field is shown where it is written, not at the object holding it.
    const where = map.locate(issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path) ?? {};
    const problem: Problem = { code: 'schema', file: map.file, ...where, message: issueMessage(issue, path) };
    if (path[0] === 'nodes' && typeof path[1] === 'number') {
      const node = (json.nodes as unknown[])[path[1]] as { id?: unknown } | undefined;
      if (typeof node?.id === 'string' && path[2] !== 'id') {
        problem.node = node.id;
        // Say which field of the node: `node "a": version: …` (a param is named as such).
        if (path[2] === 'params' && path.length > 3) problem.param = formatPath(path.slice(3));
        else if (path.length > 2) problem.message = `${formatPath(path.slice(2))}: ${problem.message}`;
      } else problem.message = `nodes[${path[1]}]${path.length > 2 ? `.${path.slice(2).join('.')}` : ''}: ${problem.message}`;
    } else if (path[0] === 'edges' && typeof path[1] === 'number') {
      problem.edge = path[1];
      if (path.length > 2) problem.message = `${path.slice(2).join('.')}: ${problem.message}`;
    } else if (path.length) {
      problem.message = `${formatPath(path)}: ${problem.message}`;
    }
    return problem;
  });
}

function issueMessage(issue: z.core.$ZodIssue, path: JsonPath): string {
  if (issue.code === 'unrecognized_keys') return `unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `missing required field "${String(path[path.length - 1])}"`;
  }
  return zodText(issue);
}

/**
 * Zod's default messages in plainer words ("Too small: expected number to be >=1" → "expected
 * a number >= 1"). Messages a schema sets itself are kept as written.
 */
export function zodText(issue: z.core.$ZodIssue): string {
  const m = issue.message;
  if (issue.code === 'invalid_type' && issue.expected === 'int' && /^Invalid input/.test(m)) return 'expected a whole number';
  if (issue.code === 'too_small' && /^Too small/.test(m)) {
    return bound(issue.origin, issue.minimum, issue.exact ? 'exactly' : issue.inclusive ? 'at least' : 'more than', issue.inclusive ? '>=' : '>');
  }
  if (issue.code === 'too_big' && /^Too big/.test(m)) {
    return bound(issue.origin, issue.maximum, issue.exact ? 'exactly' : issue.inclusive ? 'at most' : 'less than', issue.inclusive ? '<=' : '<');
  }
  if (issue.code === 'invalid_value' && /^Invalid (option|input)/.test(m)) {
    const values = issue.values.map((v) => JSON.stringify(v));
    return values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(', ')}`;
  }
  return m.replace(/^Invalid input: /, '');
}

function bound(origin: string, n: number | bigint, how: string, op: string): string {
  if (origin === 'number' || origin === 'int' || origin === 'bigint') return `expected a number ${how === 'exactly' ? '=' : op} ${n}`;
  if (origin === 'string') return n === 1 && how === 'at least' ? 'expected a non-empty string' : `expected ${how} ${n} characters`;
  if (origin === 'array' || origin === 'set') return `expected ${how} ${n} ${n === 1 ? 'item' : 'items'}`;
  return `expected ${how} ${n}`;
}

export function formatPath(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** A JSON syntax error in words (also used for JSON data files). */
export function describeJsonError(e: ParseError): string {
  const names: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected "," or a closing bracket',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'unexpected content after the document',
    InvalidCommentToken: 'comments are not allowed',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  const code = printParseErrorCode(e.error);
  return names[code] ?? code;
}
