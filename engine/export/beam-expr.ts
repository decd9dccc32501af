/**
 * DuckDB expressions → plain Python over one row (a dict; None is NULL), for the Beam export's
 * `beam.Map`/`beam.Filter` steps. Helpers give SQL's NULL propagation and three-valued logic.
 */
import type { ColumnInfo } from '../db/database.ts';
import { pyStr } from './escape.ts';
import { likeRegex, numericResult, pyFloatText, unify } from './pandas-expr.ts';
import { castTarget, decimalScale, isNumeric, NotExportable, parseExpression, resolveColumn, valueType, type Expr, type ValueType } from './sql-expr.ts';
import type { PyExpr } from './types.ts';
import type { PyHelper } from './pandas-helpers.ts';

interface V {
  code: string;
  type: ValueType;
}

export function translateBeam(sql: string, columns: ColumnInfo[], helper: (name: string) => string): PyExpr {
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
  const h = (name: string, args: V[], type: ValueType): V => ({ code: `${helper(name)}(${args.map((a) => a.code).join(', ')})`, type });
  const tr = (e: Expr): V => {
    switch (e.t) {
      case 'num':
        return /^-?\d+$/.test(e.text) ? { code: String(BigInt(e.text)), type: 'int' } : { code: pyFloatText(e.text), type: /[eE]/.test(e.text) ? 'float' : 'decimal' };
      case 'str':
        return { code: pyStr(e.value), type: 'str' };
      case 'bool':
        return { code: e.value ? 'True' : 'False', type: 'bool' };
      case 'null':
        return { code: 'None', type: 'null' };
      case 'col': {
        const name = resolveColumn(e.name, columns);
        const type = types.get(name) ?? 'other';
        if (type === 'other') throw new NotExportable(`column "${name}" has a type the Beam export cannot translate`);
        return { code: `row[${pyStr(name)}]`, type };
      }
      case 'neg': {
        const operand = tr(e.e);
        return h('_neg', [operand], operand.type);
      }
      case 'not':
        return h('_not', [tr(e.e)], 'bool');
      case 'bin': {
        const l = tr(e.l);
        const r = tr(e.r);
        const ops: Record<string, [string, ValueType]> = {
          '+': ['_add', numericResult(l.type, r.type)],
          '-': ['_sub', numericResult(l.type, r.type)],
          '*': ['_mul', numericResult(l.type, r.type)],
          '/': ['_div', 'float'],
          '%': ['_mod', numericResult(l.type, r.type)],
          '=': ['_eq', 'bool'],
          '<>': ['_ne', 'bool'],
          '<': ['_lt', 'bool'],
          '<=': ['_le', 'bool'],
          '>': ['_gt', 'bool'],
          '>=': ['_ge', 'bool'],
          and: ['_and', 'bool'],
          or: ['_or', 'bool'],
        };
        if (['+', '-', '*', '/', '//', '%'].includes(e.op) && !(isNumeric(l.type) && isNumeric(r.type))) {
          throw new NotExportable(`"${e.op}" on ${l.type} and ${r.type} values`);
        }
        if (e.op === '//') return numericResult(l.type, r.type) === 'int' ? h('_intdiv', [l, r], 'int') : h('_div_or_null', [l, r], 'float');
        if (e.op === '||') {
          if (![l, r].every((v) => v.type === 'str' || v.type === 'null' || v.type === 'int')) throw new NotExportable('"||" with a non-text operand');
          return h('_concat_strict', [l, r], 'str');
        }
        const [name, type] = ops[e.op]!;
        return h(name, [l, r], type);
      }
      case 'is': {
        const v = tr(e.e);
        const test = e.what === 'null' ? `${v.code} is None` : `${v.code} is ${e.what === 'true' ? 'True' : 'False'}`;
        return { code: e.not ? `(not (${test}))` : `(${test})`, type: 'bool' };
      }
      case 'distinct':
        return { code: `${e.not ? 'not ' : ''}${helper('_distinct')}(${tr(e.l).code}, ${tr(e.r).code})`, type: 'bool' };
      case 'between': {
        const both: Expr = { t: 'bin', op: 'and', l: { t: 'bin', op: '>=', l: e.e, r: e.lo }, r: { t: 'bin', op: '<=', l: e.e, r: e.hi } };
        return tr(e.not ? { t: 'not', e: both } : both);
      }
      case 'in': {
        const any = e.list.map((x): Expr => ({ t: 'bin', op: '=', l: e.e, r: x })).reduce((a, b) => ({ t: 'bin', op: 'or', l: a, r: b }));
        return tr(e.not ? { t: 'not', e: any } : any);
      }
      case 'like': {
        const regex = likeRegex(strLiteral(e.pattern, 'a LIKE pattern'), e.escape);
        const v = h('_like', [tr(e.e), { code: pyStr(regex), type: 'str' }, { code: e.ci ? 'True' : 'False', type: 'bool' }], 'bool');
        return e.not ? h('_not', [v], 'bool') : v;
      }
      case 'case': {
        const whens = e.whens.map(([c, v]) => [tr(c), tr(v)] as const);
        const otherwise = e.else ? tr(e.else) : { code: 'None', type: 'null' as ValueType };
        const type = unify([...whens.map(([, v]) => v.type), otherwise.type], 'CASE');
        return { code: `(${whens.map(([c, v]) => `${v.code} if ${c.code} is True else `).join('')}${otherwise.code})`, type };
      }
      case 'cast': {
        const v = tr(e.e);
        const to = castTarget(e.type);
        const key = `${v.type}>${to}`;
        const casts: Record<string, string> = {
          'int>int': '_cast_int', 'float>int': '_cast_int', 'decimal>int': '_cast_int_half_away', 'bool>int': '_cast_int', 'str>int': '_cast_int',
          'int>float': '_cast_float', 'float>float': '_cast_float', 'decimal>float': '_cast_float', 'bool>float': '_cast_float', 'str>float': '_cast_float',
          'int>str': '_cast_str', 'str>str': '_cast_str', 'bool>str': '_cast_str', 'date>str': '_cast_str',
          'int>bool': '_cast_bool', 'bool>bool': '_cast_bool',
          'ts>date': '_cast_date', 'date>date': '_cast_date', 'str>date': '_cast_date', 'str>ts': '_cast_ts', 'ts>ts': '_cast_ts', 'date>ts': '_cast_ts',
        };
        if (v.type === 'null') return { code: 'None', type: to };
        if (to === 'decimal' && isNumeric(v.type)) return h('_round', [v, { code: String(decimalScale(e.type)), type: 'int' }], 'decimal');
        const fn = casts[key];
        if (!fn) throw new NotExportable(`CAST of a ${v.type} value to ${e.type}`);
        return h(fn, [v], to);
      }
      case 'call':
        return call(e.name.toLowerCase(), e.args);
    }
  };
  const call = (fn: string, args: Expr[]): V => {
    const arity = (min: number, max = min) => {
      if (args.length < min || args.length > max) throw new NotExportable(`${fn}() with ${args.length} arguments`);
    };
    const vs = () => args.map(tr);
    const simple: Record<string, [string, number, number, (v: V[]) => ValueType]> = {
      abs: ['_abs', 1, 1, (v) => v[0]!.type],
      sign: ['_sign', 1, 1, () => 'int'],
      sqrt: ['_sqrt', 1, 1, () => 'float'],
      exp: ['_exp', 1, 1, () => 'float'],
      ln: ['_ln', 1, 1, () => 'float'],
      log10: ['_log10', 1, 1, () => 'float'],
      log: ['_log10', 1, 1, () => 'float'],
      pow: ['_pow', 2, 2, () => 'float'],
      power: ['_pow', 2, 2, () => 'float'],
      nullif: ['_nullif', 2, 2, (v) => v[0]!.type],
      lower: ['_lower', 1, 1, () => 'str'],
      lcase: ['_lower', 1, 1, () => 'str'],
      upper: ['_upper', 1, 1, () => 'str'],
      ucase: ['_upper', 1, 1, () => 'str'],
      length: ['_length', 1, 1, () => 'int'],
      len: ['_length', 1, 1, () => 'int'],
      char_length: ['_length', 1, 1, () => 'int'],
      character_length: ['_length', 1, 1, () => 'int'],
      trim: ['_trim', 1, 1, () => 'str'],
      ltrim: ['_ltrim', 1, 1, () => 'str'],
      rtrim: ['_rtrim', 1, 1, () => 'str'],
      replace: ['_replace', 3, 3, () => 'str'],
      contains: ['_contains', 2, 2, () => 'bool'],
      starts_with: ['_starts_with', 2, 2, () => 'bool'],
      prefix: ['_starts_with', 2, 2, () => 'bool'],
      ends_with: ['_ends_with', 2, 2, () => 'bool'],
      suffix: ['_ends_with', 2, 2, () => 'bool'],
      year: ['_year', 1, 1, () => 'int'],
      month: ['_month', 1, 1, () => 'int'],
      day: ['_day', 1, 1, () => 'int'],
      dayofmonth: ['_day', 1, 1, () => 'int'],
      hour: ['_hour', 1, 1, () => 'int'],
      minute: ['_minute', 1, 1, () => 'int'],
      second: ['_second', 1, 1, () => 'int'],
      dayofweek: ['_dayofweek', 1, 1, () => 'int'],
      epoch: ['_epoch', 1, 1, () => 'float'],
    };
    if (simple[fn]) {
      const [name, min, max, type] = simple[fn];
      arity(min, max);
      const v = vs();
      return h(name, v, type(v));
    }
    switch (fn) {
      case 'coalesce':
      case 'ifnull': {
        const v = vs();
        return h('_coalesce', v, unify(v.map((x) => x.type), fn));
      }
      case 'greatest':
      case 'least': {
        const v = vs();
        return h(fn === 'greatest' ? '_greatest' : '_least', v, v.map((x) => x.type).reduce(numericResult));
      }
      case 'round': {
        arity(1, 2);
        const x = tr(args[0]!);
        const digits = args[1] ? intLiteral(args[1], 'round()’s digits') : 0;
        if (x.type === 'int' && digits >= 0) return x;
        return h('_round', [x, { code: String(digits), type: 'int' }], x.type);
      }
      case 'floor':
      case 'ceil':
      case 'ceiling': {
        arity(1);
        const x = tr(args[0]!);
        return x.type === 'int' ? x : h(fn === 'floor' ? '_floor' : '_ceil', [x], x.type);
      }
      case 'concat':
        return h('_concat', vs(), 'str');
      case 'substr':
      case 'substring': {
        arity(2, 3);
        const start = intLiteral(args[1]!, `${fn}()’s start`);
        const length = args[2] ? intLiteral(args[2], `${fn}()’s length`) : undefined;
        if (start === 0 || (length !== undefined && length < 0)) throw new NotExportable(`${fn}() with a start of 0 or a negative length`);
        return h('_substr', [tr(args[0]!), { code: String(start), type: 'int' }, { code: length === undefined ? 'None' : String(length), type: 'int' }], 'str');
      }
      case 'date_diff':
      case 'datediff': {
        arity(3);
        const unit = strLiteral(args[0]!, `${fn}()’s unit`).toLowerCase().replace(/s$/, '');
        if (!['second', 'minute', 'hour', 'day', 'month', 'year'].includes(unit)) throw new NotExportable(`${fn}() in ${unit}s`);
        return h('_date_diff', [{ code: pyStr(unit), type: 'str' }, tr(args[1]!), tr(args[2]!)], 'int');
      }
      default:
        throw new NotExportable(`function ${fn}() has no Beam translation here`);
    }
  };
  const v = tr(ast);
  return { code: v.code, type: v.type };
}

