/**
 * Code export of model.gbdt, model.random_forest, model.mlp and model.ensemble.
 *
 * pandas: the scikit-learn estimators whose algorithm the kinds follow, with the same params and
 * seed (HistGradientBoostingRegressor/Classifier, RandomForestRegressor/Classifier, MLPRegressor/
 * MLPClassifier behind StandardScaler), fitted on the DataFrame with the model kinds' shared
 * runtime helpers; an ensemble as the weighted mean of its fitted members. Retraining in
 * scikit-learn gives a close model, not necessarily the identical one: the trees follow
 * scikit-learn's algorithm and random draws (with scikit-learn 1.2 the tests find the same
 * predictions), but other versions may differ, and the network is trained by TensorFlow.js in
 * float32 (scikit-learn's MLP trains in float64 with its own shuffles), so its weights differ.
 * PySpark: MLlib's GBTRegressor/GBTClassifier, RandomForestRegressor/Classifier and
 * MultilayerPerceptronClassifier where they map (different algorithms: a comment says how).
 * Beam and SQL cannot fit models.
 */
import { NotExportable } from '../export/sql-expr.ts';
import type { Codegen, PyCode, PyGenContext } from '../export/types.ts';
import { isNumericType } from '../sql/types.ts';
import { beamReason, helper, pyFloat, sqlFitReason as sqlReason } from './codegen.ts';
import type { MaxFeatures } from './forest.ts';
import type { Activation } from './mlp.ts';
import type { TaskParam } from './supervised.ts';

type Ctx = PyGenContext<string, string>;


const pyBool = (b: boolean) => (b ? 'True' : 'False');
const pyList = (names: string[], ctx: Ctx) => `[${names.map((n) => ctx.str(n)).join(', ')}]`;

interface SupervisedParams {
  target: string;
  features: string[];
  task: TaskParam;
}

/** pandas lines that fit `estimator(classes)` (a Python expression given `classes`, a bool variable) on the input. */
function pandasFit(p: SupervisedParams, ctx: Ctx, o: { imports: string[]; comment: string[]; estimator: (classes: string) => string }): PyCode {
  const frame = ctx.inputs['in']!;
  const v = `${ctx.outputs['model']}_`;
  const columns = helper(ctx, '_ml_columns');
  return {
    lines: [
      ...o.imports,
      ...o.comment.map((c) => `# ${c}`),
      `${v}target = ${columns}(${frame}, [${ctx.str(p.target)}])[0]`,
      `${v}classes = ${helper(ctx, '_ml_is_classes')}(${frame}, ${v}target, ${ctx.str(p.task)})`,
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_fit')}(${o.estimator(`${v}classes`)}, ${frame}, ${columns}(${frame}, ${pyList(p.features, ctx)}, exclude=${v}target), target=${v}target, classes=${v}classes)`,
    ],
  };
}

/** The task at export time, from the export's schema (PySpark picks its estimator class up front). */
function exportTask(p: SupervisedParams, ctx: Ctx): 'regression' | 'classification' {
  if (p.task !== 'auto') return p.task;
  const col = ctx.columns('in').find((c) => c.name.toLowerCase() === p.target.toLowerCase());
  if (!col) throw new NotExportable(`the target column "${p.target}" is not in the input`);
  return isNumericType(col.type) ? 'regression' : 'classification';
}

/** The feature columns at export time: as listed, or every other numeric (or boolean) column. */
function exportFeatures(p: SupervisedParams, ctx: Ctx): string[] {
  const cols = ctx.columns('in');
  if (p.features.length) return p.features.map((f) => cols.find((c) => c.name.toLowerCase() === f.toLowerCase())?.name ?? f);
  return cols.filter((c) => (isNumericType(c.type) || c.type === 'BOOLEAN') && c.name.toLowerCase() !== p.target.toLowerCase()).map((c) => c.name);
}

