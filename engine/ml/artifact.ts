import type { ColumnInfo } from '../db/database.ts';

/**
 * A fitted artifact — a preprocessing step or a model — as versioned JSON: everything needed to
 * apply it again (here, after a save and load, or in exported code) and to say where it came
 * from. `state` is the kind's own fitted numbers (weights, trees, scaler statistics).
 */
export interface ModelArtifact<S = unknown> {
  format: 'kanvas.model';
  version: 1;
  /** The node kind that fitted it, e.g. `model.linear`; picks how it is applied. */
  kind: string;
  task: 'transform' | 'regression' | 'binary' | 'multiclass';
  /** Input columns it reads, in order, with the types it was fitted on. */
  features: ColumnInfo[];
  target?: string;
  /** Class labels (classifiers), in the order of the probability columns. */
  classes?: (string | number | boolean)[];
  /** The params it was fitted with (defaults filled in). */
  params: Record<string, unknown>;
  state: S;
  /** Training metrics on the data it was fitted on. */
  metrics?: Record<string, number>;
  /** Rows and a hash of the training data, to tell which data a model saw. */
  training: { rows: number; hash: string };
  /** Artifacts applied before this one (a model trained on scaled data carries the scaler). */
  preprocessing?: ModelArtifact[];
}

export interface ModelValue {
  type: 'model';
  artifact: ModelArtifact;
}

export function isArtifact(v: unknown): v is ModelArtifact {
  return typeof v === 'object' && v !== null && (v as ModelArtifact).format === 'kanvas.model' && (v as ModelArtifact).version === 1;
}
