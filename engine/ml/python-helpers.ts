/**
 * Runtime helpers of exported pandas code for the model kinds (fit, apply, evaluate,
 * cross-validate with scikit-learn), in the shape of the export's helper registry
 * (`engine/export/pandas-helpers.ts`): the pandas target's registry spreads these in. Each is
 * plain Python over pandas, numpy and scikit-learn; scikit-learn is imported inside the function
 * that needs it, so a module that fits nothing does not need it installed.
 *
 * In exported pandas code a fitted artifact is a fitted scikit-learn estimator (or a list of
 * them, applied in turn) with a `kanvas_` dict saying how its columns are read and what dtype
 * the target had; `_ml_apply` applies any of them as `model.predict` does in Kanvas.
 */
import type { PyHelper } from '../export/pandas-helpers.ts';

export const mlPandasHelpers: Record<string, PyHelper> = {
  _ml_is_numeric: {
    code: `def _ml_is_numeric(s):
    """Whether Kanvas counts a column as a number (numeric or boolean), as its default feature lists do."""
    return pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)`,
  },
  _ml_columns: {
    uses: ['_ml_is_numeric'],
    code: `def _ml_columns(d, names, exclude=None, kind="numeric"):
    """Columns a param names, matched case-insensitively as DuckDB matches them; with no names, every
    column of \`kind\` (numeric: numbers and booleans; categorical: text and booleans; any) but \`exclude\`."""
    if names:
        by_lower = {str(c).lower(): c for c in d.columns}
        missing = [n for n in names if n.lower() not in by_lower]
        if missing:
            raise KeyError(f"columns not found: {missing}")
        return [by_lower[n.lower()] for n in names]
    skip = (exclude or "").lower()

    def wanted(s):
        if kind == "numeric":
            return _ml_is_numeric(s)
        if kind == "categorical":
            return isinstance(s.dtype, pd.StringDtype) or pd.api.types.is_bool_dtype(s.dtype)
        return True

    return [c for c in d.columns if str(c).lower() != skip and wanted(d[c])]`,
  },
  _ml_numeric: {
    code: `def _ml_numeric(d, columns):
    """Columns as scikit-learn takes numbers: float64, NaN for a missing value."""
    return pd.DataFrame({c: d[c].to_numpy(dtype="float64", na_value=np.nan) for c in columns}, index=d.index, columns=list(columns))`,
  },
  _ml_categorical: {
    code: `def _ml_categorical(d, columns):
    """Columns as scikit-learn takes categories: Python objects, NaN for a missing value."""
    return pd.DataFrame({c: d[c].astype(object).where(d[c].notna(), np.nan) for c in columns}, index=d.index, columns=list(columns))`,
  },
  _ml_labels: {
    code: `def _ml_labels(s):
    \"\"\"Class labels as scikit-learn takes them: numbers and booleans as numpy values, text as Python strings.\"\"\"
    if isinstance(s.dtype, pd.StringDtype) or s.dtype == object:
        return s.astype(object).to_numpy()
    return s.to_numpy(dtype=getattr(s.dtype, "numpy_dtype", s.dtype))`,
  },
  _ml_fit: {
    uses: ['_ml_numeric', '_ml_categorical', '_ml_labels'],
    code: `def _ml_fit(estimator, d, columns, target=None, classes=False, categorical=False):
    """Fits a scikit-learn estimator on columns of a frame (and a target: numbers, or class labels with
    \`classes\`), and records what applying it needs: how the columns are read and the target's dtype."""
    X = _ml_categorical(d, columns) if categorical else _ml_numeric(d, columns)
    if target is None:
        estimator.fit(X)
    else:
        y = _ml_labels(d[target]) if classes else d[target].to_numpy(dtype="float64")
        estimator.fit(X, y)
    estimator.kanvas_ = {"categorical": categorical, "target_dtype": str(d[target].dtype) if target is not None and classes else None}
    return estimator`,
  },
  _ml_impute: {
    uses: ['_ml_fit', '_ml_is_numeric'],
    code: `def _ml_impute(d, columns, strategy, fill_value=None):
    """SimpleImputers fitted as Kanvas' features.impute: numeric (and boolean) columns as numbers, text
    columns as text, each with scikit-learn's default constant for its kind (0, "missing_value")."""
    from sklearn.impute import SimpleImputer

    numeric = [c for c in columns if _ml_is_numeric(d[c])]
    text = [c for c in columns if c not in numeric]
    fitted = []
    for group, categorical in ((numeric, False), (text, True)):
        if group:
            kw = {} if fill_value is None else {"fill_value": fill_value}
            fitted.append(_ml_fit(SimpleImputer(strategy=strategy, **kw), d, group, categorical=categorical))
    return fitted`,
  },
  _ml_apply: {
    uses: ['_ml_numeric', '_ml_categorical'],
    code: `def _ml_apply(model, d):
    """Applies a fitted artifact as Kanvas' model.predict does. A transformer gives the transformed frame:
    scaled or imputed columns replaced where they stood, one-hot columns in place of the column they encode,
    unselected features dropped. A model appends \`prediction\` (and for a classifier \`probability\`: for two
    classes the second's, for more the predicted class's and \`probability_<class>\` per class), replacing
    columns of those names. A list of artifacts is applied in turn."""
    if isinstance(model, list):
        for m in model:
            d = _ml_apply(m, d)
        return d
    info = getattr(model, "kanvas_", {})
    names = list(model.feature_names_in_)
    missing = [c for c in names if c not in d.columns]
    if missing:
        raise KeyError(f"the data lacks columns the model was fitted on: {missing}")
    X = _ml_categorical(d, names) if info.get("categorical") else _ml_numeric(d, names)
    if hasattr(model, "predict"):
        new = {}
        prediction = pd.Series(model.predict(X), index=d.index)
        if hasattr(model, "predict_proba"):
            proba = model.predict_proba(X)
            new["prediction"] = prediction.astype(info["target_dtype"]) if info.get("target_dtype") else prediction
            if proba.shape[1] == 2:
                new["probability"] = pd.Series(proba[:, 1], index=d.index, dtype="Float64")
            else:
                new["probability"] = pd.Series(proba.max(axis=1), index=d.index, dtype="Float64")
                for k, label in enumerate(model.classes_):
                    new[f"probability_{label}"] = pd.Series(proba[:, k], index=d.index, dtype="Float64")
        else:
            new["prediction"] = prediction.astype("Float64")
        replaced = {n.lower() for n in new}
        kept = d[[c for c in d.columns if str(c).lower() not in replaced]]
        return pd.concat([kept, pd.DataFrame(new, index=d.index)], axis=1)
    Y = model.transform(X)
    if hasattr(model, "categories_"):
        out_names = list(model.get_feature_names_out())
        drop = getattr(model, "drop_idx_", None)
        ranges, start = {}, 0
        for i, c in enumerate(names):
            width = len(model.categories_[i]) - (0 if drop is None or drop[i] is None else 1)
            ranges[c] = range(start, start + width)
            start += width
        columns = {}
        for c in d.columns:
            if c in ranges:
                for j in ranges[c]:
                    columns[out_names[j]] = pd.Series(Y[:, j], index=d.index, dtype="Float64")
            else:
                columns[c] = d[c]
        return pd.DataFrame(columns, index=d.index)
    if hasattr(model, "get_support"):
        keep = dict(zip(names, model.get_support()))
        return d[[c for c in d.columns if keep.get(c, True)]]
    out = d.copy()
    strategy = getattr(model, "strategy", None)
    for i, c in enumerate(names):
        column = pd.Series(Y[:, i], index=d.index)
        if strategy in ("most_frequent", "constant"):
            as_is = column.astype(d[c].dtype) if not pd.api.types.is_integer_dtype(d[c].dtype) else None
            if as_is is None:
                whole = column.astype("float64")
                as_is = whole.astype(d[c].dtype) if (whole == whole.round()).all() else whole.astype("Float64")
            out[c] = as_is
        else:
            out[c] = column.astype("Float64")
    return out`,
  },
  _ml_classification: {
    imports: ['math'],
    code: `def _ml_classification(y, pred, positive=None, probability=None, class_probabilities=None):
    """Kanvas' classification metrics with scikit-learn: accuracy, precision, recall and F1 (two labels:
    the positive one's; more: macro averages; zero_division=0), log loss and ROC AUC from the positive
    label's probability (two labels) or one probability column per class (a frame of probability_<label>)."""
    from sklearn import metrics

    y = np.asarray(y)
    pred = np.asarray(pred)
    labels = sorted(set(y.tolist()) | set(pred.tolist()))
    pos = labels[-1] if positive is None else next((l for l in labels if str(l) == str(positive)), positive)
    binary = len(labels) <= 2 and class_probabilities is None
    kw = {"average": "binary", "pos_label": pos} if binary else {"average": "macro", "labels": labels}
    result = {
        "accuracy": metrics.accuracy_score(y, pred),
        "precision": metrics.precision_score(y, pred, zero_division=0, **kw),
        "recall": metrics.recall_score(y, pred, zero_division=0, **kw),
        "f1": metrics.f1_score(y, pred, zero_division=0, **kw),
        "log_loss": None,
        "roc_auc": None,
    }
    if class_probabilities is not None:
        by_text = {str(l): l for l in labels}
        suffixes = [str(c)[len("probability_"):] for c in class_probabilities.columns]
        classes = [by_text.get(s, s) for s in suffixes]
        P = class_probabilities.to_numpy(dtype="float64")
        if len(classes) >= 2 and all(v in classes for v in y.tolist()):
            # Classes as column positions: scikit-learn sorts labels, and these are in column order.
            index = [classes.index(v) for v in y.tolist()]
            positions = list(range(len(classes)))
            result["log_loss"] = metrics.log_loss(index, P, labels=positions)
            if set(positions) <= set(index):
                result["roc_auc"] = metrics.roc_auc_score(index, P, multi_class="ovr", labels=positions)
    elif probability is not None:
        p = np.asarray(probability, dtype="float64")
        is_pos = (y == pos).astype(int)
        result["log_loss"] = metrics.log_loss(is_pos, p, labels=[0, 1])
        if 0 < is_pos.sum() < len(is_pos):
            result["roc_auc"] = metrics.roc_auc_score(is_pos, p)
    return {k: (None if v is None else float(v)) for k, v in result.items()}`,
  },
  _ml_regression: {
    imports: ['math'],
    code: `def _ml_regression(y, pred):
    """Kanvas' regression metrics with scikit-learn: mse, rmse, mae, r2."""
    from sklearn import metrics

    y = np.asarray(y, dtype="float64")
    pred = np.asarray(pred, dtype="float64")
    mse = metrics.mean_squared_error(y, pred)
    return {"mse": float(mse), "rmse": math.sqrt(mse), "mae": float(metrics.mean_absolute_error(y, pred)), "r2": float(metrics.r2_score(y, pred))}`,
  },
  _ml_metrics_frame: {
    code: `def _ml_metrics_frame(values):
    """A metrics table as Kanvas writes it: metric, value (NULL where undefined)."""
    return pd.DataFrame({"metric": pd.array(list(values), dtype="string"), "value": pd.array(list(values.values()), dtype="Float64")})`,
  },
  _ml_evaluate: {
    uses: ['_ml_classification', '_ml_regression', '_ml_metrics_frame', '_ml_labels'],
    code: `def _ml_evaluate(d, target, prediction="prediction", probability="probability", task="auto", positive=None):
    """Kanvas' model.evaluate: (metrics frame, report dict). A regression when the target and prediction are
    numbers and there are no probability columns (or \`task\` says so); classification otherwise."""
    by_lower = {str(c).lower(): c for c in d.columns}
    t, p, pr = by_lower[target.lower()], by_lower[prediction.lower()], by_lower.get(probability.lower())
    class_columns = [c for c in d.columns if str(c).lower().startswith("probability_") and c not in (t, p)]
    numbers = all(pd.api.types.is_numeric_dtype(d[c].dtype) and not pd.api.types.is_bool_dtype(d[c].dtype) for c in (t, p))
    if task == "auto":
        task = "regression" if numbers and pr is None and not class_columns else "classification"
    if task == "regression":
        values = _ml_regression(d[t].to_numpy(dtype="float64"), d[p].to_numpy(dtype="float64"))
        return _ml_metrics_frame(values), {"task": task, "metrics": values}
    y = _ml_labels(d[t])
    pred = _ml_labels(d[p])
    values = _ml_classification(
        y,
        pred,
        positive,
        probability=d[pr].to_numpy(dtype="float64") if pr is not None and not class_columns and len(set(y.tolist()) | set(pred.tolist())) <= 2 else None,
        class_probabilities=d[class_columns] if class_columns else None,
    )
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(y.tolist()) | set(pred.tolist()))
    confusion = pd.DataFrame(confusion_matrix(y, pred, labels=labels), index=[str(l) for l in labels], columns=[str(l) for l in labels])
    return _ml_metrics_frame(values), {"task": task, "metrics": values, "confusion_matrix": confusion}`,
  },
  _ml_cross_validate: {
    uses: ['_ml_numeric', '_ml_classification', '_ml_regression', '_ml_labels'],
    code: `def _ml_cross_validate(estimator, d, features, target, k, seed, stratified=False, classes=False):
    """Kanvas' model.cross_validate: scikit-learn's KFold (or StratifiedKFold) with shuffle=True and the
    seed, the estimator refitted on each training fold and scored on its test fold; one row per fold."""
    from sklearn.base import clone
    from sklearn.model_selection import KFold, StratifiedKFold

    X = _ml_numeric(d, features)
    y = _ml_labels(d[target]) if classes else d[target].to_numpy(dtype="float64")
    splitter = (StratifiedKFold if stratified else KFold)(n_splits=k, shuffle=True, random_state=seed)
    rows = []
    for fold, (train, test) in enumerate(splitter.split(X, y), start=1):
        model = clone(estimator).fit(X.iloc[train], y[train])
        Xt = X.iloc[test]
        if classes:
            proba = model.predict_proba(Xt)
            if proba.shape[1] == 2:
                scores = _ml_classification(y[test], model.predict(Xt), model.classes_[1], probability=proba[:, 1])
            else:
                frame = pd.DataFrame(proba, columns=[f"probability_{c}" for c in model.classes_])
                scores = _ml_classification(y[test], model.predict(Xt), class_probabilities=frame)
        else:
            scores = _ml_regression(y[test], model.predict(Xt))
        rows.append({"fold": fold, "train_rows": len(train), "test_rows": len(test), **scores})
    frame = pd.DataFrame(rows)
    return frame.astype({c: "Int64" for c in ("fold", "train_rows", "test_rows")} | {c: "Float64" for c in frame.columns[3:]})`,
  },
  _ml_select_scores: {
    code: `def _ml_select_scores(selector):
    """features.select's scores table: feature, score, p_value (F-test), selected."""
    names = list(selector.feature_names_in_)
    pvalues = getattr(selector, "pvalues_", None)
    return pd.DataFrame({
        "feature": pd.array(names, dtype="string"),
        "score": pd.array(selector.scores_, dtype="Float64"),
        "p_value": pd.array([None] * len(names) if pvalues is None else pvalues, dtype="Float64"),
        "selected": pd.array(selector.get_support(), dtype="boolean"),
    })`,
  },
};