function sparkFit(p: SupervisedParams, ctx: Ctx, classes: boolean, o: { imports: string[]; comment: string[]; estimator: string }): PyCode {
  const frame = ctx.inputs['in']!;
  const target = ctx.columns('in').find((c) => c.name.toLowerCase() === p.target.toLowerCase())?.name ?? p.target;
  return {
    lines: [
      ...o.imports,
      ...o.comment.map((c) => `# ${c}`),
      `${ctx.outputs['model']} = ${helper(ctx, '_ml_spark_fit_pipeline')}(${frame}, ${pyList(exportFeatures(p, ctx), ctx)}, ${ctx.str(target)}, ${o.estimator}, classes=${pyBool(classes)})`,
    ],
  };
}

// ---- model.gbdt -------------------------------------------------------------------------------

export interface GbdtParams extends SupervisedParams {
  learningRate: number;
  maxIter: number;
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  maxBins: number;
  earlyStopping: 'auto' | 'on' | 'off';
  validationFraction: number;
  nIterNoChange: number;
  seed: number;
}

/** HistGradientBoosting*'s keyword arguments for model.gbdt's params. */
export function histGradientBoostingArgs(p: Omit<GbdtParams, keyof SupervisedParams>): string {
  return [
    `learning_rate=${pyFloat(p.learningRate)}`,
    `max_iter=${p.maxIter}`,
    `max_leaf_nodes=${p.maxLeafNodes || 'None'}`,
    `max_depth=${p.maxDepth || 'None'}`,
    `min_samples_leaf=${p.minSamplesLeaf}`,
    `l2_regularization=${pyFloat(p.l2Regularization)}`,
    `max_bins=${p.maxBins}`,
    `early_stopping=${p.earlyStopping === 'auto' ? '"auto"' : pyBool(p.earlyStopping === 'on')}`,
    `validation_fraction=${pyFloat(p.validationFraction)}`,
    `n_iter_no_change=${p.nIterNoChange}`,
    `random_state=${p.seed}`,
  ].join(', ');
}

const retrainNote = (what: string) => [
  `${what} retrained with scikit-learn: close to the model Kanvas fitted, not guaranteed identical.`,
  'Kanvas follows scikit-learn\'s algorithm and random draws for this seed (with scikit-learn 1.2 its',
  'tests find the same predictions); other scikit-learn versions may grow slightly different trees.',
];

export const gbdtCodegen: Codegen<'in', 'model', GbdtParams> = {
  pandas: (p, ctx) =>
    pandasFit(p, ctx, {
      imports: ['from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor'],
      comment: retrainNote('model.gbdt'),
      estimator: (classes) => `(HistGradientBoostingClassifier if ${classes} else HistGradientBoostingRegressor)(${histGradientBoostingArgs(p)})`,
    }),
  pyspark: (p, ctx) => {
    const task = exportTask(p, ctx);
    // MLlib grows depth-limited trees level by level; a leaf limit of L becomes the depth that allows L leaves.
    const depth = p.maxDepth || Math.min(30, Math.max(1, Math.ceil(Math.log2(p.maxLeafNodes || 2 ** 30))));
    const args = `maxIter=${p.maxIter}, stepSize=${pyFloat(p.learningRate)}, maxDepth=${depth}, maxBins=${p.maxBins}, minInstancesPerNode=${p.minSamplesLeaf}, seed=${p.seed}`;
    const comment = [
      'model.gbdt as MLlib gradient-boosted trees: a different algorithm from Kanvas\' (scikit-learn\'s histogram',
      'boosting): depth-wise trees, no l2 regularization, no early stopping, other binning; expect similar, not equal, scores.',
    ];
    if (task === 'regression') return sparkFit(p, ctx, false, { imports: ['from pyspark.ml.regression import GBTRegressor'], comment, estimator: `GBTRegressor(${args})` });
    return sparkFit(p, ctx, true, { imports: ['from pyspark.ml.classification import GBTClassifier'], comment: [...comment, 'MLlib\'s GBTClassifier is binary only: the target must have two classes.'], estimator: `GBTClassifier(${args})` });
  },
  beam: { unsupported: beamReason('fit gradient-boosted trees') },
  sql: { unsupported: sqlReason('fit gradient-boosted trees') },
};

// ---- model.random_forest ----------------------------------------------------------------------