const nullSafe = (name: string, params: string, body: string, doc: string): PyHelper => ({
  code: `def ${name}(${params}):\n    """${doc}"""\n    ${body}`,
});

/** Scalar SQL semantics over Python values, None for NULL. */
export const beamHelpers: Record<string, PyHelper> = {
  _neg: nullSafe('_neg', 'a', 'return None if a is None else -a', 'SQL unary minus.'),
  _not: nullSafe('_not', 'a', 'return None if a is None else not a', 'SQL NOT: NULL stays NULL.'),
  _add: nullSafe('_add', 'a, b', 'return None if a is None or b is None else a + b', 'SQL +: NULL if either side is.'),
  _sub: nullSafe('_sub', 'a, b', 'return None if a is None or b is None else a - b', 'SQL -: NULL if either side is.'),
  _mul: nullSafe('_mul', 'a, b', 'return None if a is None or b is None else a * b', 'SQL *: NULL if either side is.'),
  _div: {
    imports: ['math'],
    code: `def _div(a, b):
    """DuckDB's /: floating-point division; by zero ±inf, NaN for 0/0."""
    if a is None or b is None:
        return None
    if b == 0:
        return math.nan if a == 0 or a != a else math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b`,
  },
  _div_or_null: nullSafe('_div_or_null', 'a, b', 'return None if a is None or b is None or b == 0 else a / b', "DuckDB's // on floating point: a division, NULL for a zero divisor."),
  _intdiv: {
    code: `def _intdiv(a, b):
    """DuckDB's integer \`//\`: truncated toward zero; NULL for a zero divisor."""
    if a is None or b is None or b == 0:
        return None
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q`,
  },
  _mod: { imports: ['math'], ...nullSafe('_mod', 'a, b', 'return None if a is None or b is None else (math.fmod(a, b) if b != 0 else math.nan) if isinstance(a, float) or isinstance(b, float) else None if b == 0 else (abs(a) % abs(b)) * (1 if a >= 0 else -1)', 'SQL %: the sign of the dividend; integers NULL for a zero divisor, floats NaN.') },
  _eq: nullSafe('_eq', 'a, b', 'return None if a is None or b is None else a == b', 'SQL =.'),
  _ne: nullSafe('_ne', 'a, b', 'return None if a is None or b is None else a != b', 'SQL <>.'),
  _lt: nullSafe('_lt', 'a, b', 'return None if a is None or b is None else a < b', 'SQL <.'),
  _le: nullSafe('_le', 'a, b', 'return None if a is None or b is None else a <= b', 'SQL <=.'),
  _gt: nullSafe('_gt', 'a, b', 'return None if a is None or b is None else a > b', 'SQL >.'),
  _ge: nullSafe('_ge', 'a, b', 'return None if a is None or b is None else a >= b', 'SQL >=.'),
  _and: nullSafe('_and', 'a, b', 'return False if a is False or b is False else None if a is None or b is None else True', 'SQL AND (three-valued).'),
  _or: nullSafe('_or', 'a, b', 'return True if a is True or b is True else None if a is None or b is None else False', 'SQL OR (three-valued).'),
  _distinct: nullSafe('_distinct', 'a, b', 'return (a is None) != (b is None) or (a is not None and a != b)', 'a IS DISTINCT FROM b.'),
  _concat_strict: nullSafe('_concat_strict', 'a, b', 'return None if a is None or b is None else str(a) + str(b)', 'SQL ||: NULL if either side is.'),
  _concat: nullSafe('_concat', '*parts', 'return "".join(str(p) for p in parts if p is not None)', 'concat(): NULLs are skipped.'),
  _coalesce: nullSafe('_coalesce', '*values', 'return next((v for v in values if v is not None), None)', 'The first value that is not NULL.'),
  _nullif: nullSafe('_nullif', 'a, b', 'return None if a is not None and b is not None and a == b else a', 'NULL when a equals b.'),
  _greatest: nullSafe('_greatest', '*values', 'return max((v for v in values if v is not None), default=None)', 'The largest value, NULLs skipped.'),
  _least: nullSafe('_least', '*values', 'return min((v for v in values if v is not None), default=None)', 'The smallest value, NULLs skipped.'),
  _round: {
    imports: ['math'],
    code: `def _round(x, digits):
    """DuckDB's round(): half away from zero, at x * 10**digits."""
    if x is None:
        return None
    scale = 10.0 ** abs(digits)
    y = x * scale if digits >= 0 else x / scale
    r = math.trunc(y)
    if abs(y - r) >= 0.5:
        r += math.copysign(1, y)
    return r / scale if digits >= 0 else r * scale`,
  },
  _abs: nullSafe('_abs', 'x', 'return None if x is None else abs(x)', 'abs().'),
  _sign: nullSafe('_sign', 'x', 'return None if x is None else (x > 0) - (x < 0)', 'sign().'),
  _floor: { imports: ['math'], ...nullSafe('_floor', 'x', 'return None if x is None else float(math.floor(x))', 'floor().') },
  _ceil: { imports: ['math'], ...nullSafe('_ceil', 'x', 'return None if x is None else float(math.ceil(x))', 'ceil().') },
  _sqrt: { imports: ['math'], ...nullSafe('_sqrt', 'x', 'return None if x is None else math.sqrt(x)', 'sqrt().') },
  _exp: { imports: ['math'], ...nullSafe('_exp', 'x', 'return None if x is None else math.exp(x)', 'exp().') },
  _ln: { imports: ['math'], ...nullSafe('_ln', 'x', 'return None if x is None else math.log(x)', 'ln().') },
  _log10: { imports: ['math'], ...nullSafe('_log10', 'x', 'return None if x is None else math.log10(x)', 'log10().') },
  _pow: nullSafe('_pow', 'a, b', 'return None if a is None or b is None else float(a) ** b', 'pow().'),
  _lower: nullSafe('_lower', 's', 'return None if s is None else s.lower()', 'lower().'),
  _upper: nullSafe('_upper', 's', 'return None if s is None else s.upper()', 'upper().'),
  _length: nullSafe('_length', 's', 'return None if s is None else len(s)', 'length() in characters.'),
  _trim: nullSafe('_trim', 's', 'return None if s is None else s.strip(" ")', 'trim(): spaces.'),
  _ltrim: nullSafe('_ltrim', 's', 'return None if s is None else s.lstrip(" ")', 'ltrim(): spaces.'),
  _rtrim: nullSafe('_rtrim', 's', 'return None if s is None else s.rstrip(" ")', 'rtrim(): spaces.'),
  _replace: nullSafe('_replace', 's, old, new', 'return None if s is None or old is None or new is None else s.replace(old, new)', 'replace().'),
  _contains: nullSafe('_contains', 's, part', 'return None if s is None or part is None else part in s', 'contains().'),
  _starts_with: nullSafe('_starts_with', 's, part', 'return None if s is None or part is None else s.startswith(part)', 'starts_with().'),
  _ends_with: nullSafe('_ends_with', 's, part', 'return None if s is None or part is None else s.endswith(part)', 'ends_with().'),
  _substr: {
    code: `def _substr(s, start, length):
    """substr(): 1-based start (negative counts from the end), optional length."""
    if s is None:
        return None
    begin = start - 1 if start > 0 else max(len(s) + start, 0)
    return s[begin:] if length is None else s[begin:begin + length]`,
  },
  _like: {
    imports: ['re'],
    code: `def _like(s, regex, ignore_case):
    """LIKE / ILIKE, the pattern translated to a regular expression."""
    if s is None:
        return None
    return re.fullmatch(regex, s, re.IGNORECASE if ignore_case else 0) is not None`,
  },
  _year: nullSafe('_year', 't', 'return None if t is None else t.year', 'year().'),
  _month: nullSafe('_month', 't', 'return None if t is None else t.month', 'month().'),
  _day: nullSafe('_day', 't', 'return None if t is None else t.day', 'day().'),
  _hour: nullSafe('_hour', 't', 'return None if t is None else getattr(t, "hour", 0)', 'hour().'),
  _minute: nullSafe('_minute', 't', 'return None if t is None else getattr(t, "minute", 0)', 'minute().'),
  _second: nullSafe('_second', 't', 'return None if t is None else getattr(t, "second", 0)', 'second().'),
  _dayofweek: nullSafe('_dayofweek', 't', 'return None if t is None else (t.weekday() + 1) % 7', 'dayofweek(): 0 is Sunday.'),
  _epoch_us: {
    imports: ['datetime'],
    code: `def _epoch_us(t):
    """Microseconds since 1970-01-01 of a date or naive datetime."""
    if not isinstance(t, datetime.datetime):
        t = datetime.datetime(t.year, t.month, t.day)
    return (t - datetime.datetime(1970, 1, 1)) // datetime.timedelta(microseconds=1)`,
  },
  _epoch: { uses: ['_epoch_us'], ...nullSafe('_epoch', 't', 'return None if t is None else _epoch_us(t) / 1e6', 'epoch(): seconds since 1970 with the fraction.') },
  _date_diff: {
    uses: ['_epoch_us', '_intdiv'],
    code: `def _date_diff(unit, start, end):
    """DuckDB's date_diff(unit, start, end): how many unit boundaries lie between the two."""
    if start is None or end is None:
        return None
    if unit in ("second", "minute", "hour"):
        per = {"second": 1, "minute": 60, "hour": 3600}[unit]
        seconds = lambda t: _intdiv(_epoch_us(t), 10**6)
        return _intdiv(seconds(end), per) - _intdiv(seconds(start), per)
    if unit == "day":
        return (_epoch_us(end) // 86400000000) - (_epoch_us(start) // 86400000000)
    if unit == "year":
        return end.year - start.year
    return (end.year - start.year) * 12 + end.month - start.month`,
  },
  _cast_int: nullSafe('_cast_int', 'x', 'return None if x is None else int(round(float(x.strip()) if isinstance(x, str) else x))', 'CAST(… AS integer): to the nearest integer, ties to even (as DuckDB casts a DOUBLE).'),
  _cast_int_half_away: { uses: ['_round'], ...nullSafe('_cast_int_half_away', 'x', 'return None if x is None else int(_round(x, 0))', 'CAST(DECIMAL AS integer): half away from zero.') },
  _cast_float: nullSafe('_cast_float', 'x', 'return None if x is None else float(x.strip() if isinstance(x, str) else x)', 'CAST(… AS DOUBLE).'),
  _cast_str: nullSafe('_cast_str', 'x', 'return None if x is None else ("true" if x else "false") if isinstance(x, bool) else str(x)', 'CAST(… AS VARCHAR) of text, integers and booleans.'),
  _cast_bool: nullSafe('_cast_bool', 'x', 'return None if x is None else bool(x)', 'CAST(… AS BOOLEAN).'),
  _cast_date: {
    imports: ['datetime'],
    code: `def _cast_date(x):
    """CAST(… AS DATE)."""
    if x is None:
        return None
    if isinstance(x, str):
        x = datetime.datetime.fromisoformat(x.strip())
    return x.date() if isinstance(x, datetime.datetime) else x`,
  },
  _cast_ts: {
    imports: ['datetime'],
    code: `def _cast_ts(x):
    """CAST(… AS TIMESTAMP)."""
    if x is None:
        return None
    if isinstance(x, str):
        return datetime.datetime.fromisoformat(x.strip())
    return x if isinstance(x, datetime.datetime) else datetime.datetime(x.year, x.month, x.day)`,
  },
};
