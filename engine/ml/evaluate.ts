import type { PlotSpec, ReportSection, TableValue } from '../catalog/define-node.ts';
import type { ColumnInfo, Primitive } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { ident } from '../sql/quote.ts';
import { isNumericType } from '../sql/types.ts';
import { namedColumn } from './fitting.ts';
import { type Label, labelText } from './labels.ts';
import { classificationMetrics, regressionMetrics, rocCurve } from './metrics.ts';

type ReadRows = (sql: string) => Promise<{ columns: ColumnInfo[]; rows: Primitive[][] }>;

export interface EvaluateParams {
  target: string;
  prediction: string;
  probability: string;
  task: 'auto' | 'regression' | 'classification';
  positive?: string | undefined;
}

export interface Evaluation {
  task: 'regression' | 'classification';
  /** Metric name → value (null where undefined: ROC AUC with one class, log loss without probabilities). */
  metrics: [string, number | null][];
  sections: ReportSection[];
}

/** Scatter plots show at most this many rows (evenly spaced through the table). */
export const MAX_POINTS = 2000;

const kindOf = (type: string) => (isNumericType(type) ? 'number' : type === 'BOOLEAN' ? 'boolean' : type === 'VARCHAR' ? 'text' : 'other');

/**
 * Metrics of predictions against the truth, as scikit-learn computes them, and the report's
 * tables and plots. The task is a regression when the target and prediction are numeric and
 * there is no probability column (or `task` says so); classification otherwise.
 */
export async function evaluatePredictions(readRows: ReadRows, table: TableValue, p: EvaluateParams, node: string): Promise<Evaluation> {
  const target = namedColumn(table, p.target, node, 'target');
  const prediction = namedColumn(table, p.prediction, node, 'prediction');
  const probability = table.columns.find((c) => c.name.toLowerCase() === p.probability.toLowerCase());
  const classColumns = table.columns.filter((c) => /^probability_/i.test(c.name) && c !== target && c !== prediction);
  const numeric = isNumericType(target.type) && isNumericType(prediction.type);
  const task = p.task !== 'auto' ? p.task : numeric && !probability && classColumns.length === 0 ? 'regression' : 'classification';
  if (task === 'regression' && !numeric) {
    throw new PipelineError({ code: 'param', node, param: 'task', message: `regression metrics need numbers: target "${target.name}" is ${target.type}, prediction "${prediction.name}" is ${prediction.type}` });
  }
  if (task === 'classification' && kindOf(target.type) !== kindOf(prediction.type)) {
    throw new PipelineError({ code: 'param', node, param: 'prediction', message: `the target "${target.name}" is ${target.type} but the prediction "${prediction.name}" is ${prediction.type}: labels must be of one type` });
  }
  const probs = task === 'classification' ? [...(probability ? [probability] : []), ...classColumns] : [];
  for (const c of probs) {
    if (!isNumericType(c.type)) throw new PipelineError({ code: 'data', node, param: 'probability', message: `column "${c.name}" is ${c.type}, not a probability` });
  }
  const read = [target, prediction, ...probs];
  const nulls = await readRows(`SELECT ${read.map((c) => `count(*) - count(${ident(c.name)})`).join(', ')} FROM ${table.relation}`);
  read.forEach((c, i) => {
    const n = Number(nulls.rows[0]![i]);
    if (n > 0) throw new PipelineError({ code: 'data', node, message: `column "${c.name}" has ${n} NULL values: filter those rows out first` });
  });
  const cast = (c: ColumnInfo, i: number) => (i >= 2 || (task === 'regression' && i < 2) ? `${ident(c.name)}::DOUBLE` : ident(c.name));
  const { rows } = await readRows(`SELECT ${read.map(cast).join(', ')} FROM ${table.relation}`);
  if (rows.length === 0) throw new PipelineError({ code: 'data', node, message: 'the input has no rows to evaluate' });
  return task === 'regression'
    ? regression(rows, target, prediction)
    : classification(rows, { target, prediction, probability, classColumns, positive: p.positive }, node);
}

function sampleIndices(n: number): number[] {
  if (n <= MAX_POINTS) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: MAX_POINTS }, (_, i) => Math.floor((i * n) / MAX_POINTS));
}

const metricColumns: ColumnInfo[] = [
  { name: 'metric', type: 'VARCHAR' },
  { name: 'value', type: 'DOUBLE' },
];

function regression(rows: Primitive[][], target: ColumnInfo, prediction: ColumnInfo): Evaluation {
  const y = Float64Array.from(rows, (r) => r[0] as number);
  const pred = Float64Array.from(rows, (r) => r[1] as number);
  const m = regressionMetrics(y, pred);
  const metrics: [string, number | null][] = [
    ['mse', m.mse],
    ['rmse', m.rmse],
    ['mae', m.mae],
    ['r2', m.r2],
  ];
  const shown = sampleIndices(y.length);
  const sampled = shown.length < y.length ? ` (${shown.length} of ${y.length} rows)` : '';
  const lo = Math.min(...shown.map((i) => Math.min(y[i]!, pred[i]!)));
  const hi = Math.max(...shown.map((i) => Math.max(y[i]!, pred[i]!)));
  const pLo = Math.min(...shown.map((i) => pred[i]!));
  const pHi = Math.max(...shown.map((i) => pred[i]!));
  const vsActual: PlotSpec = {
    type: 'line',
    x: `actual ${target.name}`,
    y: `predicted (${prediction.name})`,
    series: [
      { name: 'rows', points: shown.map((i) => ({ x: y[i]!, y: pred[i]! })), dots: true },
      { name: 'predicted = actual', points: [{ x: lo, y: lo }, { x: hi, y: hi }] },
    ],
  };
  const residuals: PlotSpec = {
    type: 'line',
    x: `predicted (${prediction.name})`,
    y: 'residual (actual − predicted)',
    series: [
      { name: 'rows', points: shown.map((i) => ({ x: pred[i]!, y: y[i]! - pred[i]! })), dots: true },
      { name: 'zero', points: [{ x: pLo, y: 0 }, { x: pHi, y: 0 }] },
    ],
  };
  return {
    task: 'regression',
    metrics,
    sections: [
      { kind: 'table', title: 'Metrics', columns: metricColumns, rows: metrics },
      { kind: 'plot', title: `Predicted vs actual${sampled}`, plot: vsActual },
      { kind: 'plot', title: `Residuals${sampled}`, plot: residuals },
    ],
  };
}

