/**
 * Model kinds a tuner can search, and how: each entry names a model node kind, its task, the
 * params worth tuning with their default ranges, and functions to fit, predict and describe the
 * fitted artifact and its scikit-learn equivalent (for exported code). `tune.hpo` and
 * `tune.automl` offer every kind listed here. To make a new model kind tunable, add an entry.
 */
import type { ColumnInfo } from '../db/database.ts';
import type { ModelArtifact } from '../ml/artifact.ts';
import { linearEstimator, logisticEstimator } from '../ml/codegen.ts';
import type { FitControl } from '../ml/control.ts';
import type { Label } from '../ml/labels.ts';
import { fitLinear, linearPredict, type LinearState, type Penalty } from '../ml/linear.ts';
import { fitLogistic, logisticPredict, type LogisticState } from '../ml/logistic.ts';
import { regressionMetrics } from '../ml/metrics.ts';
import { linear } from '../nodes/model/linear.ts';
import { logistic } from '../nodes/model/logistic.ts';
import { modelTunables } from '../ml/tunables.ts';
import { score, type Prediction } from './scoring.ts';
import type { Params, SearchSpace } from './space.ts';

/** Training rows for one fit: features column-major; the target as numbers or class indices. */
export type TrainData =
  | { task: 'regression'; X: Float64Array[]; y: Float64Array }
  | { task: 'classification'; X: Float64Array[]; y: Int32Array; classes: Label[]; targetType: string };

export interface TunableModel<S = unknown> {
  /** The model node kind; the tuner's best model is an artifact of this kind. */
  kind: string;
  title: string;
  task: 'regression' | 'classification';
  /** Default search space over the kind's own params (names as in its params). */
  space: SearchSpace;
  /** The kind's full params (defaults filled, validated) for tuned values. */
  params(tuned: Params, target: string, features: string[]): Record<string, unknown>;
  fit(data: TrainData, params: Record<string, unknown>, control: FitControl): S | Promise<S>;
  predict(state: S, X: Float64Array[]): Prediction;
  /** The fitted artifact (the tuner fills `training`). */
  artifact(state: S, data: TrainData, params: Record<string, unknown>, features: ColumnInfo[], target: string): Omit<ModelArtifact<S>, 'training'>;
  /** The same model in scikit-learn, for exported code: import lines and a constructor call. */
  sklearn(params: Record<string, unknown>): { imports: string[]; estimator: string };
}

const linearModel: TunableModel<LinearState> = {
  kind: 'model.linear',
  title: 'Linear regression',
  task: 'regression',
  space: {
    penalty: { type: 'categorical', choices: ['none', 'l2', 'l1', 'elasticnet'] },
    alpha: { type: 'float', low: 1e-4, high: 1e3, log: true },
    l1Ratio: { type: 'float', low: 0, high: 1 },
  },
  params: (tuned, target, features) => linear.params.parse({ ...tuned, target, features }),
  fit: (data, p) => {
    if (data.task !== 'regression') throw new Error('model.linear is a regression model');
    return fitLinear(data.X, data.y, { penalty: p['penalty'] as Penalty, alpha: p['alpha'] as number, l1Ratio: p['l1Ratio'] as number });
  },
  predict: (state, X) => ({ task: 'regression', value: linearPredict(state, X) }),
  artifact: (state, data, params, features, target) => ({
    format: 'kanvas.model',
    version: 1,
    kind: 'model.linear',
    task: 'regression',
    features,
    target,
    params,
    state,
    metrics: data.task === 'regression' ? regressionMetrics(data.y, linearPredict(state, data.X)) : {},
  }),
  sklearn: (p) => linearEstimator({ penalty: p['penalty'] as Penalty, alpha: p['alpha'] as number, l1Ratio: p['l1Ratio'] as number }),
};

/** Class probabilities per class, from logisticPredict's rows × classes layout. */
function probaColumns(proba: Float64Array, classes: number): Float64Array[] {
  const n = proba.length / classes;
  return Array.from({ length: classes }, (_, k) => Float64Array.from({ length: n }, (_, i) => proba[i * classes + k]!));
}

const logisticModel: TunableModel<LogisticState> = {
  kind: 'model.logistic',
  title: 'Logistic regression',
  task: 'classification',
  space: { C: { type: 'float', low: 1e-3, high: 1e3, log: true } },
  params: (tuned, target, features) => logistic.params.parse({ ...tuned, target, features }),
  fit: async (data, p, control) => {
    if (data.task !== 'classification') throw new Error('model.logistic is a classifier');
    const fit = await fitLogistic(data.X, data.y, data.classes.length, p['C'] as number, control);
    return { classes: data.classes, targetType: data.targetType, ...fit };
  },
  predict: (state, X) => ({ task: 'classification', proba: probaColumns(logisticPredict(state, X).proba, state.classes.length) }),
  artifact: (state, data, params, features, target) => {
    const pred = { task: 'classification' as const, proba: probaColumns(logisticPredict(state, data.X).proba, state.classes.length) };
    const truth = data.task === 'classification' ? { task: 'classification' as const, y: data.y, classes: state.classes.length } : null;
    return {
      format: 'kanvas.model',
      version: 1,
      kind: 'model.logistic',
      task: state.classes.length === 2 ? 'binary' : 'multiclass',
      features,
      target,
      classes: state.classes,
      params,
      state,
      metrics: truth ? { accuracy: score('accuracy', truth, pred), log_loss: score('log_loss', truth, pred) } : ({} as Record<string, number>),
    };
  },
  sklearn: (p) => logisticEstimator(p['C'] as number),
};

/** Every tunable model kind, in the order offered. */
export const tunableModels: TunableModel[] = [linearModel as TunableModel, logisticModel as TunableModel, ...modelTunables];

/** Distinct kinds (model.gbdt, model.random_forest and model.mlp have an entry per task). */
export const tunableKinds = [...new Set(tunableModels.map((m) => m.kind))] as [string, ...string[]];

/** The entry of a kind: for `task` when given (kinds that fit both tasks have one per task), else the first. */
export function tunableModel(kind: string, task?: 'regression' | 'classification'): TunableModel | undefined {
  return tunableModels.find((m) => m.kind === kind && (task === undefined || m.task === task));
}

export { pyFloat } from '../ml/codegen.ts';
