/** Runtime helpers of the PySpark export. */
import type { PyHelper } from './pandas-helpers.ts';

export const sparkHelpers: Record<string, PyHelper> = {
  _json_is_array: {
    code: `def _json_is_array(path):
    """Whether a JSON file holds one array (read with multiLine) rather than one object per line."""
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if line.strip():
                return line.lstrip().startswith("[")
    return False`,
  },
  _seeded: {
    code: `def _seeded(frame, seed):
    """Adds each row's rank in canonical order (all columns ascending, NULLs last; \`__rank\`) and its
    seeded key, splitmix64(rank + seed * 0x9E3779B97F4A7C15) in wrapping 64-bit arithmetic (\`__key\`),
    as Kanvas draws rows; \`__order\` sorts the keys as unsigned numbers. The ranking is one global sort."""
    signed = lambda u: u - 2**64 if u >= 2**63 else u
    canonical = Window.orderBy(*[F.col("\`" + c.replace("\`", "\`\`") + "\`").asc_nulls_last() for c in frame.columns])
    z = F.col("__rank") + F.lit(signed(seed * 11400714819323198485 % 2**64))
    z = z.bitwiseXOR(F.shiftrightunsigned(z, 30)) * F.lit(signed(13787848793156543929))
    z = z.bitwiseXOR(F.shiftrightunsigned(z, 27)) * F.lit(signed(10723151780598845931))
    return (
        frame.withColumn("__rank", F.row_number().over(canonical).cast("long"))
        .withColumn("__key", z.bitwiseXOR(F.shiftrightunsigned(z, 31)))
        .withColumn("__order", F.col("__key").bitwiseXOR(F.lit(-(2**63))))
    )`,
  },
  _sample: {
    uses: ['_seeded'],
    code: `def _sample(frame, n, fraction, seed):
    """n rows (or fraction * rows, rounded half to even) with the smallest seeded keys."""
    count = n if n is not None else round(fraction * frame.count())
    drawn = Window.orderBy("__order", "__rank")
    return (
        _seeded(frame, seed)
        .withColumn("__n", F.row_number().over(drawn))
        .filter(F.col("__n") <= count)
        .drop("__rank", "__key", "__order", "__n")
    )`,
  },
  _split: {
    uses: ['_seeded'],
    imports: ['math'],
    code: `def _split(frame, test_fraction, seed, stratify=None):
    """(train, test): ceil(test_fraction * rows) test rows by seeded key, as scikit-learn's train_test_split
    sizes them; with \`stratify\`, train rows are shared out over the classes by largest remainder (ties to
    the class that sorts first) and the rest of each class is test."""
    seeded = _seeded(frame, seed)
    total = frame.count()
    n_test = math.ceil(test_fraction * total)
    if stratify is None:
        drawn = seeded.withColumn("__n", F.row_number().over(Window.orderBy("__order", "__rank")))
        test = F.col("__n") <= n_test
    else:
        counts = {row[0]: row[1] for row in frame.groupBy(F.col("\`" + stratify.replace("\`", "\`\`") + "\`")).count().collect()}
        exact = {c: n * (total - n_test) / total for c, n in counts.items()}
        extra = int(math.floor(sum(exact.values()) + 0.5) - sum(math.floor(e) for e in exact.values()))
        ranked = sorted(counts, key=lambda c: (-(exact[c] - math.floor(exact[c])), c is None, c if c is not None else 0))
        quota = {c: math.floor(exact[c]) + (1 if i < extra else 0) for i, c in enumerate(ranked)}
        cls = F.col("\`" + stratify.replace("\`", "\`\`") + "\`")
        quotas = frame.sparkSession.createDataFrame(
            list(quota.items()), "__class " + frame.schema[stratify].dataType.simpleString() + ", __train_n long"
        )
        drawn = (
            seeded.join(F.broadcast(quotas), cls.eqNullSafe(F.col("__class")))
            .withColumn("__n", F.row_number().over(Window.partitionBy(cls).orderBy("__order", "__rank")))
        )
        test = F.col("__n") > F.col("__train_n")
    columns = [F.col("\`" + c.replace("\`", "\`\`") + "\`") for c in frame.columns]
    return drawn.filter(~test).select(*columns), drawn.filter(test).select(*columns)`,
  },
};