export interface ForestParams extends SupervisedParams {
  nEstimators: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
  maxFeaturesFraction: number;
  bootstrap: boolean;
  seed: number;
}

function sklearnMaxFeatures(p: ForestParams, classes: string): string {
  switch (p.maxFeatures) {
    case 'auto':
      return `("sqrt" if ${classes} else 1.0)`;
    case 'all':
      return '1.0';
    case 'fraction':
      return pyFloat(p.maxFeaturesFraction);
    default:
      return `"${p.maxFeatures}"`;
  }
}

export function randomForestArgs(p: ForestParams, classes: string): string {
  return [
    `n_estimators=${p.nEstimators}`,
    `max_depth=${p.maxDepth || 'None'}`,
    `min_samples_split=${p.minSamplesSplit}`,
    `min_samples_leaf=${p.minSamplesLeaf}`,
    `max_features=${sklearnMaxFeatures(p, classes)}`,
    `bootstrap=${pyBool(p.bootstrap)}`,
    `random_state=${p.seed}`,
  ].join(', ');
}

export const forestCodegen: Codegen<'in', 'model', ForestParams> = {
  pandas: (p, ctx) =>
    pandasFit(p, ctx, {
      imports: ['from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor'],
      comment: retrainNote('model.random_forest'),
      estimator: (classes) => `(RandomForestClassifier if ${classes} else RandomForestRegressor)(${randomForestArgs(p, classes)})`,
    }),
  pyspark: (p, ctx) => {
    const task = exportTask(p, ctx);
    const strategy = { auto: 'auto', all: 'all', sqrt: 'sqrt', log2: 'log2', fraction: String(p.maxFeaturesFraction) }[p.maxFeatures];
    // MLlib's trees are at most 30 deep; its "auto" is Kanvas' auto (all features for regression, sqrt for classes).
    const args = `numTrees=${p.nEstimators}, maxDepth=${Math.min(30, p.maxDepth || 30)}, minInstancesPerNode=${p.minSamplesLeaf}, featureSubsetStrategy=${ctx.str(strategy)}, bootstrap=${pyBool(p.bootstrap)}, subsamplingRate=1.0, maxBins=256, seed=${p.seed}`;
    const comment = [
      'model.random_forest as MLlib random forests: trees split on binned features (up to 256 bins) and at most',
      '30 deep, with Spark\'s own random draws; expect similar, not equal, scores.',
    ];
    if (task === 'regression') return sparkFit(p, ctx, false, { imports: ['from pyspark.ml.regression import RandomForestRegressor'], comment, estimator: `RandomForestRegressor(${args})` });
    return sparkFit(p, ctx, true, { imports: ['from pyspark.ml.classification import RandomForestClassifier'], comment, estimator: `RandomForestClassifier(${args})` });
  },
  beam: { unsupported: beamReason('fit a random forest') },
  sql: { unsupported: sqlReason('fit a random forest') },
};

// ---- model.mlp --------------------------------------------------------------------------------

export interface MlpParams extends SupervisedParams {
  hiddenLayers: number[];
  activation: Activation;
  epochs: number;
  learningRate: number;
  batchSize: number;
  alpha: number;
  patience: number;
  validationFraction: number;
  seed: number;
}

export function mlpArgs(p: Omit<MlpParams, keyof SupervisedParams>): string {
  const early = p.patience > 0;
  return [
    `hidden_layer_sizes=(${p.hiddenLayers.join(', ')}${p.hiddenLayers.length === 1 ? ',' : ''})`,
    `activation=${JSON.stringify(p.activation)}`,
    'solver="adam"',
    `alpha=${pyFloat(p.alpha)}`,
    `batch_size=${p.batchSize}`,
    `learning_rate_init=${pyFloat(p.learningRate)}`,
    `max_iter=${p.epochs}`,
    `early_stopping=${pyBool(early)}`,
    `validation_fraction=${pyFloat(p.validationFraction)}`,
    `n_iter_no_change=${early ? p.patience : p.epochs}`,
    `random_state=${p.seed}`,
  ].join(', ');
}

