/**
 * A parser for the DuckDB SQL expressions that `transform.filter` and `transform.derive` hold,
 * so the Python targets can translate them. It accepts the common expression language (literals,
 * columns, arithmetic, comparisons, AND/OR/NOT, IS [NOT] NULL, BETWEEN, IN, LIKE, CASE, CAST, `::`,
 * function calls); anything else is a `NotExportable` naming what it met, and the export leaves
 * that node out with that reason.
 */

export class NotExportable extends Error {}

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Expr =
  | { t: 'num'; text: string; int: boolean }
  | { t: 'str'; value: string }
  | { t: 'bool'; value: boolean }
  | { t: 'null' }
  | { t: 'col'; name: string; quoted: boolean }
  | { t: 'neg'; e: Expr }
  | { t: 'not'; e: Expr }
  | { t: 'bin'; op: BinaryOp; l: Expr; r: Expr }
  | { t: 'is'; e: Expr; not: boolean; what: 'null' | 'true' | 'false' }
  | { t: 'distinct'; l: Expr; r: Expr; not: boolean }
  | { t: 'between'; e: Expr; lo: Expr; hi: Expr; not: boolean }
  | { t: 'in'; e: Expr; list: Expr[]; not: boolean }
  | { t: 'like'; e: Expr; pattern: Expr; not: boolean; ci: boolean; escape: string | null }
  | { t: 'case'; whens: [Expr, Expr][]; else: Expr | null }
  | { t: 'cast'; e: Expr; type: string }
  | { t: 'call'; name: string; args: Expr[] };

type Token =
  | { k: 'num'; text: string }
  | { k: 'str'; value: string }
  | { k: 'word'; text: string }
  | { k: 'qid'; text: string }
  | { k: 'op'; text: string }
  | { k: 'end' };

const OPERATORS = ['::', '<=', '>=', '<>', '!=', '==', '||', '//', '+', '-', '*', '/', '%', '=', '<', '>', '(', ')', ',', '.', '[', ']', '^', '&', '|', '~', '!', ':', '{', '}', '@', '#', '$', '?'];

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new NotExportable('unterminated comment');
      i = end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) throw new NotExportable(c === "'" ? 'unterminated string' : 'unterminated quoted name');
        if (text[j] === c) {
          if (text[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      out.push(c === "'" ? { k: 'str', value } : { k: 'qid', text: value });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      out.push({ k: 'num', text: m[0].replaceAll('_', '') });
      i += m[0].length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i))!;
      out.push({ k: 'word', text: m[0] });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw new NotExportable(`unexpected character "${c}"`);
      out.push({ k: 'op', text: op });
      i += op.length;
    }
  }
  out.push({ k: 'end' });
  return out;
}

const RESERVED = new Set(['and', 'or', 'not', 'is', 'null', 'true', 'false', 'between', 'in', 'like', 'ilike', 'case', 'when', 'then', 'else', 'end', 'cast', 'as', 'distinct', 'from', 'escape', 'select', 'where', 'over', 'filter', 'similar', 'glob', 'exists', 'interval', 'try_cast']);

