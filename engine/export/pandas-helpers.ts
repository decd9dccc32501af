/**
 * Runtime helpers of the pandas export: small functions that make pandas compute what DuckDB
 * computes where the two differ. A module gets only the helpers its code calls (and theirs).
 */
export interface PyHelper {
  code: string;
  uses?: string[];
  imports?: string[];
}

export const pandasHelpers: Record<string, PyHelper> = {
  _column: {
    code: `def _column(d, value, dtype):
    """\`value\` as a column of frame \`d\`: a Series cast to \`dtype\`, or a scalar on every row."""
    if isinstance(value, pd.Series):
        return value.astype(dtype)
    return pd.Series([value] * len(d), index=d.index, dtype=dtype)`,
  },
  _div: {
    code: `def _div(a, b):
    """DuckDB's \`//\` on floating point: a division, NULL where the divisor is 0 (not inf or NaN)."""
    return (a / b).mask((b == 0).fillna(False))`,
  },
  _intdiv: {
    code: `def _intdiv(a, b):
    """Integer division as DuckDB's \`//\`: truncated toward zero; NULL where the divisor is 0."""
    b = b.mask((b == 0).fillna(False))
    q = a.abs() // b.abs()
    return q.where(((a < 0) == (b < 0)).fillna(True), -q)`,
  },
  _mod: {
    code: `def _mod(a, b):
    """Integer remainder as DuckDB's \`%\`: the sign of the dividend (as C's fmod); NULL where the divisor is 0."""
    b = b.mask((b == 0).fillna(False))
    r = a.abs() % b.abs()
    return r.where((a >= 0).fillna(True), -r)`,
  },
  _round: {
    code: `def _round(x, digits):
    """DuckDB's round(): half away from zero, at x * 10**digits (numpy's round is half to even)."""
    x = x.astype("Float64")
    scale = 10.0 ** abs(digits)
    y = x * scale if digits >= 0 else x / scale
    r = np.trunc(y)
    r = r + np.sign(y) * ((y - r).abs() >= 0.5).astype("Float64")
    return r / scale if digits >= 0 else r * scale`,
  },
  _distinct: {
    code: `def _distinct(a, b):
    """a IS DISTINCT FROM b: never NULL, and two NULLs are not distinct."""
    return ((a != b).fillna(True) & ~(a.isna() & b.isna())).astype(bool)`,
  },
  _isin: {
    code: `def _isin(s, values):
    """s IN (values): NULL (not False) where s is NULL."""
    return s.isin(values).astype("boolean").mask(s.isna())`,
  },
  _case: {
    uses: ['_column'],
    code: `def _case(d, whens, default, dtype):
    """SQL CASE: each row takes the value of its first true condition (NULL is not true), else \`default\`."""
    result = _column(d, default, dtype)
    for condition, value in reversed(whens):
        true = _column(d, condition, "boolean").fillna(False).astype(bool)
        result = _column(d, value, dtype).where(true, result)
    return result`,
  },
  _dt_null: {
    code: `def _dt_null(result, a, b):
    """A comparison of datetimes, NULL where either side is NULL (pandas says False for NaT)."""
    return result.astype("boolean").mask(pd.isna(a) | pd.isna(b))`,
  },
  _trunc_div: {
    code: `def _trunc_div(a, k):
    """Integer division truncated toward zero, as C++ (and DuckDB) divide."""
    q = a.abs() // k
    return q.where((a >= 0).fillna(True), -q)`,
  },
  _epoch_ns: {
    code: `def _epoch_ns(ts):
    """Nanoseconds since 1970-01-01 of a datetime column, as Int64 (NULL for NaT)."""
    ns = pd.Series(ts.to_numpy(dtype="datetime64[ns]").astype("int64"), index=ts.index, dtype="Int64")
    return ns.mask(ts.isna())`,
  },
  _date_diff: {
    uses: ['_epoch_ns', '_trunc_div'],
    code: `def _date_diff(unit, start, end):
    """DuckDB's date_diff(unit, start, end): how many unit boundaries lie between the two."""
    if unit in ("second", "minute", "hour"):
        per = {"second": 1, "minute": 60, "hour": 3600}[unit]
        seconds = lambda ts: _trunc_div(_epoch_ns(ts), 10**9)
        return _trunc_div(seconds(end), per) - _trunc_div(seconds(start), per)
    if unit == "day":
        return _trunc_div(_epoch_ns(end.dt.floor("D")) - _epoch_ns(start.dt.floor("D")), 86400 * 10**9)
    years = end.dt.year.astype("Int64") - start.dt.year.astype("Int64")
    if unit == "year":
        return years
    return years * 12 + end.dt.month.astype("Int64") - start.dt.month.astype("Int64")`,
  },
  _epoch: {
    uses: ['_epoch_ns'],
    code: `def _epoch(ts):
    """Seconds since 1970-01-01 with the fraction (DuckDB's epoch())."""
    return _epoch_ns(ts).astype("Float64") / 10**9`,
  },
  _sort: {
    code: `def _sort(frame, keys):
    """Rows ordered by (column, descending, nulls_first) keys, most significant first; ties keep their order."""
    for column, descending, nulls_first in reversed(keys):
        frame = frame.sort_values(column, ascending=not descending, na_position="first" if nulls_first else "last", kind="mergesort")
    return frame`,
  },
  _outer_merge: {
    code: `def _outer_merge(left, right, left_on, right_on):
    """Full outer join in which NULL keys match nothing, as in SQL (pandas' merge matches NaN with NaN)."""
    left_null = left[left_on].isna().any(axis=1)
    right_null = right[right_on].isna().any(axis=1)
    matched = left[~left_null].merge(right[~right_null], how="outer", left_on=left_on, right_on=right_on)
    return pd.concat([matched, left[left_null], right[right_null]], ignore_index=True)`,
  },
  _rank: {
    code: `def _rank(ordered, keys, partition_by, order_by, dense):
    """SQL rank() / dense_rank() over rows sorted in window order: peers (equal order values) share a rank."""
    position = ordered.groupby(keys, dropna=False, sort=False).cumcount() + 1
    if not order_by:
        return position
    peer = ordered.groupby(partition_by + order_by, dropna=False, sort=False).ngroup()
    if dense:
        return peer.groupby(keys, dropna=False, sort=False).rank(method="dense").astype("int64")
    return position.groupby(peer).transform("min")`,
  },
  _running: {
    code: `def _running(values, keys, fn):
    """SQL aggregate over the rows from the group's first to the current one (window order), NULLs skipped."""
    count = values.notna().astype("int64").groupby(keys, dropna=False, sort=False).cumsum()
    if fn == "count":
        return count
    if fn in ("sum", "mean"):
        total = values.fillna(0).groupby(keys, dropna=False, sort=False).cumsum().where(count > 0)
        return total if fn == "sum" else total / count
    grouped = values.groupby(keys, dropna=False, sort=False)
    extreme = grouped.cummin() if fn == "min" else grouped.cummax()
    return extreme.groupby(keys, dropna=False, sort=False).ffill()`,
  },
  _rolling: {
    code: `def _rolling(values, keys, fn, size, min_periods):
    """SQL aggregate over the last \`size\` rows (window order), NULL until \`min_periods\` non-NULL values are in it."""
    numbers = pd.Series(values.to_numpy(dtype="float64", na_value=np.nan), index=values.index)
    rolled = numbers.groupby(keys, dropna=False, sort=False).rolling(size, min_periods=min_periods)
    result = getattr(rolled, fn)()
    return result.reset_index(level=list(range(len(keys))), drop=True)`,
  },
  _ordered_sum: {
    code: `def _ordered_sum(groups, column):
    """Per group, the sum of a float column's non-NULL values added in row order from 0, as DuckDB's sum
    and avg add them (pandas' sum compensates rounding, which can change the last bit, and a rounded
    mean with it); NULL for a group without values."""
    codes = groups.ngroup().to_numpy()
    values = groups.obj[column].to_numpy(dtype="float64", na_value=0.0)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    sums = [np.cumsum(part)[-1] for part in np.split(values[order], bounds)] if len(order) else []
    return pd.Series(sums, index=groups.size().index, dtype="Float64").where(groups[column].count() > 0)`,
  },
  _seeded_keys: {
    code: `def _seeded_keys(frame, seed):
    """Each row's rank in canonical order (all columns ascending, NULLs last, from 1) and its random key,
    splitmix64(rank + seed * 0x9E3779B97F4A7C15) in uint64 arithmetic: the same keys as Kanvas' SQL."""
    canonical = frame.reset_index(drop=True).sort_values(list(frame.columns), na_position="last", kind="mergesort").index.to_numpy()
    rank = np.empty(len(frame), dtype=np.uint64)
    rank[canonical] = np.arange(1, len(frame) + 1, dtype=np.uint64)
    z = rank + np.uint64(seed * 11400714819323198485 % 2**64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(13787848793156543929)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(10723151780598845931)
    return rank, z ^ (z >> np.uint64(31))`,
  },
  _sample: {
    uses: ['_seeded_keys'],
    code: `def _sample(frame, n, fraction, seed):
    """n rows (or fraction * rows, rounded half to even) with the smallest seeded keys, in input order."""
    count = n if n is not None else round(fraction * len(frame))
    rank, key = _seeded_keys(frame, seed)
    picked = np.sort(np.lexsort((rank, key))[:count])
    return frame.iloc[picked]`,
  },
  _split: {
    uses: ['_seeded_keys'],
    imports: ['math'],
    code: `def _split(frame, test_fraction, seed, stratify=None):
    """(train, test), both in input order: ceil(test_fraction * rows) test rows by seeded key, as
    scikit-learn's train_test_split sizes them; with \`stratify\`, train rows are shared out over the
    classes by largest remainder (ties to the class that sorts first) and the rest of each class is test."""
    rank, key = _seeded_keys(frame, seed)
    order = np.lexsort((rank, key))
    total = len(frame)
    n_test = math.ceil(test_fraction * total)
    test = np.zeros(total, dtype=bool)
    if stratify is None:
        test[order[:n_test]] = True
    else:
        codes, classes = pd.factorize(frame[stratify], use_na_sentinel=False)
        counts = np.bincount(codes, minlength=len(classes))
        exact = counts * (total - n_test) / total
        floor = np.floor(exact)
        extra = int(math.floor(exact.sum() + 0.5) - floor.sum())
        by_remainder = pd.DataFrame({"cls": classes, "rem": exact - floor}).sort_values(
            ["rem", "cls"], ascending=[False, True], na_position="last", kind="mergesort"
        )
        train_n = floor.astype(np.int64)
        train_n[by_remainder.index.to_numpy()[:extra]] += 1
        drawn = codes[order]
        within = pd.Series(drawn).groupby(drawn).cumcount().to_numpy()
        test[order] = within >= train_n[drawn]
    return frame.iloc[np.flatnonzero(~test)], frame.iloc[np.flatnonzero(test)]`,
  },
  _read_json: {
    imports: ['json'],
    code: `def _read_json(path, dtypes):
    """A JSON array of objects, or one object per line, as Kanvas reads it: keys in order of first
    appearance, a missing key NULL, nested values (and anything in a text column) as JSON text."""
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    if text.lstrip().startswith("["):
        records = json.loads(text)
    else:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    names = list(dict.fromkeys(key for record in records for key in record))

    def cell(value, dtype):
        if value is None or (dtype != "string" and not isinstance(value, (dict, list))):
            return value
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    rows = [[cell(record.get(name), dtypes.get(name)) for name in names] for record in records]
    return pd.DataFrame(rows, columns=names, dtype=object).astype(dtypes)`,
  },
  _bools_as_text: {
    code: `def _bools_as_text(frame):
    """Boolean columns as DuckDB writes them (true/false, not True/False), found at run time: the export
    had no column types for this table (it comes from a fitted model, known only after a run)."""
    bools = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c].dtype)]
    if not bools:
        return frame
    return frame.astype({c: "string" for c in bools}).replace({c: {"True": "true", "False": "false"} for c in bools})`,
  },
  _makedirs: {
    imports: ['os'],
    code: `def _makedirs(path):
    """Creates the folder a file is written into."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)`,
  },
};
