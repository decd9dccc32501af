import type { Primitive } from '../db/database.ts';
import { Ticker, type FitControl } from './control.ts';
import { foldIndices, kFold, stratifiedKFold, takeRows } from './cv.ts';
import { type Label, encodeLabels, sortedLabels } from './labels.ts';
import { fitLinear, linearPredict, type Penalty } from './linear.ts';
import { fitLogistic, logisticPredict } from './logistic.ts';
import { classificationMetrics, regressionMetrics } from './metrics.ts';

export const crossValidatedKinds = ['model.linear', 'model.logistic'] as const;
export type CrossValidatedKind = (typeof crossValidatedKinds)[number];

export const regressionFoldMetrics = ['mse', 'rmse', 'mae', 'r2'] as const;
export const classificationFoldMetrics = ['accuracy', 'precision', 'recall', 'f1', 'log_loss', 'roc_auc'] as const;

export interface FoldResult {
  fold: number;
  trainRows: number;
  testRows: number;
  metrics: Record<string, number | null>;
}

/**
 * k-fold cross-validation of a linear or logistic model on in-memory data: scikit-learn's
 * KFold / StratifiedKFold folds for the seed (see cv.ts), the model fitted on the other folds
 * and scored on each, with the metrics model.evaluate computes (binary: positive = the second
 * of the training fold's classes; more classes: macro averages, one-vs-rest ROC AUC).
 */
export async function crossValidate(
  X: Float64Array[],
  y: Primitive[],
  o: { kind: CrossValidatedKind; params: Record<string, unknown>; k: number; stratified: boolean; seed: number },
  control: FitControl = {},
): Promise<FoldResult[]> {
  const n = y.length;
  const fold = o.stratified ? stratifiedKFold(y as Label[], o.k, o.seed) : kFold(n, o.k, o.seed);
  const ticker = new Ticker(control);
  const results: FoldResult[] = [];
  for (const [f, { train, test }] of foldIndices(fold, o.k).entries()) {
    await ticker.tick(f, o.k, `fold ${f + 1} of ${o.k}`);
    if (control.signal?.aborted) break;
    const Xtr = takeRows(X, train);
    const Xte = takeRows(X, test);
    let metrics: Record<string, number | null>;
    if (o.kind === 'model.linear') {
      const ytr = Float64Array.from(train, (i) => y[i] as number);
      const yte = Float64Array.from(test, (i) => y[i] as number);
      const state = fitLinear(Xtr, ytr, { penalty: o.params['penalty'] as Penalty, alpha: o.params['alpha'] as number, l1Ratio: o.params['l1Ratio'] as number });
      metrics = { ...regressionMetrics(yte, linearPredict(state, Xte)) };
    } else {
      const ytr = Array.from(train, (i) => y[i] as Label);
      const yte = Array.from(test, (i) => y[i] as Label);
      const classes = sortedLabels(ytr);
      if (classes.length < 2) throw new RangeError(`the training rows of fold ${f + 1} have a single class`);
      const fit = await fitLogistic(Xtr, encodeLabels(ytr, classes), classes.length, o.params['C'] as number, control);
      const { proba, predicted } = logisticPredict({ ...fit, classes, targetType: '' }, Xte);
      const K = classes.length;
      const m = test.length;
      const column = (k: number) => Float64Array.from({ length: m }, (_, i) => proba[i * K + k]!);
      const r = classificationMetrics(
        yte,
        Array.from(predicted, (c) => classes[c]!),
        K === 2 ? { positive: classes[1]!, positiveProba: column(1) } : { proba: { classes, values: classes.map((_, k) => column(k)) } },
      );
      metrics = { accuracy: r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1, log_loss: r.logLoss, roc_auc: r.rocAuc === null || Number.isNaN(r.rocAuc) ? null : r.rocAuc };
    }
    results.push({ fold: f + 1, trainRows: train.length, testRows: test.length, metrics });
  }
  return results;
}
