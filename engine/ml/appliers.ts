import type { ColumnInfo, Primitive } from '../db/database.ts';
import type { ModelArtifact } from './artifact.ts';
import { linearSql, type LinearState } from './linear.ts';
import { scaleSql, type ScaleState } from './scale.ts';

/**
 * How a fitted artifact is applied to a table, by the kind that fitted it. A transform gives the
 * transformed table; a model gives the input with `prediction` (and, for classifiers,
 * `probability`) appended. SQL where the artifact can be written as SQL (DuckDB then fuses it
 * with the rest of the query), JS otherwise.
 */
export interface Applier<S = unknown> {
  sql?(artifact: ModelArtifact<S>, input: string, columns: ColumnInfo[]): string;
  predict?(artifact: ModelArtifact<S>, X: Float64Array[]): { prediction: Primitive[]; probability?: Float64Array };
}

const appliers: Record<string, Applier<never>> = {
  'features.scale': { sql: (a: ModelArtifact<ScaleState>, input, columns) => scaleSql(a.state, input, columns) },
  'model.linear': { sql: (a: ModelArtifact<LinearState>, input) => `SELECT *, ${linearSql(a.state, a.features)} AS prediction FROM ${input}` },
};

export function applierFor(kind: string): Applier<unknown> | undefined {
  return appliers[kind] as Applier<unknown> | undefined;
}