function classification(
  rows: Primitive[][],
  c: { target: ColumnInfo; prediction: ColumnInfo; probability: ColumnInfo | undefined; classColumns: ColumnInfo[]; positive: string | undefined },
  node: string,
): Evaluation {
  const y = rows.map((r) => r[0] as Label);
  const pred = rows.map((r) => r[1] as Label);
  const text = (l: Label) => labelText(l, c.target.type);
  const seen = [...new Set([...y, ...pred])];
  let positive: Label | undefined;
  if (c.positive !== undefined) {
    positive = seen.find((l) => text(l) === c.positive || String(l) === c.positive);
    if (positive === undefined) {
      throw new PipelineError({ code: 'param', node, param: 'positive', message: `"${c.positive}" is not one of the labels: ${seen.map((l) => JSON.stringify(l)).join(', ')}` });
    }
  }
  let options: Parameters<typeof classificationMetrics>[2] = positive !== undefined ? { positive } : {};
  const offset = c.probability ? 3 : 2;
  if (c.classColumns.length) {
    const classes = c.classColumns.map((col) => {
      const suffix = col.name.slice('probability_'.length);
      return seen.find((l) => text(l) === suffix) ?? suffix;
    });
    options = { ...options, proba: { classes, values: c.classColumns.map((_, k) => Float64Array.from(rows, (r) => r[offset + k] as number)) } };
  } else if (c.probability && seen.length <= 2) {
    // One probability column is the positive label's: it means something for two labels only.
    options = { ...options, positiveProba: Float64Array.from(rows, (r) => r[2] as number) };
  }
  const m = classificationMetrics(y, pred, options);
  const metrics: [string, number | null][] = [
    ['accuracy', m.accuracy],
    ['precision', m.precision],
    ['recall', m.recall],
    ['f1', m.f1],
    ['log_loss', m.logLoss],
    ['roc_auc', m.rocAuc === null || Number.isNaN(m.rocAuc) ? null : m.rocAuc],
  ];
  const names = m.labels.map(text);
  const sections: ReportSection[] = [
    { kind: 'table', title: 'Metrics', columns: metricColumns, rows: metrics },
    {
      kind: 'table',
      title: 'Confusion matrix (rows: actual, columns: predicted)',
      columns: [{ name: 'actual', type: 'VARCHAR' }, ...names.map((n) => ({ name: n, type: 'BIGINT' }))],
      rows: m.confusion.map((row, i) => [names[i]!, ...row]),
    },
    {
      kind: 'plot',
      title: 'Confusion matrix',
      plot: {
        type: 'heatmap',
        x: `predicted (${c.prediction.name})`,
        y: `actual (${c.target.name})`,
        xLabels: names,
        yLabels: names,
        cells: m.confusion.flatMap((row, i) => row.map((count, j) => ({ x: names[j]!, y: names[i]!, value: count }))),
      },
    },
    {
      kind: 'table',
      title: 'Per class',
      columns: [
        { name: 'label', type: 'VARCHAR' },
        { name: 'precision', type: 'DOUBLE' },
        { name: 'recall', type: 'DOUBLE' },
        { name: 'f1', type: 'DOUBLE' },
        { name: 'support', type: 'BIGINT' },
      ],
      rows: m.perClass.map((k) => [text(k.label), k.precision, k.recall, k.f1, k.support]),
    },
  ];
  const curves: { name: string; points: { x: number; y: number }[] }[] = [];
  if (options.positiveProba && m.rocAuc !== null && !Number.isNaN(m.rocAuc)) {
    const pos = options.positive ?? m.labels[m.labels.length - 1]!;
    const roc = rocCurve(y.map((v) => v === pos), options.positiveProba);
    curves.push({ name: `${text(pos)} (AUC ${m.rocAuc.toFixed(3)})`, points: roc.fpr.map((x, i) => ({ x, y: roc.tpr[i]! })) });
  } else if (options.proba) {
    options.proba.classes.forEach((cls, k) => {
      const isPos = y.map((v) => v === cls);
      if (!isPos.some(Boolean) || isPos.every(Boolean)) return;
      const roc = rocCurve(isPos, options.proba!.values[k]!);
      curves.push({ name: `${typeof cls === 'string' && !y.includes(cls) ? cls : text(cls)} vs rest`, points: roc.fpr.map((x, i) => ({ x, y: roc.tpr[i]! })) });
    });
  }
  if (curves.length) {
    sections.push({
      kind: 'plot',
      title: 'ROC curve',
      plot: { type: 'line', x: 'false positive rate', y: 'true positive rate', series: [...curves, { name: 'chance', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }] },
    });
  }
  return { task: 'classification', metrics, sections };
}
