/**
 * DuckDB expressions → vectorized pandas over a frame `d` whose columns have nullable dtypes
 * (Int64, Float64, string, boolean: pd.NA propagates as SQL NULL, `&`/`|` are three-valued).
 * Where pandas differs from DuckDB the translation calls a helper that does what DuckDB does
 * (division by zero is NULL, `round` is half away from zero, `//` truncates, …).
 */
import type { ColumnInfo } from '../db/database.ts';
import { pyStr } from './escape.ts';
import { castTarget, decimalScale, isNumeric, NotExportable, parseExpression, resolveColumn, valueType, type Expr, type ValueType } from './sql-expr.ts';
import type { PyExpr } from './types.ts';

interface V {
  code: string;
  type: ValueType;
  /** A Python scalar (no column involved): broadcast before use as a Series. */
  scalar: boolean;
}

export const pandasDtype = (t: ValueType): string =>
  ({ int: 'Int64', float: 'Float64', decimal: 'Float64', str: 'string', bool: 'boolean', date: 'datetime64[ns]', ts: 'datetime64[ns]', null: 'Int64', other: 'object' })[t];

/** The pandas dtype that holds a DuckDB column type as Kanvas reads it. */
export function pandasDtypeOf(duckdbType: string): string {
  return pandasDtype(valueType(duckdbType));
}

export function numericResult(a: ValueType, b: ValueType): ValueType {
  if (a === 'float' || b === 'float') return 'float';
  if (a === 'decimal' || b === 'decimal') return 'decimal';
  if (a === 'null') return b === 'null' ? 'int' : b;
  return 'int';
}

/** One type for the branches of a CASE or the arguments of coalesce, or an error. */
export function unify(types: ValueType[], what: string): ValueType {
  const known = types.filter((t) => t !== 'null');
  if (known.length === 0) return 'int';
  if (known.every(isNumeric)) return known.reduce<ValueType>((a, b) => numericResult(a, b), 'int');
  const first = known[0]!;
  if (known.every((t) => t === first || (['date', 'ts'].includes(t) && ['date', 'ts'].includes(first)))) return known.includes('ts') ? 'ts' : first;
  throw new NotExportable(`${what} mixes values of types ${[...new Set(known)].join(' and ')}`);
}

/** A Python float literal for a SQL number's text. */
export function pyFloatText(text: string): string {
  const n = Number(text);
  const s = String(n);
  return /[.eE]|Infinity|NaN/.test(s) ? s : `${s}.0`;
}

