/**
 * DuckDB expressions → Spark SQL expression text (for `F.expr`), with the session set to
 * non-ANSI mode and UTC as the PySpark module does: there, division and `%` by zero are NULL,
 * as in DuckDB. Names are backtick-quoted, strings escaped for Spark's lexer.
 */
import type { ColumnInfo } from '../db/database.ts';
import { sparkIdent, sparkStr } from './escape.ts';
import { numericResult, pyFloatText, unify } from './pandas-expr.ts';
import { castTarget, decimalScale, NotExportable, parseExpression, resolveColumn, valueType, type Expr, type ValueType } from './sql-expr.ts';
import type { PyExpr } from './types.ts';

interface V {
  code: string;
  type: ValueType;
}

/** The Spark type that holds a DuckDB type. */
export function sparkType(duckdbType: string): string {
  const t = duckdbType.trim().toUpperCase();
  const simple: Record<string, string> = {
    TINYINT: 'ByteType()', SMALLINT: 'ShortType()', INTEGER: 'IntegerType()', BIGINT: 'LongType()', HUGEINT: 'DecimalType(38, 0)',
    UTINYINT: 'ShortType()', USMALLINT: 'IntegerType()', UINTEGER: 'LongType()', UBIGINT: 'DecimalType(20, 0)',
    FLOAT: 'FloatType()', DOUBLE: 'DoubleType()', VARCHAR: 'StringType()', BOOLEAN: 'BooleanType()', DATE: 'DateType()',
    TIMESTAMP: 'TimestampNTZType()', 'TIMESTAMP WITH TIME ZONE': 'TimestampType()', BLOB: 'BinaryType()',
  };
  if (simple[t]) return simple[t];
  const dec = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return `DecimalType(${dec[1]}, ${dec[2]})`;
  return 'StringType()';
}