/** Parses one expression; throws `NotExportable` for syntax outside the supported language. */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isWord = (w: string, t: Token = peek()) => t.k === 'word' && t.text.toLowerCase() === w;
  const isOp = (o: string, t: Token = peek()) => t.k === 'op' && t.text === o;
  const eatWord = (w: string) => (isWord(w) ? (pos++, true) : false);
  const eatOp = (o: string) => (isOp(o) ? (pos++, true) : false);
  const describe = (t: Token) => (t.k === 'end' ? 'the end of the expression' : t.k === 'str' ? `'${t.value}'` : t.k === 'num' ? t.text : `"${t.text}"`);
  const expectWord = (w: string) => {
    if (!eatWord(w)) throw new NotExportable(`expected ${w.toUpperCase()} but found ${describe(peek())}`);
  };
  const expectOp = (o: string) => {
    if (!eatOp(o)) throw new NotExportable(`expected "${o}" but found ${describe(peek())}`);
  };

  const or = (): Expr => {
    let l = and();
    while (eatWord('or')) l = { t: 'bin', op: 'or', l, r: and() };
    return l;
  };
  const and = (): Expr => {
    let l = not();
    while (eatWord('and')) l = { t: 'bin', op: 'and', l, r: not() };
    return l;
  };
  const not = (): Expr => (eatWord('not') ? { t: 'not', e: not() } : is());
  const is = (): Expr => {
    let e = comparison();
    while (isWord('is')) {
      pos++;
      const negated = eatWord('not');
      if (eatWord('null')) e = { t: 'is', e, not: negated, what: 'null' };
      else if (eatWord('true')) e = { t: 'is', e, not: negated, what: 'true' };
      else if (eatWord('false')) e = { t: 'is', e, not: negated, what: 'false' };
      else if (eatWord('distinct')) {
        expectWord('from');
        e = { t: 'distinct', l: e, r: comparison(), not: negated };
      } else throw new NotExportable(`unsupported IS ${negated ? 'NOT ' : ''}${describe(peek())}`);
    }
    return e;
  };
  const comparisonOps: Record<string, BinaryOp> = { '=': '=', '==': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
  const comparison = (): Expr => {
    let l = predicate();
    for (;;) {
      const t = peek();
      const op = t.k === 'op' ? comparisonOps[t.text] : undefined;
      if (!op) return l;
      pos++;
      l = { t: 'bin', op, l, r: predicate() };
    }
  };
  const predicate = (): Expr => {
    const e = concat();
    const save = pos;
    const negated = eatWord('not');
    if (eatWord('between')) {
      const lo = concat();
      expectWord('and');
      return { t: 'between', e, lo, hi: concat(), not: negated };
    }
    if (eatWord('in')) {
      expectOp('(');
      if (isWord('select')) throw new NotExportable('a subquery (IN (SELECT …))');
      const list = [or()];
      while (eatOp(',')) list.push(or());
      expectOp(')');
      return { t: 'in', e, list, not: negated };
    }
    if (isWord('like') || isWord('ilike')) {
      const ci = next().k === 'word' && isWord('ilike', tokens[pos - 1]);
      const pattern = concat();
      let escape: string | null = null;
      if (eatWord('escape')) {
        const t = next();
        if (t.k !== 'str' || [...t.value].length !== 1) throw new NotExportable('ESCAPE needs a one-character string');
        escape = t.value;
      }
      return { t: 'like', e, pattern, not: negated, ci, escape };
    }
    if (negated) pos = save;
    return e;
  };
  const concat = (): Expr => {
    let l = additive();
    while (eatOp('||')) l = { t: 'bin', op: '||', l, r: additive() };
    return l;
  };
  const additive = (): Expr => {
    let l = multiplicative();
    for (;;) {
      if (eatOp('+')) l = { t: 'bin', op: '+', l, r: multiplicative() };
      else if (eatOp('-')) l = { t: 'bin', op: '-', l, r: multiplicative() };
      else return l;
    }
  };
  const multiplicative = (): Expr => {
    let l = unary();
    for (;;) {
      const t = peek();
      if (t.k === 'op' && (t.text === '*' || t.text === '/' || t.text === '//' || t.text === '%')) {
        pos++;
        l = { t: 'bin', op: t.text as BinaryOp, l, r: unary() };
      } else return l;
    }
  };
  const unary = (): Expr => {
    if (eatOp('-')) {
      const e = unary();
      return e.t === 'num' ? { ...e, text: e.text.startsWith('-') ? e.text.slice(1) : `-${e.text}` } : { t: 'neg', e };
    }
    if (eatOp('+')) return unary();
    return postfix();
  };
  const postfix = (): Expr => {
    let e = primary();
    while (eatOp('::')) e = { t: 'cast', e, type: typeName() };
    if (isOp('[') || isOp('.')) throw new NotExportable(`"${peek().k === 'op' ? (peek() as { text: string }).text : ''}" (struct, list or qualified access)`);
    return e;
  };
  const typeName = (): string => {
    const t = next();
    if (t.k !== 'word') throw new NotExportable(`expected a type name but found ${describe(t)}`);
    let name = t.text.toUpperCase();
    while (peek().k === 'word' && ['PRECISION', 'VARYING', 'WITH', 'WITHOUT', 'TIME', 'ZONE'].includes((peek() as { text: string }).text.toUpperCase())) {
      name += ` ${(next() as { text: string }).text.toUpperCase()}`;
    }
    if (eatOp('(')) {
      const parts: string[] = [];
      do {
        const n = next();
        if (n.k !== 'num') throw new NotExportable('expected a number in the type’s parameters');
        parts.push(n.text);
      } while (eatOp(','));
      expectOp(')');
      name += `(${parts.join(',')})`;
    }
    if (isOp('[')) throw new NotExportable('list types');
    return name;
  };
  const primary = (): Expr => {
    const t = next();
    if (t.k === 'num') return { t: 'num', text: t.text, int: /^\d+$/.test(t.text) };
    if (t.k === 'str') return { t: 'str', value: t.value };
    if (t.k === 'qid') {
      if (isOp('(')) throw new NotExportable(`a call of a quoted function name "${t.text}"`);
      return { t: 'col', name: t.text, quoted: true };
    }
    if (t.k === 'op' && t.text === '(') {
      if (isWord('select')) throw new NotExportable('a subquery');
      const e = or();
      expectOp(')');
      return e;
    }
    if (t.k === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'null') return { t: 'null' };
      if (w === 'true' || w === 'false') return { t: 'bool', value: w === 'true' };
      if (w === 'case') return caseExpr();
      const literal = peek();
      if ((w === 'timestamp' || w === 'date') && literal.k === 'str') {
        pos++;
        return { t: 'cast', e: { t: 'str', value: literal.value }, type: w.toUpperCase() };
      }
      if (w === 'cast') {
        expectOp('(');
        const e = or();
        expectWord('as');
        const type = typeName();
        expectOp(')');
        return { t: 'cast', e, type };
      }
      if (isOp('(')) {
        pos++;
        if (isWord('distinct') || isOp('*')) throw new NotExportable(`an aggregate call ${t.text}(${describe(peek())} …)`);
        const args: Expr[] = [];
        if (!eatOp(')')) {
          do args.push(or());
          while (eatOp(','));
          expectOp(')');
        }
        if (isWord('over') || isWord('filter')) throw new NotExportable(`a window or filtered aggregate (${t.text}(…) ${(peek() as { text: string }).text.toUpperCase()})`);
        return { t: 'call', name: w, args };
      }
      if (RESERVED.has(w)) throw new NotExportable(`unexpected ${w.toUpperCase()}`);
      return { t: 'col', name: t.text, quoted: false };
    }
    throw new NotExportable(`unexpected ${describe(t)}`);
  };
  const caseExpr = (): Expr => {
    const operand = isWord('when') ? null : or();
    const whens: [Expr, Expr][] = [];
    while (eatWord('when')) {
      const cond = or();
      expectWord('then');
      const value = or();
      whens.push([operand ? { t: 'bin', op: '=', l: operand, r: cond } : cond, value]);
    }
    if (whens.length === 0) throw new NotExportable('CASE without WHEN');
    const otherwise = eatWord('else') ? or() : null;
    expectWord('end');
    return { t: 'case', whens, else: otherwise };
  };

  const e = or();
  if (peek().k !== 'end') throw new NotExportable(`unexpected ${describe(peek())} after the expression`);
  return e;
}

