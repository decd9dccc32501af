/**
 * Escaping for every target. Names, paths and literals from a document are data: each goes
 * through one of these, so no text in a document (quotes, backslashes, newlines, keywords,
 * unicode) can end a literal or a comment and become code. SQL names and literals are quoted by
 * `sql/quote.ts`.
 */

/** Characters that are escaped wherever they appear: controls, line and paragraph separators, bidi controls, BOM, lone surrogates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function hexEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A Python string literal (double-quoted) whose value is exactly `text`. */
export function pyStr(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  const body = text
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replace(UNSAFE, (ch) => named[ch] ?? hexEscape(ch));
  return `"${body}"`;
}

/** A Python list of string literals. */
export function pyStrList(items: string[]): string {
  return `[${items.map(pyStr).join(', ')}]`;
}

/** A Python number literal for a JS number (finite); integers stay integers. */
export function pyNumber(value: number): string {
  if (Number.isNaN(value)) return 'float("nan")';
  if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : '-float("inf")';
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) return String(value);
  return String(value);
}

/** Text safe inside a one-line comment (`#` or `--`): no line breaks or other controls survive. */
export function commentText(text: string): string {
  return text.replace(UNSAFE, (ch) => (ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? ' ' : hexEscape(ch)));
}

export const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_',
]);

/**
 * Python identifiers for node outputs: unique, never a keyword, a builtin the code uses, or a
 * name the module defines (`pd`, `np`, `main`, helpers start with `_`).
 */
export class PyNames {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string>) {
    for (const r of reserved) this.used.add(r);
    for (const k of PYTHON_KEYWORDS) this.used.add(k);
  }

  take(wanted: string): string {
    let base = wanted.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(base)) base = `n${base}`;
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** A Spark SQL identifier: backticks, a backtick doubled. */
export function sparkIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** A Spark SQL string literal: Spark reads backslash escapes inside quotes, so both are escaped. */
export function sparkStr(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** A column reference for `F.col` / `F.expr`: backtick-quoted so dots and spaces are plain characters. */
export function sparkColRef(name: string): string {
  return pyStr(sparkIdent(name));
}
