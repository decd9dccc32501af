import type { ColumnInfo } from '../db/database.ts';
import type { ModelArtifact } from './artifact.ts';
import { imputeSql, type ImputeState } from './impute.ts';
import { linearSql, type LinearState } from './linear.ts';
import { appendColumns, logisticSql, type LogisticState } from './logistic.ts';
import { oneHotSql, type OneHotState } from './onehot.ts';
import { scaleSql, type ScaleState } from './scale.ts';
import { polySql, type PolyState } from '../tune/preprocess.ts';
import { selectSql, type SelectState } from './select.ts';
import { jsModelApplier, type PredictionColumns } from './supervised.ts';

/**
 * How a fitted artifact is applied to a table, by the kind that fitted it. A transform gives the
 * transformed table; a model gives the input with `prediction` (and, for classifiers,
 * `probability`) appended — an input column of that name is replaced. SQL where the artifact
 * can be written as SQL (DuckDB then fuses it with the rest of the query), JS otherwise: `predict`
 * scores the rows' features (columns in `artifact.features` order) and model.predict joins the
 * columns it returns back onto the rows by position.
 */
export interface Applier<S = unknown> {
  sql?(artifact: ModelArtifact<S>, input: string, columns: ColumnInfo[]): string;
  predict?(artifact: ModelArtifact<S>, X: Float64Array[]): PredictionColumns;
}

const appliers: Record<string, Applier<never>> = {
  'features.scale': { sql: (a: ModelArtifact<ScaleState>, input, columns) => scaleSql(a.state, input, columns) },
  // Degree-2 terms AutoML adds in front of a model (no node kind of its own).
  'features.poly': { sql: (a: ModelArtifact<PolyState>, input, columns) => polySql(a.state, input, columns) },
  'features.onehot': { sql: (a: ModelArtifact<OneHotState>, input, columns) => oneHotSql(a.state, input, columns) },
  'features.impute': { sql: (a: ModelArtifact<ImputeState>, input, columns) => imputeSql(a.state, input, columns) },
  'features.select': { sql: (a: ModelArtifact<SelectState>, input, columns) => selectSql(a.state, input, columns) },
  'model.linear': { sql: (a: ModelArtifact<LinearState>, input, columns) => appendColumns(`SELECT * FROM ${input}`, columns, [['prediction', linearSql(a.state, a.features)]]) },
  'model.logistic': { sql: (a: ModelArtifact<LogisticState>, input, columns) => logisticSql(a.state, a.features, input, columns) },
  'model.gbdt': jsModelApplier,
  'model.random_forest': jsModelApplier,
  'model.mlp': jsModelApplier,
  'model.ensemble': jsModelApplier,
};

export function applierFor(kind: string): Applier<unknown> | undefined {
  return Object.hasOwn(appliers, kind) ? (appliers[kind] as Applier<unknown>) : undefined;
}
