/** Runtime helpers of the Beam export: rows are dicts (None is NULL); an ordered table is one list. */
import type { PyHelper } from './pandas-helpers.ts';

export const beamTableHelpers: Record<string, PyHelper> = {
  _row: {
    imports: ['datetime', 'math'],
    code: `def _row(mapping):
    """A row as a dict of plain Python values: NaN, NA and NaT become None, numpy and pandas
    scalars become int, float, bool, str or datetime."""
    row = {}
    for name, value in mapping.items():
        if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "NaT"):
            row[name] = None
        elif hasattr(value, "to_pydatetime"):
            row[name] = value.to_pydatetime()
        elif hasattr(value, "item"):
            row[name] = value.item()
        else:
            row[name] = value
    return row`,
  },
  _json_rows: {
    imports: ['json'],
    code: `def _json_rows(path, text_columns):
    """Rows of a JSON array of objects, or of one object per line, as Kanvas reads them: keys in order
    of first appearance, a missing key None, nested values (and anything in a text column) as JSON text."""
    with FileSystems.open(path) as f:
        text = f.read().decode("utf-8-sig")
    if text.lstrip().startswith("["):
        records = json.loads(text)
    else:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    names = list(dict.fromkeys(key for record in records for key in record))
    for record in records:
        row = {}
        for name in names:
            value = record.get(name)
            if value is not None and (isinstance(value, (dict, list)) or (name in text_columns and not isinstance(value, str))):
                value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            row[name] = value
        yield row`,
  },
  _csv_text: {
    code: `def _csv_text(value):
    """A value as DuckDB writes it in CSV: NULL empty, booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)`,
  },
  _csv_line: {
    uses: ['_csv_text'],
    imports: ['csv', 'io'],
    code: `def _csv_line(row, columns, delimiter):
    """One CSV line (no line break) of a row's values in \`columns\` order, quoted where needed."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow([_csv_text(row[c]) for c in columns])
    return out.getvalue()`,
  },
  _write_csv_file: {
    uses: ['_csv_text'],
    imports: ['csv', 'io'],
    code: `def _write_csv_file(rows, path, columns, delimiter, header):
    """Writes an ordered table (one list of rows) to one CSV file, in its order."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\\n")
    if header:
        writer.writerow(columns)
    writer.writerows([_csv_text(row[c]) for c in columns] for row in rows)
    with FileSystems.create(path) as f:
        f.write(out.getvalue().encode("utf-8"))
    return path`,
  },
  _arrow_schema: {
    imports: ['json'],
    code: `def _arrow_schema(columns_json):
    """A pyarrow schema for [name, DuckDB type] pairs."""
    import pyarrow as pa

    types = {
        "BOOLEAN": pa.bool_(), "TINYINT": pa.int8(), "SMALLINT": pa.int16(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
        "FLOAT": pa.float32(), "DOUBLE": pa.float64(), "VARCHAR": pa.string(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
    }
    return pa.schema([(name, types.get(kind, pa.float64() if kind.startswith("DECIMAL") else pa.string())) for name, kind in json.loads(columns_json)])`,
  },
  _write_parquet_file: {
    code: `def _write_parquet_file(rows, path, columns):
    """Writes an ordered table (one list of rows) to one Parquet file, in its order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({c: [row[c] for row in rows] for c in columns})
    with FileSystems.create(path) as f:
        pq.write_table(table, f)
    return path`,
  },
  _sort_rows: {
    code: `def _sort_rows(rows, keys):
    """Rows ordered by (column, descending, nulls_first) keys, most significant first; ties keep their order."""
    rows = list(rows)
    for column, descending, nulls_first in reversed(keys):
        present = sorted((r for r in rows if r[column] is not None), key=lambda r: r[column], reverse=descending)
        missing = [r for r in rows if r[column] is None]
        rows = missing + present if nulls_first else present + missing
    return rows`,
  },
  _aggregate: {
    imports: ['statistics'],
    code: `def _aggregate(key, rows, key_columns, specs):
    """One output row of a group: its keys, then each (name, function, column) as DuckDB computes it
    (NULLs ignored; NULL over no values, but count gives 0)."""
    rows = list(rows)
    out = dict(zip(key_columns, key))
    for name, fn, column in specs:
        values = [row[column] for row in rows if row[column] is not None] if column is not None else []
        if fn == "count":
            out[name] = len(rows) if column is None else len(values)
        elif fn == "count_distinct":
            out[name] = len(set(values))
        elif not values:
            out[name] = None
        elif fn == "sum":
            out[name] = sum(values)
        elif fn == "mean":
            out[name] = statistics.fmean(values)
        elif fn == "min":
            out[name] = min(values)
        elif fn == "max":
            out[name] = max(values)
        elif fn == "std":
            out[name] = statistics.stdev(values) if len(values) > 1 else None
        else:
            out[name] = float(statistics.median(values))
    return out`,
  },
  _join_key: {
    imports: ['uuid'],
    code: `def _join_key(row, columns):
    """The join key of a row; a row with a NULL key gets a key of its own (NULL matches nothing in SQL)."""
    key = tuple(row[c] for c in columns)
    return ("null", uuid.uuid4().hex) if any(v is None for v in key) else ("key", key)`,
  },
  _join_rows: {
    code: `def _join_rows(item, how, outputs):
    """The joined rows of one key: \`outputs\` lists (name, side, column, other side's column to
    coalesce with or None); unmatched rows are kept as \`how\` says, the other side NULL."""
    _, sides = item
    lefts, rights = list(sides["left"]), list(sides["right"])
    pairs = [(l, r) for l in lefts for r in rights]
    if not rights and how in ("left", "outer"):
        pairs += [(l, None) for l in lefts]
    if not lefts and how in ("right", "outer"):
        pairs += [(None, r) for r in rights]
    for l, r in pairs:
        row = {}
        for name, side, column, other in outputs:
            source, fallback = (l, r) if side == "left" else (r, l)
            value = source[column] if source is not None else None
            if value is None and other is not None and fallback is not None:
                value = fallback[other]
            row[name] = value
        yield row`,
  },
  _window: {
    uses: ['_sort_rows'],
    code: `def _window(rows, partition_by, order_by, specs):
    """Window columns over rows: per partition, in (column, descending) order (NULLs last), each
    (name, fn, column, offset, size, min_periods) as DuckDB computes it; rows keep their order."""
    rows = [dict(r) for r in rows]
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[c] for c in partition_by), []).append(row)
    for group in groups.values():
        ordered = _sort_rows(group, [(c, d, False) for c, d in order_by])
        keys = [tuple(r[c] for c, _ in order_by) for r in ordered]
        for name, fn, column, offset, size, min_periods in specs:
            for i, row in enumerate(ordered):
                if fn == "row_number":
                    row[name] = i + 1
                elif fn in ("rank", "dense_rank"):
                    first = next(j for j in range(i + 1) if keys[j] == keys[i]) if order_by else i
                    row[name] = first + 1 if fn == "rank" else (len(set(keys[: first + 1])) if order_by else i + 1)
                elif fn in ("lag", "lead"):
                    j = i - offset if fn == "lag" else i + offset
                    row[name] = ordered[j][column] if 0 <= j < len(ordered) else None
                else:
                    kind, agg = fn.split("_")
                    frame = ordered[: i + 1] if kind == "running" else ordered[max(0, i - size + 1) : i + 1]
                    values = [r[column] for r in frame if r[column] is not None]
                    if agg == "count":
                        row[name] = len(values)
                    elif not values or (kind == "rolling" and len(values) < min_periods):
                        row[name] = None
                    else:
                        row[name] = {"sum": sum, "min": min, "max": max}.get(agg, lambda v: sum(v) / len(v))(values)
    return rows`,
  },
  _seeded_order: {
    code: `def _seeded_order(rows, seed):
    """Row positions in draw order: by splitmix64(rank + seed * 0x9E3779B97F4A7C15), the rank being
    the row's place in canonical order (all columns ascending, NULLs last, from 1), as Kanvas draws."""
    mask = 2**64 - 1
    columns = list(rows[0]) if rows else []
    canonical = sorted(range(len(rows)), key=lambda i: tuple((rows[i][c] is None, rows[i][c] if rows[i][c] is not None else 0) for c in columns))
    rank = [0] * len(rows)
    for place, i in enumerate(canonical):
        rank[i] = place + 1

    def key(r):
        z = (r + seed * 11400714819323198485) & mask
        z = ((z ^ (z >> 30)) * 13787848793156543929) & mask
        z = ((z ^ (z >> 27)) * 10723151780598845931) & mask
        return z ^ (z >> 31)

    return sorted(range(len(rows)), key=lambda i: (key(rank[i]), rank[i]))`,
  },
  _sample_rows: {
    uses: ['_seeded_order'],
    code: `def _sample_rows(rows, n, fraction, seed):
    """n rows (or fraction * rows, rounded half to even) with the smallest seeded keys, in input order."""
    rows = list(rows)
    count = n if n is not None else round(fraction * len(rows))
    picked = sorted(_seeded_order(rows, seed)[:count])
    return [rows[i] for i in picked]`,
  },
  _split_rows: {
    uses: ['_seeded_order'],
    imports: ['math'],
    code: `def _split_rows(rows, test_fraction, seed, stratify):
    """(train, test) lists in input order: ceil(test_fraction * rows) test rows by seeded key; with
    \`stratify\`, train rows shared out over the classes by largest remainder, the rest of each class test."""
    rows = list(rows)
    order = _seeded_order(rows, seed)
    total = len(rows)
    n_test = math.ceil(test_fraction * total)
    if stratify is None:
        test = set(order[:n_test])
    else:
        counts = {}
        for row in rows:
            counts[row[stratify]] = counts.get(row[stratify], 0) + 1
        exact = {c: n * (total - n_test) / total for c, n in counts.items()}
        extra = int(math.floor(sum(exact.values()) + 0.5) - sum(math.floor(e) for e in exact.values()))
        ranked = sorted(counts, key=lambda c: (-(exact[c] - math.floor(exact[c])), c is None, c if c is not None else 0))
        quota = {c: math.floor(exact[c]) + (1 if i < extra else 0) for i, c in enumerate(ranked)}
        seen, test = {}, set()
        for i in order:
            c = rows[i][stratify]
            seen[c] = seen.get(c, 0) + 1
            if seen[c] > quota[c]:
                test.add(i)
    return [r for i, r in enumerate(rows) if i not in test], [r for i, r in enumerate(rows) if i in test]`,
  },
};