export const mlpCodegen: Codegen<'in', 'model', MlpParams> = {
  pandas: (p, ctx) =>
    pandasFit(p, ctx, {
      imports: [
        'from sklearn.compose import TransformedTargetRegressor',
        'from sklearn.neural_network import MLPClassifier, MLPRegressor',
        'from sklearn.pipeline import make_pipeline',
        'from sklearn.preprocessing import StandardScaler',
      ],
      comment: [
        'model.mlp retrained with scikit-learn: close to the network Kanvas trained, not identical. Kanvas trains',
        'with TensorFlow.js in float32 (Adam, its own seeded shuffles, early stopping on the validation loss);',
        'scikit-learn trains in float64 and stops on the validation score. Both standardize the features (and a',
        'regression\'s target), as here with StandardScaler.',
      ],
      estimator: (classes) =>
        `(make_pipeline(StandardScaler(), MLPClassifier(${mlpArgs(p)})) if ${classes} else TransformedTargetRegressor(regressor=make_pipeline(StandardScaler(), MLPRegressor(${mlpArgs(p)})), transformer=StandardScaler()))`,
    }),
  pyspark: (p, ctx) => {
    const task = exportTask(p, ctx);
    if (task === 'regression') return { unsupported: 'MLlib has no neural-network regressor (MultilayerPerceptronClassifier only classifies): export to pandas' };
    if (p.activation !== 'logistic') {
      return { unsupported: `MLlib's MultilayerPerceptronClassifier has only sigmoid (logistic) hidden units, not ${p.activation}: set activation to logistic, or export to pandas` };
    }
    const features = exportFeatures(p, ctx);
    const v = `${ctx.outputs['model']}_`;
    const frame = ctx.inputs['in']!;
    const target = ctx.columns('in').find((c) => c.name.toLowerCase() === p.target.toLowerCase())?.name ?? p.target;
    return {
      lines: [
        'from pyspark.ml.classification import MultilayerPerceptronClassifier',
        '# model.mlp as MLlib\'s MultilayerPerceptronClassifier: sigmoid hidden layers and a softmax output, trained by',
        '# L-BFGS on unstandardized features (Kanvas: Adam on standardized features); expect similar, not equal, scores.',
        `${v}classes = ${frame}.select(${ctx.str(target)}).distinct().count()`,
        `${ctx.outputs['model']} = ${helper(ctx, '_ml_spark_fit_pipeline')}(${frame}, ${pyList(features, ctx)}, ${ctx.str(target)}, MultilayerPerceptronClassifier(layers=[${features.length}, ${p.hiddenLayers.join(', ')}, ${v}classes], maxIter=${p.epochs}, blockSize=${p.batchSize}, seed=${p.seed}), classes=True)`,
      ],
    };
  },
  beam: { unsupported: beamReason('train a neural network') },
  sql: { unsupported: sqlReason('train a neural network') },
};

// ---- model.ensemble ---------------------------------------------------------------------------

export const ensembleCodegen: Codegen<'a' | 'b' | 'c' | 'd' | 'in', 'model', { weights: number[] }> = {
  pandas: (p, ctx) => {
    const members = (['a', 'b', 'c', 'd'] as const).filter((k) => ctx.inputs[k] !== undefined).map((k) => ctx.inputs[k]!);
    const weights = p.weights.length ? `[${p.weights.map(pyFloat).join(', ')}]` : 'None';
    return {
      lines: [
        '# model.ensemble: the weighted mean of the fitted members\' predictions (soft voting for classifiers), as',
        '# Kanvas computes it; scikit-learn\'s VotingRegressor/VotingClassifier would refit the members, so it is not used.',
        `${ctx.outputs['model']} = ${helper(ctx, '_ml_ensemble')}([${members.join(', ')}], ${weights})`,
      ],
    };
  },
  pyspark: {
    unsupported:
      'MLlib has no ensemble of fitted models (its pipelines chain stages, they do not average them): export to pandas',
  },
  beam: { unsupported: beamReason('combine models') },
  sql: { unsupported: 'DuckDB SQL has no model values to combine (the ensemble is scored in JS): export to pandas (scikit-learn)' },
};
