import type { TableValue } from '../catalog/define-node.ts';
import { PipelineError } from '../errors.ts';
import { numericTarget, type Dataset } from '../ml/dataset.ts';
import { encodeLabels, labelsOf, sortedLabels } from '../ml/labels.ts';
import { cvSplits, takeRows } from './folds.ts';
import type { TrainData } from './models.ts';
import type { Truth } from './scoring.ts';

/** The dataset as a model fits it: a numeric target, or class indices with the sorted labels. */
export function trainData(task: 'regression' | 'classification', data: Dataset, input: TableValue, target: string, node: string): TrainData {
  if (task === 'regression') return { task, X: data.X, y: numericTarget(data.y!, node) };
  const labels = labelsOf(data.y!, node);
  const classes = sortedLabels(labels);
  if (classes.length < 2) throw new PipelineError({ code: 'data', node, param: 'target', message: `the target has a single class (${JSON.stringify(classes[0])}): nothing to classify` });
  const targetType = input.columns.find((c) => c.name.toLowerCase() === target.toLowerCase())?.type ?? 'VARCHAR';
  return { task, X: data.X, y: encodeLabels(labels, classes), classes, targetType };
}

export function truthOf(d: TrainData): Truth {
  return d.task === 'regression' ? { task: 'regression', y: d.y } : { task: 'classification', y: d.y, classes: d.classes.length };
}

/** Rows `rows` of the data. */
export function subset(d: TrainData, rows: Int32Array): TrainData {
  const X = takeRows(d.X, rows);
  if (d.task === 'regression') return { task: 'regression', X, y: Float64Array.from(rows, (r) => d.y[r]!) };
  return { ...d, X, y: Int32Array.from(rows, (r) => d.y[r]!) };
}

/** Train and test data of each fold: shuffled KFold (regression) or StratifiedKFold (classes) with this seed. */
export function crossValidationFolds(d: TrainData, folds: number, seed: number, node: string): { train: TrainData; test: TrainData }[] {
  const n = d.y.length;
  let splits: { train: Int32Array; test: Int32Array }[];
  try {
    splits = cvSplits(n, folds, seed, d.task === 'classification' ? Array.from(d.y, (c) => d.classes[c]!) : undefined);
  } catch (err) {
    if (err instanceof RangeError) throw new PipelineError({ code: 'param', node, param: 'folds', message: err.message });
    throw err;
  }
  return splits.map(({ train, test }) => ({ train: subset(d, train), test: subset(d, test) }));
}
