"""scikit-learn's side of `npm run bench:models`: fits HistGradientBoostingRegressor/Classifier and
LinearRegression on the data bench/models/models.ts wrote (float64, row-major: features then the
regression target then the class) and prints one JSON object per model: the fastest of `repeat`
fit times in seconds and the test metric. Run with Debian's python (scikit-learn 1.2); the thread
count is whatever OpenMP is given (OMP_NUM_THREADS).

    /usr/bin/python3 bench/models/sklearn_bench.py DATA.f64 ROWS FEATURES TRAIN_ROWS REPEAT
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

path, rows, features, train, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
data = np.fromfile(path, dtype='<f8').reshape(rows, features + 2)
X, y, cls = data[:, :features], data[:, features], data[:, features + 1].astype(int)
Xtr, Xte = X[:train], X[train:]


def timed(make, fit_y):
    best, model = float('inf'), None
    for _ in range(repeat):
        m = make()
        t = time.perf_counter()
        m.fit(Xtr, fit_y)
        best = min(best, time.perf_counter() - t)
        model = m
    return best, model


threads = _openmp_effective_n_threads()
t, m = timed(lambda: HistGradientBoostingRegressor(random_state=42), y[:train])
print(json.dumps({'model': 'gbdt-regression', 'threads': threads, 'seconds': t, 'metric': 'r2', 'value': r2_score(y[train:], m.predict(Xte)), 'iterations': int(m.n_iter_)}))
t, m = timed(lambda: HistGradientBoostingClassifier(random_state=42), cls[:train])
print(json.dumps({'model': 'gbdt-classification', 'threads': threads, 'seconds': t, 'metric': 'auc', 'value': roc_auc_score(cls[train:], m.predict_proba(Xte)[:, 1]), 'iterations': int(m.n_iter_)}))
t, m = timed(lambda: LinearRegression(), y[:train])
print(json.dumps({'model': 'linear', 'threads': threads, 'seconds': t, 'metric': 'r2', 'value': r2_score(y[train:], m.predict(Xte))}))
