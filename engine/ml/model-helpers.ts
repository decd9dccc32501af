/**
 * Runtime helpers of exported code for model.gbdt, model.random_forest, model.mlp and
 * model.ensemble, in the shape of the export's helper registries, which spread them in next to
 * the model kinds' shared helpers. pandas: the fits use `_ml_fit` and `_ml_columns`, and what they
 * fit are scikit-learn estimators that `_ml_apply` applies (python-helpers.ts). PySpark: a fit is
 * an MLlib PipelineModel kept in a dict artifact of kind "mllib", which `_ml_spark_apply_mllib`
 * applies as model.predict does (`_ml_spark_apply` in spark-helpers.ts hands such artifacts to it).
 */
import type { PyHelper } from '../export/pandas-helpers.ts';

export const modelPandasHelpers: Record<string, PyHelper> = {
  _ml_is_classes: {
    code: `def _ml_is_classes(d, target, task="auto"):
    """Whether a model fits classes: as \`task\` says, or (auto) for a target that is not a number."""
    if task != "auto":
        return task == "classification"
    s = d[target]
    return not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)`,
  },
  _ml_ensemble: {
    code: `def _ml_ensemble(members, weights=None):
    """Kanvas' model.ensemble: the weighted mean of fitted models' predictions (regressors) or class
    probabilities (soft voting), each member reading the columns it was fitted on. Members must be
    fitted already (scikit-learn's VotingRegressor/VotingClassifier would refit them)."""
    weights = [1.0] * len(members) if not weights else [float(w) for w in weights]
    names = []
    for m in members:
        for c in m.feature_names_in_:
            if c not in names:
                names.append(c)

    class Ensemble:
        feature_names_in_ = np.array(names, dtype=object)
        kanvas_ = dict(getattr(members[0], "kanvas_", {}))

        def _columns(self, m, X):
            return X[list(m.feature_names_in_)]

        def predict(self, X):
            if hasattr(self, "classes_"):
                return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
            return sum(w * m.predict(self._columns(m, X)) for m, w in zip(members, weights)) / sum(weights)

    if all(hasattr(m, "predict_proba") for m in members):
        classes = members[0].classes_
        if any(list(m.classes_) != list(classes) for m in members):
            raise ValueError("ensemble members must have the same classes")

        def predict_proba(self, X):
            return sum(w * m.predict_proba(self._columns(m, X)) for m, w in zip(members, weights)) / sum(weights)

        Ensemble.classes_ = classes
        Ensemble.predict_proba = predict_proba
    elif any(hasattr(m, "predict_proba") for m in members):
        raise ValueError("an ensemble cannot mix classifiers and regressors")
    return Ensemble()`,
  },
};

export const modelSparkHelpers: Record<string, PyHelper> = {
  _ml_spark_fit_pipeline: {
    code: `def _ml_spark_fit_pipeline(d, features, target, estimator, classes=False):
    """Fits an MLlib estimator on columns of a DataFrame (model.gbdt, model.random_forest, model.mlp): the
    features assembled into one vector column, class labels indexed by StringIndexer. Returns the fitted
    artifact as the model kinds' PySpark helpers keep artifacts, a dict: kind "mllib", the features, the
    fitted PipelineModel and, for classes, the labels in Kanvas' order (sorted values) with the position of
    each in the indexer's order; _ml_spark_apply_mllib applies it."""
    from pyspark.ml import Pipeline
    from pyspark.ml.feature import StringIndexer, VectorAssembler

    stages = [VectorAssembler(inputCols=list(features), outputCol="_ml_features")]
    label = target
    if classes:
        stages.append(StringIndexer(inputCol=target, outputCol="_ml_label", stringOrderType="alphabetAsc"))
        label = "_ml_label"
    estimator.setFeaturesCol("_ml_features").setLabelCol(label).setPredictionCol("_ml_prediction")
    if hasattr(estimator, "setProbabilityCol"):
        estimator.setProbabilityCol("_ml_probability")
    if hasattr(estimator, "setRawPredictionCol"):
        estimator.setRawPredictionCol("_ml_raw")
    pipeline = Pipeline(stages=[*stages, estimator]).fit(d)
    artifact = {"kind": "mllib", "features": list(features), "target": target, "pipeline": pipeline, "classes": None}
    if classes:
        indexer_labels = pipeline.stages[1].labels
        # Each class value with the text StringIndexer indexed it by (Spark's cast to string).
        pairs = d.select(F.col(target).alias("v"), F.col(target).cast("string").alias("s")).distinct().collect()
        ordered = sorted(pairs, key=lambda r: r["v"])
        artifact["classes"] = [r["v"] for r in ordered]
        artifact["positions"] = [indexer_labels.index(r["s"]) for r in ordered]
        artifact["target_type"] = dict(d.dtypes)[target]
    return artifact`,
  },
  _ml_spark_apply_mllib: {
    uses: ['_ml_spark_col'],
    code: `def _ml_spark_apply_mllib(model, df):
    """Applies an artifact of _ml_spark_fit_pipeline as Kanvas' model.predict does: prediction (a class label
    of the target's type, for classifiers) and, for classes, probability (two classes: the second's; more:
    the predicted class's, and probability_<class> per class), replacing columns of those names."""
    from pyspark.ml.functions import vector_to_array

    out = model["pipeline"].transform(df)
    new = {}
    if model["classes"] is None:
        new["prediction"] = F.col("_ml_prediction")
    else:
        p = vector_to_array(F.col("_ml_probability"))
        proba = [p[j] for j in model["positions"]]
        classes = model["classes"]
        top = F.greatest(*proba)
        pick = F.when(proba[0] == top, F.lit(classes[0]))
        for k in range(1, len(classes)):
            pick = pick.when(proba[k] == top, F.lit(classes[k]))
        new["prediction"] = pick.cast(model["target_type"])
        if len(classes) == 2:
            new["probability"] = proba[1]
        else:
            new["probability"] = top
            for k, c in enumerate(classes):
                new[f"probability_{c}"] = proba[k]
    replaced = {n.lower() for n in new}
    kept = [_ml_spark_col(c) for c in df.columns if c.lower() not in replaced]
    return out.select(*kept, *[expr.alias(name) for name, expr in new.items()])`,
  },
};