/** Value types of translated expressions, from DuckDB column types. */
export type ValueType = 'int' | 'float' | 'decimal' | 'str' | 'bool' | 'date' | 'ts' | 'null' | 'other';

export function valueType(duckdbType: string): ValueType {
  const t = duckdbType.trim().toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[1248])$/.test(t)) return 'int';
  if (/^(DOUBLE|FLOAT|REAL|FLOAT[48])$/.test(t)) return 'float';
  if (/^(DECIMAL|NUMERIC)(\(.*\))?$/.test(t)) return 'decimal';
  if (/^(VARCHAR|TEXT|STRING)(\(.*\))?$/.test(t)) return 'str';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'bool';
  if (t === 'DATE') return 'date';
  if (/^TIMESTAMP(_S|_MS|_NS)?$/.test(t) || t === 'DATETIME') return 'ts';
  return 'other';
}

export const isNumeric = (t: ValueType) => t === 'int' || t === 'float' || t === 'decimal' || t === 'null';

/** Resolves a column reference as DuckDB does: exact name first, else the one name equal ignoring case. */
export function resolveColumn(name: string, columns: { name: string }[]): string {
  if (columns.some((c) => c.name === name)) return name;
  const matches = columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
  if (matches.length === 1) return matches[0]!.name;
  throw new NotExportable(`column "${name}" is not among the input's columns`);
}

/** The type of a CAST target, by family. */
export function castTarget(type: string): ValueType {
  const t = type.toUpperCase();
  if (/^DECIMAL|^NUMERIC/.test(t)) return 'decimal';
  if (/^(DOUBLE|FLOAT|REAL|DOUBLE PRECISION|FLOAT[48])$/.test(t)) return 'float';
  if (/^(VARCHAR|TEXT|STRING|CHAR|BPCHAR|VARCHAR\(\d+\)|CHARACTER VARYING(\(\d+\))?)$/.test(t)) return 'str';
  return valueType(t);
}

/** Digits after the point of a DECIMAL(p,s) type; 3 for plain DECIMAL, as DuckDB. */
export function decimalScale(type: string): number {
  const m = /\(\s*\d+\s*,\s*(\d+)\s*\)/.exec(type);
  return m ? Number(m[1]) : 3;
}

/** A DuckDB type name for a value type (for columns a derive adds). */
export function duckdbTypeOf(t: ValueType): string {
  return { int: 'BIGINT', float: 'DOUBLE', decimal: 'DOUBLE', str: 'VARCHAR', bool: 'BOOLEAN', date: 'DATE', ts: 'TIMESTAMP', null: 'INTEGER', other: 'BLOB' }[t];
}
