/**
 * Runtime helpers of exported PySpark code for the model kinds, in the shape of the export's
 * helper registry (`engine/export/spark-helpers.ts`): the PySpark target's registry spreads these
 * in. A fitted artifact is a plain dict (statistics, categories, coefficients) that
 * `_ml_spark_apply` turns into column expressions, as Kanvas' SQL appliers do.
 *
 * Where MLlib fits the same model it is used (LinearRegression and LogisticRegression, with params
 * converted to scikit-learn's objective); where it does not, DataFrame aggregates compute what
 * scikit-learn computes: MLlib's StandardScaler divides by the sample standard deviation, its
 * MinMaxScaler maps a constant column to 0.5, its Imputer's median is approximate and it imputes
 * numbers only, and its OneHotEncoder needs a StringIndexer (frequency order) and drops the last
 * category — none of them would reproduce the engine's output.
 */
import type { PyHelper } from '../export/pandas-helpers.ts';

export const mlSparkHelpers: Record<string, PyHelper> = {
  _ml_spark_col: {
    code: `def _ml_spark_col(name):
    """A column by its exact name (backticks: dots and spaces are plain characters)."""
    return F.col("\`" + name.replace("\`", "\`\`") + "\`")`,
  },
  _ml_spark_columns: {
    code: `def _ml_spark_columns(df, names, exclude=None, kind="numeric"):
    """Columns a param names, matched case-insensitively as DuckDB matches them; with no names, every
    column of \`kind\` (numeric: numbers and booleans; categorical: strings and booleans; any) but \`exclude\`."""
    from pyspark.sql import types as T

    if names:
        by_lower = {c.lower(): c for c in df.columns}
        missing = [n for n in names if n.lower() not in by_lower]
        if missing:
            raise KeyError(f"columns not found: {missing}")
        return [by_lower[n.lower()] for n in names]
    skip = (exclude or "").lower()
    kinds = {"numeric": (T.NumericType, T.BooleanType), "categorical": (T.StringType, T.BooleanType)}
    return [f.name for f in df.schema.fields if f.name.lower() != skip and (kind == "any" or isinstance(f.dataType, kinds[kind]))]`,
  },
  _ml_spark_fit_scale: {
    uses: ['_ml_spark_col'],
    code: `def _ml_spark_fit_scale(df, columns, method):
    """features.scale from DataFrame aggregates: StandardScaler's mean and population standard deviation,
    or MinMaxScaler's min and range; a constant column keeps scale 1."""
    aggs = []
    for c in columns:
        x = _ml_spark_col(c).cast("double")
        aggs += [F.avg(x), F.stddev_pop(x)] if method == "standard" else [F.min(x), F.max(x)]
    row = df.agg(*aggs).first()
    shift, scale = [], []
    for j in range(len(columns)):
        a, b = row[2 * j], row[2 * j + 1]
        spread = b if method == "standard" else b - a
        shift.append(a)
        scale.append(spread if spread else 1.0)
    return {"kind": "features.scale", "columns": list(columns), "shift": shift, "scale": scale}`,
  },
  _ml_spark_fit_onehot: {
    uses: ['_ml_spark_col'],
    code: `def _ml_spark_fit_onehot(df, columns, drop_first):
    """features.onehot: each column's distinct values sorted as scikit-learn sorts them (a NULL last, named
    <column>_nan), one 0/1 double column per category (but the first, with drop_first)."""
    categories, names = {}, {}
    for c in columns:
        values = [r[0] for r in df.select(_ml_spark_col(c)).distinct().collect()]
        cats = sorted(v for v in values if v is not None) + ([None] if any(v is None for v in values) else [])
        if drop_first:
            cats = cats[1:]
        categories[c] = cats
        names[c] = [f"{c}_{'nan' if v is None else v}" for v in cats]
    return {"kind": "features.onehot", "columns": list(columns), "categories": categories, "names": names}`,
  },
  _ml_spark_fit_impute: {
    uses: ['_ml_spark_col'],
    code: `def _ml_spark_fit_impute(df, columns, strategy, fill_value=None):
    """features.impute from DataFrame aggregates over each column's non-NULL values: the mean; the exact
    median (percentile 0.5, the mean of the two middle values); the most frequent value (the smallest of
    those tied); or the constant (by default 0 for numbers, "missing_value" for text)."""
    from pyspark.sql import types as T

    values, types = {}, {}
    for c in columns:
        t = df.schema[c].dataType
        x = _ml_spark_col(c)
        numeric = isinstance(t, (T.NumericType, T.BooleanType))
        if strategy in ("mean", "median"):
            agg = F.avg(x.cast("double")) if strategy == "mean" else F.percentile(x.cast("double"), 0.5)
            value, kind = df.agg(agg).first()[0], "double"
        elif strategy == "most_frequent":
            top = df.where(x.isNotNull()).groupBy(x.alias("value")).count().orderBy(F.desc("count"), F.asc("value")).first()
            value, kind = (None if top is None else top["value"]), t.simpleString()
        else:
            value = fill_value if fill_value is not None else (0 if numeric else "missing_value")
            fractional = isinstance(value, float) and not value.is_integer() and isinstance(t, T.IntegralType)
            kind = "double" if fractional else t.simpleString()
        if value is None:
            raise ValueError(f'column "{c}" has only NULL values: there is no {strategy} to fill with')
        values[c], types[c] = value, kind
    return {"kind": "features.impute", "columns": list(columns), "values": values, "types": types}`,
  },
  _ml_spark_assemble: {
    uses: ['_ml_spark_col'],
    code: `def _ml_spark_assemble(df, features, label=None):
    """Features (as doubles, under safe names) in one vector column \`__features\`, and the label as \`__label\`."""
    from pyspark.ml.feature import VectorAssembler

    safe = [f"__f{j}" for j in range(len(features))]
    picked = [_ml_spark_col(c).cast("double").alias(s) for c, s in zip(features, safe)]
    if label is not None:
        picked.append(label.alias("__label"))
    return VectorAssembler(inputCols=safe, outputCol="__features").transform(df.select(*picked))`,
  },
  _ml_spark_fit_linear: {
    uses: ['_ml_spark_col', '_ml_spark_assemble'],
    code: `def _ml_spark_fit_linear(df, features, target, l1, l2):
    """model.linear with MLlib's LinearRegression, for scikit-learn's objective written as
    ‖y − Xw‖²/(2n) + l1·‖w‖₁ + l2·‖w‖²/2. MLlib (solver "normal", no standardization) minimizes
    ‖y − Xw‖²/(2n) + r·e·‖w‖₁ + (r/σ)(1 − e)·‖w‖²/2, σ the label's population standard deviation (it
    scales the label, as glmnet does), so regParam r = l1 + l2·σ and elasticNetParam e = l1 / r."""
    from pyspark.ml.regression import LinearRegression

    y = _ml_spark_col(target).cast("double")
    sigma = df.agg(F.stddev_pop(y)).first()[0] or 0.0
    reg = l1 + l2 * sigma
    net = l1 / reg if reg > 0 else 0.0
    data = _ml_spark_assemble(df, features, y)
    fitted = LinearRegression(
        featuresCol="__features", labelCol="__label", regParam=reg, elasticNetParam=net,
        standardization=False, solver="normal", tol=1e-12, maxIter=100000,
    ).fit(data)
    return {"kind": "model.linear", "features": list(features), "coef": [list(map(float, fitted.coefficients.toArray()))], "intercept": [float(fitted.intercept)]}`,
  },
  _ml_spark_fit_logistic: {
    uses: ['_ml_spark_col', '_ml_spark_assemble'],
    code: `def _ml_spark_fit_logistic(df, features, target, C):
    """model.logistic with MLlib's LogisticRegression. scikit-learn minimizes Σ loss + ‖W‖²/(2C); MLlib (no
    standardization, elasticNetParam 0) minimizes Σ loss / n + regParam·‖W‖²/2: the same model for
    regParam = 1/(C·n). Classes are the target's distinct values, sorted; for two the second is positive."""
    from pyspark.ml.classification import LogisticRegression

    label = _ml_spark_col(target)
    classes = sorted(r[0] for r in df.select(label).distinct().collect() if r[0] is not None)
    index = F.create_map(*[x for k, c in enumerate(classes) for x in (F.lit(c), F.lit(float(k)))])
    n = df.count()
    binary = len(classes) == 2
    fitted = LogisticRegression(
        featuresCol="__features", labelCol="__label", regParam=1.0 / (C * n), elasticNetParam=0.0,
        standardization=False, family="binomial" if binary else "multinomial", tol=1e-12, maxIter=100000,
    ).fit(_ml_spark_assemble(df, features, index[label]))
    if binary:
        coef, intercept = [list(map(float, fitted.coefficients.toArray()))], [float(fitted.intercept)]
    else:
        coef, intercept = fitted.coefficientMatrix.toArray().tolist(), list(map(float, fitted.interceptVector.toArray()))
    return {"kind": "model.logistic", "features": list(features), "classes": classes, "coef": coef, "intercept": intercept, "target_type": df.schema[target].dataType.simpleString()}`,
  },
  _ml_spark_apply: {
    uses: ['_ml_spark_col', '_ml_spark_apply_mllib'],
    code: `def _ml_spark_apply(model, df):
    """Applies a fitted artifact as Kanvas' model.predict does, with column expressions: scaled, imputed
    and one-hot columns where the input column stood; a model appends prediction (and probability: for two
    classes the second's; for more the predicted class's and probability_<class> per class), replacing
    columns of those names. A list of artifacts is applied in turn."""
    if isinstance(model, list):
        for m in model:
            df = _ml_spark_apply(m, df)
        return df
    kind = model["kind"]
    if kind == "mllib":
        return _ml_spark_apply_mllib(model, df)
    missing = [c for c in model["features" if "features" in model else "columns"] if c not in df.columns]
    if missing:
        raise KeyError(f"the data lacks columns the model was fitted on: {missing}")
    if kind == "features.scale":
        at = {c: j for j, c in enumerate(model["columns"])}
        return df.select(*[
            ((_ml_spark_col(c).cast("double") - F.lit(model["shift"][at[c]])) / F.lit(model["scale"][at[c]])).alias(c) if c in at else _ml_spark_col(c)
            for c in df.columns
        ])
    if kind == "features.impute":
        return df.select(*[
            F.coalesce(_ml_spark_col(c).cast(model["types"][c]), F.lit(model["values"][c]).cast(model["types"][c])).alias(c) if c in model["values"] else _ml_spark_col(c)
            for c in df.columns
        ])
    if kind == "features.onehot":
        picked = []
        for c in df.columns:
            if c not in model["categories"]:
                picked.append(_ml_spark_col(c))
                continue
            for value, name in zip(model["categories"][c], model["names"][c]):
                test = _ml_spark_col(c).isNull() if value is None else _ml_spark_col(c).eqNullSafe(F.lit(value))
                picked.append(F.when(test, F.lit(1.0)).otherwise(F.lit(0.0)).alias(name))
        return df.select(*picked)
    z = [F.lit(b) + sum((F.lit(w) * _ml_spark_col(c).cast("double") for w, c in zip(row, model["features"])), F.lit(0.0)) for row, b in zip(model["coef"], model["intercept"])]
    new = {}
    if kind == "model.linear":
        new["prediction"] = z[0]
    else:
        classes = model["classes"]
        label = lambda k: F.lit(classes[k]).cast(model["target_type"])
        if len(z) == 1:
            new["prediction"] = F.when(z[0] > 0, label(1)).when(z[0] <= 0, label(0))
            new["probability"] = F.when(z[0] >= 0, 1 / (1 + F.exp(-z[0]))).otherwise(F.exp(z[0]) / (1 + F.exp(z[0])))
        else:
            top = F.greatest(*z)
            e = [F.exp(zk - top) for zk in z]
            total = sum(e[1:], e[0])
            pick = F.when(z[0] == top, label(0))
            for k in range(1, len(z)):
                pick = pick.when(z[k] == top, label(k))
            new["prediction"] = pick
            new["probability"] = 1 / total
            for k, c in enumerate(classes):
                new[f"probability_{c}"] = e[k] / total
    replaced = {n.lower() for n in new}
    kept = [_ml_spark_col(c) for c in df.columns if c.lower() not in replaced]
    return df.select(*kept, *[expr.alias(name) for name, expr in new.items()])`,
  },
};
