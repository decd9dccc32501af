"""Optuna 3.1 on the benchmark functions of bench/tuners (same definitions as functions.ts).

    /usr/bin/python3 bench/tuners/optuna_bench.py --trials 100 --seeds 5 --samplers tpe,random

Prints JSON: {"optuna": version, "runs": [{"function", "sampler", "seed", "best": [best-so-far per trial]}]}.
"""
import argparse
import json
import math
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def hartmann6(x):
    return -sum(H_ALPHA[i] * math.exp(-sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6))) for i in range(4))


def rosenbrock4(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(3))


FUNCTIONS = {
    "Branin": (branin, [(-5, 10), (0, 15)]),
    "Hartmann6": (hartmann6, [(0, 1)] * 6),
    "Rosenbrock-4D": (rosenbrock4, [(-5, 10)] * 4),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--samplers", default="tpe,random")
    args = ap.parse_args()
    runs = []
    for name, (f, bounds) in FUNCTIONS.items():
        for sampler_name in args.samplers.split(","):
            for seed in range(args.seeds):
                sampler = optuna.samplers.TPESampler(seed=seed) if sampler_name == "tpe" else optuna.samplers.RandomSampler(seed=seed)
                study = optuna.create_study(sampler=sampler)

                def objective(trial):
                    return f([trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)])

                study.optimize(objective, n_trials=args.trials)
                best, acc = [], math.inf
                for t in study.trials:
                    acc = min(acc, t.value)
                    best.append(acc)
                runs.append({"function": name, "sampler": sampler_name, "seed": seed, "best": best})
    json.dump({"optuna": optuna.__version__, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()