function sparkSqlType(type: string): string {
  const to = castTarget(type);
  const t = type.toUpperCase();
  if (to === 'int') return t === 'INTEGER' || t === 'INT' || t === 'INT4' ? 'INT' : t === 'SMALLINT' ? 'SMALLINT' : t === 'TINYINT' ? 'TINYINT' : 'BIGINT';
  if (to === 'float') return t === 'FLOAT' || t === 'REAL' ? 'FLOAT' : 'DOUBLE';
  if (to === 'decimal') return /\(/.test(t) ? t.replace(/\s+/g, '') : 'DECIMAL(18,3)';
  if (to === 'str') return 'STRING';
  if (to === 'bool') return 'BOOLEAN';
  if (to === 'date') return 'DATE';
  if (to === 'ts') return 'TIMESTAMP_NTZ';
  throw new NotExportable(`CAST to ${type}`);
}

export function translateSpark(sql: string, columns: ColumnInfo[]): PyExpr {
  const ast = parseExpression(sql);
  const types = new Map(columns.map((c) => [c.name, valueType(c.type)]));
  const strLiteral = (e: Expr, what: string): string => {
    if (e.t !== 'str') throw new NotExportable(`${what} must be a string literal`);
    return e.value;
  };
  const intLiteral = (e: Expr, what: string): number => {
    if (e.t !== 'num' || !/^-?\d+$/.test(e.text)) throw new NotExportable(`${what} must be an integer literal`);
    return Number(e.text);
  };
  const tr = (e: Expr): V => {
    switch (e.t) {
      case 'num':
        return /^-?\d+$/.test(e.text) ? { code: String(BigInt(e.text)), type: 'int' } : { code: /[eE]/.test(e.text) ? `${pyFloatText(e.text)}D` : e.text.replace(/^(-?)\./, '$10.'), type: /[eE]/.test(e.text) ? 'float' : 'decimal' };
      case 'str':
        return { code: sparkStr(e.value), type: 'str' };
      case 'bool':
        return { code: e.value ? 'TRUE' : 'FALSE', type: 'bool' };
      case 'null':
        return { code: 'NULL', type: 'null' };
      case 'col': {
        const name = resolveColumn(e.name, columns);
        return { code: sparkIdent(name), type: types.get(name) ?? 'other' };
      }
      case 'neg': {
        const v = tr(e.e);
        return { code: `(-${v.code})`, type: v.type };
      }
      case 'not':
        return { code: `(NOT ${tr(e.e).code})`, type: 'bool' };
      case 'bin': {
        const l = tr(e.l);
        const r = tr(e.r);
        switch (e.op) {
          case '+':
          case '-':
          case '*':
            return { code: `(${l.code} ${e.op} ${r.code})`, type: numericResult(l.type, r.type) };
          case '/':
            return { code: `(${l.code} / ${r.code})`, type: 'float' };
          case '//':
            if (numericResult(l.type, r.type) === 'int') return { code: `(${l.code} DIV ${r.code})`, type: 'int' };
            return { code: `(${l.code} / ${r.code})`, type: 'float' };
          case '%':
            return { code: `(${l.code} % ${r.code})`, type: numericResult(l.type, r.type) };
          case '||':
            if (![l, r].every((v) => v.type === 'str' || v.type === 'null' || v.type === 'int')) {
              throw new NotExportable('"||" with a non-text operand (number and date text differs between DuckDB and Spark)');
            }
            return { code: `(${l.code} || ${r.code})`, type: 'str' };
          case 'and':
          case 'or':
            return { code: `(${l.code} ${e.op.toUpperCase()} ${r.code})`, type: 'bool' };
          default:
            return { code: `(${l.code} ${e.op} ${r.code})`, type: 'bool' };
        }
      }
      case 'is': {
        const v = tr(e.e);
        return { code: `(${v.code} IS ${e.not ? 'NOT ' : ''}${e.what.toUpperCase()})`, type: 'bool' };
      }
      case 'distinct':
        return { code: `(${tr(e.l).code} IS ${e.not ? 'NOT ' : ''}DISTINCT FROM ${tr(e.r).code})`, type: 'bool' };
      case 'between':
        return { code: `(${tr(e.e).code} ${e.not ? 'NOT ' : ''}BETWEEN ${tr(e.lo).code} AND ${tr(e.hi).code})`, type: 'bool' };
      case 'in':
        return { code: `(${tr(e.e).code} ${e.not ? 'NOT ' : ''}IN (${e.list.map((x) => tr(x).code).join(', ')}))`, type: 'bool' };
      case 'like': {
        const pattern = strLiteral(e.pattern, 'a LIKE pattern');
        // Spark's LIKE escapes with a backslash by default; DuckDB's has no escape unless given.
        const escape = e.escape ?? '\\';
        const text = e.escape === null ? pattern.replaceAll('\\', '\\\\') : pattern;
        return { code: `(${tr(e.e).code} ${e.not ? 'NOT ' : ''}${e.ci ? 'ILIKE' : 'LIKE'} ${sparkStr(text)} ESCAPE ${sparkStr(escape)})`, type: 'bool' };
      }
      case 'case': {
        const whens = e.whens.map(([c, v]) => [tr(c), tr(v)] as const);
        const otherwise = e.else ? tr(e.else) : null;
        const type = unify([...whens.map(([, v]) => v.type), otherwise?.type ?? 'null'], 'CASE');
        return { code: `CASE ${whens.map(([c, v]) => `WHEN ${c.code} THEN ${v.code}`).join(' ')}${otherwise ? ` ELSE ${otherwise.code}` : ''} END`, type };
      }
      case 'cast': {
        const v = tr(e.e);
        const to = castTarget(e.type);
        if (to === 'other') throw new NotExportable(`CAST to ${e.type}`);
        if (to === 'str' && (v.type === 'float' || v.type === 'decimal' || v.type === 'ts')) throw new NotExportable(`CAST of a ${v.type} value to text (DuckDB and Spark write numbers and times differently)`);
        // DuckDB rounds a DOUBLE to the nearest integer (ties to even), a DECIMAL half away from zero; Spark truncates.
        const inner = to === 'int' && v.type === 'float' ? `bround(${v.code}, 0)` : to === 'int' && v.type === 'decimal' ? `round(${v.code}, 0)` : v.code;
        const decimal = to === 'decimal' ? `DECIMAL(${/\((\d+)/.exec(e.type)?.[1] ?? '18'},${decimalScale(e.type)})` : sparkSqlType(e.type);
        return { code: `CAST(${inner} AS ${decimal})`, type: to };
      }
      case 'call':
        return call(e.name.toLowerCase(), e.args);
    }
  };
  const call = (fn: string, args: Expr[]): V => {
    const vs = () => args.map(tr);
    const arity = (min: number, max = min) => {
      if (args.length < min || args.length > max) throw new NotExportable(`${fn}() with ${args.length} arguments`);
    };
    const simple = (name: string, type: ValueType | ((v: V[]) => ValueType)) => {
      const v = vs();
      return { code: `${name}(${v.map((x) => x.code).join(', ')})`, type: typeof type === 'function' ? type(v) : type };
    };
    switch (fn) {
      case 'coalesce':
      case 'ifnull':
        return simple('coalesce', (v) => unify(v.map((x) => x.type), fn));
      case 'nullif':
        arity(2);
        return simple('nullif', (v) => v[0]!.type);
      case 'round': {
        arity(1, 2);
        const x = tr(args[0]!);
        const digits = args[1] ? intLiteral(args[1], 'round()’s digits') : 0;
        return { code: `round(${x.code}, ${digits})`, type: x.type };
      }
      case 'abs':
        arity(1);
        return simple('abs', (v) => v[0]!.type);
      case 'floor':
      case 'ceil':
      case 'ceiling': {
        arity(1);
        const x = tr(args[0]!);
        if (x.type === 'int') return x;
        return { code: `CAST(${fn === 'floor' ? 'floor' : 'ceil'}(${x.code}) AS DOUBLE)`, type: 'float' };
      }
      case 'sign':
        arity(1);
        return { code: `CAST(signum(${tr(args[0]!).code}) AS BIGINT)`, type: 'int' };
      case 'sqrt':
      case 'exp':
      case 'ln':
      case 'log10':
        arity(1);
        return simple(fn, 'float');
      case 'log':
        arity(1);
        return simple('log10', 'float');
      case 'pow':
      case 'power':
        arity(2);
        return simple('power', 'float');
      case 'greatest':
      case 'least':
        return simple(fn, (v) => v.map((x) => x.type).reduce(numericResult));
      case 'lower':
      case 'lcase':
        arity(1);
        return simple('lower', 'str');
      case 'upper':
      case 'ucase':
        arity(1);
        return simple('upper', 'str');
      case 'length':
      case 'len':
      case 'char_length':
      case 'character_length':
        arity(1);
        return simple('char_length', 'int');
      case 'trim':
      case 'ltrim':
      case 'rtrim':
        arity(1);
        return simple(fn, 'str');
      case 'concat':
        return { code: `concat_ws('', ${vs().map((x) => x.code).join(', ')})`, type: 'str' };
      case 'substr':
      case 'substring': {
        arity(2, 3);
        const start = intLiteral(args[1]!, `${fn}()’s start`);
        if (start === 0) throw new NotExportable(`${fn}() with a start of 0`);
        return simple('substring', 'str');
      }
      case 'replace':
        arity(3);
        return simple('replace', 'str');
      case 'contains':
        arity(2);
        return simple('contains', 'bool');
      case 'starts_with':
      case 'prefix':
        arity(2);
        return simple('startswith', 'bool');
      case 'ends_with':
      case 'suffix':
        arity(2);
        return simple('endswith', 'bool');
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
      case 'dayofmonth':
        arity(1);
        return { code: `CAST(${fn === 'dayofmonth' ? 'day' : fn}(${tr(args[0]!).code}) AS BIGINT)`, type: 'int' };
      case 'dayofweek':
        arity(1);
        return { code: `CAST(dayofweek(${tr(args[0]!).code}) - 1 AS BIGINT)`, type: 'int' };
      case 'date_diff':
      case 'datediff': {
        arity(3);
        const unit = strLiteral(args[0]!, `${fn}()’s unit`).toLowerCase().replace(/s$/, '');
        const [a, b] = [tr(args[1]!).code, tr(args[2]!).code];
        const seconds = (x: string) => `unix_timestamp(CAST(${x} AS TIMESTAMP))`;
        const per: Record<string, number> = { second: 1, minute: 60, hour: 3600 };
        if (per[unit]) return { code: per[unit] === 1 ? `(${seconds(b)} - ${seconds(a)})` : `(floor(${seconds(b)} / ${per[unit]}) - floor(${seconds(a)} / ${per[unit]}))`, type: 'int' };
        if (unit === 'day') return { code: `datediff(CAST(${b} AS DATE), CAST(${a} AS DATE))`, type: 'int' };
        if (unit === 'month') return { code: `((year(${b}) - year(${a})) * 12 + month(${b}) - month(${a}))`, type: 'int' };
        if (unit === 'year') return { code: `(year(${b}) - year(${a}))`, type: 'int' };
        throw new NotExportable(`${fn}() in ${unit}s`);
      }
      case 'epoch':
        arity(1);
        return { code: `(unix_micros(CAST(${tr(args[0]!).code} AS TIMESTAMP)) / 1000000.0D)`, type: 'float' };
      default:
        throw new NotExportable(`function ${fn}() has no Spark translation here`);
    }
  };
  const v = tr(ast);
  if (v.type === 'other' && ast.t !== 'col') throw new NotExportable('an expression over a column of a type the Spark export cannot translate');
  return { code: v.code, type: v.type };
}