export function translatePandas(sql: string, columns: ColumnInfo[], helper: (name: string) => string): PyExpr {
  const ast = parseExpression(sql);
  const types = new Map(columns.map((c) => [c.name, valueType(c.type)]));
  const series = (v: V): string => (v.scalar ? `${helper('_column')}(d, ${v.code}, ${pyStr(pandasDtype(v.type))})` : v.code);
  const need = (v: V, ok: (t: ValueType) => boolean, what: string) => {
    if (!ok(v.type)) throw new NotExportable(`${what} of a ${v.type === 'other' ? 'column of a type pandas code cannot translate' : `${v.type} value`}`);
  };
  const numeric = (v: V, what: string) => need(v, isNumeric, what);
  const text = (v: V, what: string) => need(v, (t) => t === 'str' || t === 'null', what);
  const datetime = (v: V, what: string) => need(v, (t) => t === 'date' || t === 'ts' || t === 'null', what);
  const strLiteral = (e: Expr, what: string): string => {
    if (e.t !== 'str') throw new NotExportable(`${what} must be a string literal`);
    return e.value;
  };
  const intLiteral = (e: Expr, what: string): number => {
    if (e.t !== 'num' || !e.int && !/^-\d+$/.test(e.text)) throw new NotExportable(`${what} must be an integer literal`);
    return Number(e.text);
  };

  const tr = (e: Expr): V => {
    switch (e.t) {
      case 'num': {
        const int = /^-?\d+$/.test(e.text);
        if (int) return { code: String(BigInt(e.text)), type: 'int', scalar: true };
        return { code: pyFloatText(e.text), type: /[eE]/.test(e.text) ? 'float' : 'decimal', scalar: true };
      }
      case 'str':
        return { code: pyStr(e.value), type: 'str', scalar: true };
      case 'bool':
        return { code: e.value ? 'True' : 'False', type: 'bool', scalar: true };
      case 'null':
        return { code: 'pd.NA', type: 'null', scalar: true };
      case 'col': {
        const name = resolveColumn(e.name, columns);
        return { code: `d[${pyStr(name)}]`, type: types.get(name) ?? 'other', scalar: false };
      }
      case 'neg': {
        const v = tr(e.e);
        numeric(v, 'unary minus');
        return { code: `(-${v.code})`, type: v.type, scalar: v.scalar };
      }
      case 'not': {
        const v = tr(e.e);
        need(v, (t) => t === 'bool' || t === 'null', 'NOT');
        return { code: `(~${series({ ...v, type: 'bool' })})`, type: 'bool', scalar: false };
      }
      case 'bin':
        return binary(e.op, tr(e.l), tr(e.r), e.r);
      case 'is': {
        const v = tr(e.e);
        const s = series(v);
        let code: string;
        if (e.what === 'null') code = e.not ? `${s}.notna()` : `${s}.isna()`;
        else {
          need(v, (t) => t === 'bool' || t === 'null', `IS ${e.what.toUpperCase()}`);
          const base = e.what === 'true' ? `${s}.fillna(False).astype(bool)` : `(~${s}).fillna(False).astype(bool)`;
          code = e.not ? `(~${base})` : base;
        }
        return { code, type: 'bool', scalar: false };
      }
      case 'distinct': {
        const l = tr(e.l);
        const r = tr(e.r);
        comparable(l, r);
        const code = `${helper('_distinct')}(${series(l)}, ${series(r)})`;
        return { code: e.not ? `(~${code})` : code, type: 'bool', scalar: false };
      }
      case 'between': {
        const both: Expr = { t: 'bin', op: 'and', l: { t: 'bin', op: '>=', l: e.e, r: e.lo }, r: { t: 'bin', op: '<=', l: e.e, r: e.hi } };
        return tr(e.not ? { t: 'not', e: both } : both);
      }
      case 'in': {
        if (e.list.every((x) => x.t === 'num' || x.t === 'str' || x.t === 'bool')) {
          const v = tr(e.e);
          const items = e.list.map(tr);
          items.forEach((i) => comparable(v, i));
          const code = `${helper('_isin')}(${series(v)}, [${items.map((i) => i.code).join(', ')}])`;
          return { code: e.not ? `(~${code})` : code, type: 'bool', scalar: false };
        }
        const any = e.list.map((x): Expr => ({ t: 'bin', op: '=', l: e.e, r: x })).reduce((a, b) => ({ t: 'bin', op: 'or', l: a, r: b }));
        return tr(e.not ? { t: 'not', e: any } : any);
      }
      case 'like': {
        const v = tr(e.e);
        text(v, 'LIKE');
        const regex = likeRegex(strLiteral(e.pattern, 'a LIKE pattern'), e.escape);
        const code = `${series(v)}.str.fullmatch(${pyStr(regex)}, case=${e.ci ? 'False' : 'True'})`;
        return { code: e.not ? `(~${code})` : code, type: 'bool', scalar: false };
      }
      case 'case': {
        const whens = e.whens.map(([c, v]) => [tr(c), tr(v)] as const);
        const otherwise = e.else ? tr(e.else) : { code: 'pd.NA', type: 'null' as ValueType, scalar: true };
        whens.forEach(([c]) => need(c, (t) => t === 'bool' || t === 'null', 'a WHEN condition'));
        const type = unify([...whens.map(([, v]) => v.type), otherwise.type], 'CASE');
        const pairs = whens.map(([c, v]) => `(${c.code}, ${v.code})`).join(', ');
        return { code: `${helper('_case')}(d, [${pairs}], ${otherwise.code}, ${pyStr(pandasDtype(type))})`, type, scalar: false };
      }
      case 'cast':
        return cast(tr(e.e), e.type);
      case 'call':
        return call(e.name, e.args);
    }
  };

  const comparable = (l: V, r: V) => {
    const family = (t: ValueType) => (isNumeric(t) ? 'number' : t === 'date' || t === 'ts' ? 'datetime' : t);
    const [a, b] = [family(l.type), family(r.type)];
    if (l.type === 'other' || r.type === 'other') throw new NotExportable('a comparison with a column of a type pandas code cannot translate');
    if (l.type === 'null' || r.type === 'null' || a === b) return;
    // DuckDB compares a timestamp with a string literal by casting the string; so does pandas.
    if ((a === 'datetime' && r.scalar && b === 'str') || (b === 'datetime' && l.scalar && a === 'str')) return;
    throw new NotExportable(`a comparison of a ${l.type} with a ${r.type} value`);
  };

  const binary = (op: string, l: V, r: V, rightAst: Expr): V => {
    const scalar = l.scalar && r.scalar;
    switch (op) {
      case '+':
      case '-':
      case '*':
        numeric(l, `"${op}"`);
        numeric(r, `"${op}"`);
        return { code: `(${l.code} ${op} ${r.code})`, type: numericResult(l.type, r.type), scalar };
      case '/':
        // Floating-point division, by zero ±inf (NaN for 0/0), in DuckDB as in pandas.
        numeric(l, '"/"');
        numeric(r, '"/"');
        return { code: `(${l.code} / ${r.code})`, type: 'float', scalar };
      case '//': {
        numeric(l, '"//"');
        numeric(r, '"//"');
        const nonzero = rightAst.t === 'num' && Number(rightAst.text) !== 0;
        if (numericResult(l.type, r.type) === 'int') return { code: `${helper('_intdiv')}(${series(l)}, ${series(r)})`, type: 'int', scalar: false };
        if (nonzero) return { code: `(${l.code} / ${r.code})`, type: 'float', scalar };
        return { code: `${helper('_div')}(${series(l)}, ${series(r)})`, type: 'float', scalar: false };
      }
      case '%': {
        numeric(l, '"%"');
        numeric(r, '"%"');
        const type = numericResult(l.type, r.type);
        if (type === 'int') return { code: `${helper('_mod')}(${series(l)}, ${series(r)})`, type, scalar: false };
        return { code: `np.fmod(${series(l)}.astype("Float64"), ${r.code})`, type, scalar: false };
      }
      case '||': {
        const asText = (v: V) => {
          if (v.type === 'str' || v.type === 'null') return v.code;
          if (v.type === 'int') return v.scalar ? pyStr(v.code) : `${v.code}.astype("string")`;
          throw new NotExportable(`"||" with a ${v.type} operand (DuckDB's number and date text differs from Python's)`);
        };
        return { code: `(${asText(l)} + ${asText(r)})`, type: 'str', scalar };
      }
      case 'and':
      case 'or': {
        need(l, (t) => t === 'bool' || t === 'null', op.toUpperCase());
        need(r, (t) => t === 'bool' || t === 'null', op.toUpperCase());
        const sym = op === 'and' ? '&' : '|';
        return { code: `(${series(l)} ${sym} ${series(r)})`, type: 'bool', scalar: false };
      }
      default: {
        comparable(l, r);
        const sym = op === '=' ? '==' : op === '<>' ? '!=' : op;
        const code = `(${l.code} ${sym} ${r.code})`;
        const dt = (v: V) => v.type === 'date' || v.type === 'ts';
        if (scalar) return { code, type: 'bool', scalar: true };
        if (dt(l) || dt(r)) return { code: `${helper('_dt_null')}(${code}, ${l.code}, ${r.code})`, type: 'bool', scalar: false };
        return { code, type: 'bool', scalar: false };
      }
    }
  };

  const cast = (v: V, type: string): V => {
    const to = castTarget(type);
    const s = series(v);
    const from = v.type;
    const fail = (): never => {
      throw new NotExportable(`CAST of a ${from} value to ${type}`);
    };
    if (from === 'other') fail();
    switch (to) {
      case 'int':
        if (from === 'int' || from === 'null') return { code: `${s}.astype("Int64")`, type: 'int', scalar: false };
        if (from === 'float') return { code: `np.rint(${s}).astype("Int64")`, type: 'int', scalar: false };
        if (from === 'decimal') return { code: `${helper('_round')}(${s}, 0).astype("Int64")`, type: 'int', scalar: false };
        if (from === 'bool') return { code: `${s}.astype("Int64")`, type: 'int', scalar: false };
        if (from === 'str') return { code: `pd.to_numeric(${s}.str.strip()).astype("Int64")`, type: 'int', scalar: false };
        return fail();
      case 'float':
        if (isNumeric(from) || from === 'bool') return { code: `${s}.astype("Float64")`, type: 'float', scalar: false };
        if (from === 'str') return { code: `pd.to_numeric(${s}.str.strip()).astype("Float64")`, type: 'float', scalar: false };
        return fail();
      case 'decimal':
        if (isNumeric(from)) return { code: `${helper('_round')}(${s}.astype("Float64"), ${decimalScale(type)})`, type: 'decimal', scalar: false };
        return fail();
      case 'str':
        if (from === 'str' || from === 'null' || from === 'int') return { code: `${s}.astype("string")`, type: 'str', scalar: false };
        if (from === 'bool') return { code: `${s}.map({True: "true", False: "false"}).astype("string")`, type: 'str', scalar: false };
        if (from === 'date') return { code: `${s}.dt.strftime("%Y-%m-%d").astype("string")`, type: 'str', scalar: false };
        return fail();
      case 'bool':
        if (from === 'bool' || from === 'null') return { code: `${s}.astype("boolean")`, type: 'bool', scalar: false };
        if (from === 'int') return { code: `(${s} != 0)`, type: 'bool', scalar: false };
        return fail();
      case 'date':
        if (from === 'ts' || from === 'date') return { code: `${s}.dt.normalize()`, type: 'date', scalar: false };
        if (from === 'str') return { code: `pd.to_datetime(${s}).dt.normalize()`, type: 'date', scalar: false };
        return fail();
      case 'ts':
        if (from === 'ts' || from === 'date') return { code: s, type: 'ts', scalar: false };
        if (from === 'str') return { code: `pd.to_datetime(${s})`, type: 'ts', scalar: false };
        return fail();
      default:
        throw new NotExportable(`CAST to ${type}`);
    }
  };

  const arity = (name: string, args: Expr[], min: number, max = min) => {
    if (args.length < min || args.length > max) throw new NotExportable(`${name}() with ${args.length} arguments`);
  };

  const call = (name: string, args: Expr[]): V => {
    const fn = name.toLowerCase();
    const vs = () => args.map(tr);
    const one = (what = fn) => {
      arity(what, args, 1);
      return tr(args[0]!);
    };
    switch (fn) {
      case 'coalesce':
      case 'ifnull': {
        if (fn === 'ifnull') arity(fn, args, 2);
        if (args.length === 0) throw new NotExportable('coalesce() without arguments');
        const v = vs();
        const type = unify(v.map((x) => x.type), fn);
        const [first, ...rest] = v;
        return { code: `${series({ ...first!, type })}${rest.map((x) => `.fillna(${x.code})`).join('')}`, type, scalar: false };
      }
      case 'nullif': {
        arity(fn, args, 2);
        const [a, b] = vs() as [V, V];
        comparable(a, b);
        return { code: `${series(a)}.mask((${series(a)} == ${b.code}).fillna(False))`, type: a.type, scalar: false };
      }
      case 'round': {
        arity(fn, args, 1, 2);
        const x = tr(args[0]!);
        numeric(x, 'round()');
        const digits = args[1] ? intLiteral(args[1], 'round()’s digits') : 0;
        if (x.type === 'int' && digits >= 0) return x;
        return { code: `${helper('_round')}(${series(x)}, ${digits})`, type: x.type === 'int' ? 'int' : x.type, scalar: false };
      }
      case 'abs': {
        const x = one();
        numeric(x, 'abs()');
        return { code: `${series(x)}.abs()`, type: x.type, scalar: false };
      }
      case 'floor':
      case 'ceil':
      case 'ceiling': {
        const x = one();
        numeric(x, `${fn}()`);
        if (x.type === 'int') return x;
        return { code: `np.${fn === 'floor' ? 'floor' : 'ceil'}(${series(x)})`, type: x.type, scalar: false };
      }
      case 'sign': {
        const x = one();
        numeric(x, 'sign()');
        return { code: `np.sign(${series(x)}).astype("Int64")`, type: 'int', scalar: false };
      }
      case 'sqrt':
      case 'exp':
      case 'ln':
      case 'log10':
      case 'log': {
        const x = one();
        numeric(x, `${fn}()`);
        const np = { sqrt: 'sqrt', exp: 'exp', ln: 'log', log10: 'log10', log: 'log10' }[fn];
        return { code: `np.${np}(${series(x)}.astype("Float64"))`, type: 'float', scalar: false };
      }
      case 'pow':
      case 'power': {
        arity(fn, args, 2);
        const [a, b] = vs() as [V, V];
        numeric(a, `${fn}()`);
        numeric(b, `${fn}()`);
        return { code: `(${series(a)}.astype("Float64") ** ${b.code})`, type: 'float', scalar: false };
      }
      case 'greatest':
      case 'least': {
        if (args.length < 1) throw new NotExportable(`${fn}() without arguments`);
        const v = vs();
        v.forEach((x) => numeric(x, `${fn}()`));
        const type = v.map((x) => x.type).reduce(numericResult);
        const frame = `pd.concat([${v.map((x) => `${series(x)}.astype(${pyStr(pandasDtype(type))})`).join(', ')}], axis=1)`;
        return { code: `${frame}.${fn === 'greatest' ? 'max' : 'min'}(axis=1).astype(${pyStr(pandasDtype(type))})`, type, scalar: false };
      }
      case 'lower':
      case 'upper':
      case 'lcase':
      case 'ucase': {
        const x = one();
        text(x, `${fn}()`);
        return { code: `${series(x)}.str.${fn === 'lower' || fn === 'lcase' ? 'lower' : 'upper'}()`, type: 'str', scalar: false };
      }
      case 'length':
      case 'len':
      case 'char_length':
      case 'character_length': {
        const x = one();
        text(x, `${fn}()`);
        return { code: `${series(x)}.str.len().astype("Int64")`, type: 'int', scalar: false };
      }
      case 'trim':
      case 'ltrim':
      case 'rtrim': {
        const x = one();
        text(x, `${fn}()`);
        const m = { trim: 'strip', ltrim: 'lstrip', rtrim: 'rstrip' }[fn];
        return { code: `${series(x)}.str.${m}(" ")`, type: 'str', scalar: false };
      }
      case 'concat': {
        if (args.length === 0) throw new NotExportable('concat() without arguments');
        const v = vs();
        v.forEach((x) => text(x, 'concat()'));
        return { code: `(${v.map((x) => `${series(x)}.fillna("")`).join(' + ')})`, type: 'str', scalar: false };
      }
      case 'substr':
      case 'substring': {
        arity(fn, args, 2, 3);
        const x = tr(args[0]!);
        text(x, `${fn}()`);
        const start = intLiteral(args[1]!, `${fn}()’s start`);
        const length = args[2] ? intLiteral(args[2], `${fn}()’s length`) : undefined;
        if (start === 0 || (length !== undefined && length < 0)) throw new NotExportable(`${fn}() with a start of 0 or a negative length`);
        const from = start > 0 ? start - 1 : start;
        const to = length === undefined ? '' : from < 0 && from + length >= 0 ? '' : String(from + length);
        return { code: `${series(x)}.str.slice(${from}${to ? `, ${to}` : ''})`, type: 'str', scalar: false };
      }
      case 'replace': {
        arity(fn, args, 3);
        const x = tr(args[0]!);
        text(x, 'replace()');
        const a = strLiteral(args[1]!, 'replace()’s search text');
        const b = strLiteral(args[2]!, 'replace()’s replacement');
        if (a === '') throw new NotExportable('replace() of an empty string');
        return { code: `${series(x)}.str.replace(${pyStr(a)}, ${pyStr(b)}, regex=False)`, type: 'str', scalar: false };
      }
      case 'contains':
      case 'starts_with':
      case 'prefix':
      case 'ends_with':
      case 'suffix': {
        arity(fn, args, 2);
        const x = tr(args[0]!);
        text(x, `${fn}()`);
        const needle = pyStr(strLiteral(args[1]!, `${fn}()’s second argument`));
        const m = fn === 'contains' ? `contains(${needle}, regex=False)` : fn === 'starts_with' || fn === 'prefix' ? `startswith(${needle})` : `endswith(${needle})`;
        return { code: `${series(x)}.str.${m}`, type: 'bool', scalar: false };
      }
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
      case 'dayofweek':
      case 'dayofmonth': {
        const x = one();
        datetime(x, `${fn}()`);
        const part = fn === 'dayofmonth' ? 'day' : fn;
        if (part === 'dayofweek') return { code: `((${series(x)}.dt.dayofweek + 1) % 7).astype("Int64")`, type: 'int', scalar: false };
        return { code: `${series(x)}.dt.${part}.astype("Int64")`, type: 'int', scalar: false };
      }
      case 'date_diff':
      case 'datediff': {
        arity(fn, args, 3);
        const unit = strLiteral(args[0]!, `${fn}()’s unit`).toLowerCase().replace(/s$/, '');
        if (!['second', 'minute', 'hour', 'day', 'month', 'year'].includes(unit)) throw new NotExportable(`${fn}() in ${unit}s`);
        const [a, b] = [tr(args[1]!), tr(args[2]!)];
        datetime(a, `${fn}()`);
        datetime(b, `${fn}()`);
        return { code: `${helper('_date_diff')}(${pyStr(unit)}, ${series(a)}, ${series(b)})`, type: 'int', scalar: false };
      }
      case 'epoch': {
        const x = one();
        datetime(x, 'epoch()');
        return { code: `${helper('_epoch')}(${series(x)})`, type: 'float', scalar: false };
      }
      default:
        throw new NotExportable(`function ${fn}() has no pandas translation here`);
    }
  };

  const result = tr(ast);
  return { code: series(result), type: result.type };
}

/** A LIKE pattern as a Python regular expression (`%` any run, `_` one character, DOTALL). */
export function likeRegex(pattern: string, escape: string | null): string {
  let out = '(?s)';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (escape !== null && c === escape) {
      const n = chars[++i];
      if (n === undefined) throw new NotExportable('a LIKE pattern that ends with its escape character');
      out += reEscape(n);
    } else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += reEscape(c);
  }
  return out;
}

function reEscape(c: string): string {
  return /[A-Za-z0-9]/.test(c) || c.charCodeAt(0) > 127 ? c : `\\${c}`;
}
