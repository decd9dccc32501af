/**
 * The tuner registry's entries (engine/tune/models.ts) for model.gbdt, model.random_forest and
 * model.mlp. Each kind fits both tasks and a registry entry has one, so each kind has an entry per
 * task (`tunableModel(kind, task)` finds the right one). The entry's params pin the kind's `task`
 * param; its fit, predict and artifact follow the data's task, so an entry found by kind alone
 * still fits classes correctly (its scikit-learn estimator, though, is the entry's task's).
 */
import type { ColumnInfo } from '../db/database.ts';
import type { TrainData, TunableModel } from '../tune/models.ts';
import type { Prediction } from '../tune/scoring.ts';
import type { Params, SearchSpace } from '../tune/space.ts';
import type { ModelArtifact } from './artifact.ts';
import type { FitControl } from './control.ts';
import { fitForest, forestPredict } from './forest.ts';
import { fitGbdt, gbdtPredict } from './gbdt.ts';
import { fitMlp, mlpPredict } from './mlp.ts';
import { histGradientBoostingArgs, mlpArgs, randomForestArgs, type ForestParams, type GbdtParams, type MlpParams } from './model-codegen.ts';
import { type Scores, type Supervised, trainingMetrics } from './supervised.ts';
import { forestOptions, forestParams } from '../nodes/model/random-forest.ts';
import { gbdtOptions, gbdtParams } from '../nodes/model/gbdt.ts';
import { mlpOptions, mlpParams } from '../nodes/model/mlp.ts';

type Task = 'regression' | 'classification';

function target(data: TrainData): { task: 'regression'; y: Float64Array } | { task: 'classification'; y: Int32Array; classes: number } {
  return data.task === 'regression' ? { task: 'regression', y: data.y } : { task: 'classification', y: data.y, classes: data.classes.length };
}

function supervised(data: TrainData): Supervised {
  return data.task === 'regression' ? data : { ...data, labels: Array.from(data.y, (k) => data.classes[k]!) };
}

function scores(p: { value: Float64Array } | { proba: Float64Array[] }): Scores {
  return 'value' in p ? { task: 'regression', value: p.value } : { task: 'classification', proba: p.proba };
}

function prediction(s: Scores): Prediction {
  return s.task === 'regression' ? { task: 'regression', value: s.value } : { task: 'classification', proba: s.proba };
}

/** One registry entry of a kind fitted by `fit` (state without the target's type, which is added here). */
function entry<S extends object>(o: {
  kind: string;
  title: string;
  task: Task;
  space: SearchSpace;
  parse(input: Record<string, unknown>): Record<string, unknown>;
  fit(X: Float64Array[], y: ReturnType<typeof target>, params: Record<string, unknown>, control: FitControl): Promise<S>;
  predict(state: S, X: Float64Array[]): { value: Float64Array } | { proba: Float64Array[] };
  sklearn(params: Record<string, unknown>): { imports: string[]; estimator: string };
}): TunableModel<S & { targetType?: string }> {
  const artifactOf = (state: S & { targetType?: string }, data: TrainData, params: Record<string, unknown>, features: ColumnInfo[], targetName: string): Omit<ModelArtifact<S>, 'training'> => ({
    format: 'kanvas.model',
    version: 1,
    kind: o.kind,
    task: data.task === 'regression' ? 'regression' : data.classes.length === 2 ? 'binary' : 'multiclass',
    features,
    target: targetName,
    ...(data.task === 'classification' ? { classes: data.classes } : {}),
    // The task the model was fitted for (an entry found by kind alone may fit the other task).
    params: { ...params, task: data.task },
    state,
  });
  return {
    kind: o.kind,
    title: o.title,
    task: o.task,
    space: o.space,
    params: (tuned: Params, targetName: string, features: string[]) => o.parse({ ...tuned, target: targetName, features, task: o.task }),
    fit: async (data, params, control) => {
      const state = await o.fit(data.X, target(data), params, control);
      return data.task === 'classification' ? { ...state, targetType: data.targetType } : state;
    },
    predict: (state, X) => prediction(scores(o.predict(state, X))),
    artifact: (state, data, params, features, targetName) => ({
      ...artifactOf(state, data, params, features, targetName),
      metrics: trainingMetrics(supervised(data), scores(o.predict(state, data.X))),
    }),
    sklearn: o.sklearn,
  };
}

const gbdtEntry = (task: Task) =>
  entry({
    kind: 'model.gbdt',
    title: `Gradient boosting (${task})`,
    task,
    space: {
      learningRate: { type: 'float', low: 0.01, high: 0.3, log: true },
      maxIter: { type: 'int', low: 50, high: 300, step: 50 },
      maxLeafNodes: { type: 'int', low: 8, high: 64, log: true },
      minSamplesLeaf: { type: 'int', low: 5, high: 100, log: true },
      l2Regularization: { type: 'float', low: 1e-4, high: 10, log: true },
    },
    parse: (input) => gbdtParams.parse(input),
    fit: (X, y, p, control) => fitGbdt(X, y, gbdtOptions(gbdtParams.parse(p)), control),
    predict: gbdtPredict,
    sklearn: (p) => ({
      imports: [`from sklearn.ensemble import ${task === 'regression' ? 'HistGradientBoostingRegressor' : 'HistGradientBoostingClassifier'}`],
      estimator: `${task === 'regression' ? 'HistGradientBoostingRegressor' : 'HistGradientBoostingClassifier'}(${histGradientBoostingArgs(p as unknown as GbdtParams)})`,
    }),
  });

const forestEntry = (task: Task) =>
  entry({
    kind: 'model.random_forest',
    title: `Random forest (${task})`,
    task,
    space: {
      nEstimators: { type: 'int', low: 50, high: 300, step: 50 },
      maxDepth: { type: 'categorical', choices: [0, 4, 8, 16] },
      minSamplesLeaf: { type: 'int', low: 1, high: 20, log: true },
      maxFeatures: { type: 'categorical', choices: ['sqrt', 'log2', 'all'] },
    },
    parse: (input) => forestParams.parse(input),
    fit: (X, y, p, control) => fitForest(X, y, forestOptions(forestParams.parse(p)), control),
    predict: forestPredict,
    sklearn: (p) => ({
      imports: [`from sklearn.ensemble import ${task === 'regression' ? 'RandomForestRegressor' : 'RandomForestClassifier'}`],
      estimator: `${task === 'regression' ? 'RandomForestRegressor' : 'RandomForestClassifier'}(${randomForestArgs(p as unknown as ForestParams, task === 'regression' ? 'False' : 'True')})`,
    }),
  });

const mlpEntry = (task: Task) =>
  entry({
    kind: 'model.mlp',
    title: `Neural network (${task})`,
    task,
    space: {
      learningRate: { type: 'float', low: 1e-4, high: 1e-2, log: true },
      alpha: { type: 'float', low: 1e-6, high: 1e-1, log: true },
      activation: { type: 'categorical', choices: ['relu', 'tanh'] },
      batchSize: { type: 'categorical', choices: [32, 64, 128, 256] },
    },
    parse: (input) => mlpParams.parse(input),
    fit: (X, y, p, control) => fitMlp(X, y, mlpOptions(mlpParams.parse(p)), control),
    predict: mlpPredict,
    sklearn: (p) => ({
      imports: [
        'from sklearn.pipeline import make_pipeline',
        'from sklearn.preprocessing import StandardScaler',
        ...(task === 'regression' ? ['from sklearn.compose import TransformedTargetRegressor', 'from sklearn.neural_network import MLPRegressor'] : ['from sklearn.neural_network import MLPClassifier']),
      ],
      estimator:
        task === 'regression'
          ? `TransformedTargetRegressor(regressor=make_pipeline(StandardScaler(), MLPRegressor(${mlpArgs(p as unknown as MlpParams)})), transformer=StandardScaler())`
          : `make_pipeline(StandardScaler(), MLPClassifier(${mlpArgs(p as unknown as MlpParams)}))`,
    }),
  });

/** The entries, regression first for each kind. */
export const modelTunables: TunableModel[] = [
  gbdtEntry('regression'),
  gbdtEntry('classification'),
  forestEntry('regression'),
  forestEntry('classification'),
  mlpEntry('regression'),
  mlpEntry('classification'),
] as TunableModel[];
