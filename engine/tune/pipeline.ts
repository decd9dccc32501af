/**
 * A candidate pipeline of the AutoML search — select k features → (degree-2 polynomial terms)
 * → (standard scaling) → model — fitted and applied in memory, and turned into artifacts that
 * model.predict applies: the scaler (and polynomial step) as preprocessing artifacts attached to
 * the model's artifact. Feature selection needs no artifact of its own: later steps and the
 * model simply read the selected columns.
 */
import type { ColumnInfo } from '../db/database.ts';
import type { ModelArtifact } from '../ml/artifact.ts';
import type { FitControl } from '../ml/control.ts';
import type { ScaleState } from '../ml/scale.ts';
import type { TrainData, TunableModel } from './models.ts';
import { applyPoly, applyScale, fitPoly, fitStandard, fScores, selectK, type PolyState } from './preprocess.ts';
import type { Prediction } from './scoring.ts';
import type { Params } from './space.ts';

export interface PipelineSpec {
  model: TunableModel;
  /** The model's tuned params (the rest keep their defaults). */
  tuned: Params;
  target: string;
  /** Features kept (all when k ≥ the number of features). */
  k: number;
  poly: boolean;
  scale: boolean;
}

export interface FittedPipeline {
  spec: PipelineSpec;
  selected: number[];
  poly: PolyState | null;
  scaler: ScaleState | null;
  state: unknown;
}

function withX(d: TrainData, X: Float64Array[]): TrainData {
  return { ...d, X };
}

/** F-scores per training set: every trial on a fold selects from the same scores. */
const scoresByData = new WeakMap<TrainData, number[]>();

function scoresOf(d: TrainData): number[] {
  let scores = scoresByData.get(d);
  if (!scores) scoresByData.set(d, (scores = fScores(d)));
  return scores;
}

export async function fitPipeline(d: TrainData, names: string[], spec: PipelineSpec, control: FitControl): Promise<FittedPipeline> {
  const selected = spec.k >= d.X.length ? d.X.map((_, i) => i) : selectK(scoresOf(d), spec.k);
  let X = selected.map((i) => d.X[i]!);
  let cols = selected.map((i) => names[i]!);
  let poly: PolyState | null = null;
  if (spec.poly) {
    poly = fitPoly(cols);
    X = applyPoly(X);
    cols = [...cols, ...poly.terms.map((t) => t.name)];
  }
  let scaler: ScaleState | null = null;
  if (spec.scale) {
    scaler = fitStandard(X, cols);
    X = applyScale(X, scaler);
  }
  const state = await spec.model.fit(withX(d, X), spec.model.params(spec.tuned, spec.target, cols), control);
  return { spec, selected, poly, scaler, state };
}

export function transform(f: FittedPipeline, X: Float64Array[]): Float64Array[] {
  let out = f.selected.map((i) => X[i]!);
  if (f.poly) out = applyPoly(out);
  if (f.scaler) out = applyScale(out, f.scaler);
  return out;
}

export function predictPipeline(f: FittedPipeline, X: Float64Array[]): Prediction {
  return f.spec.model.predict(f.state, transform(f, X));
}

/** The fitted pipeline as a model artifact with its preprocessing artifacts attached. */
export function pipelineArtifact(f: FittedPipeline, d: TrainData, features: ColumnInfo[], target: string, training: { rows: number; hash: string }): ModelArtifact {
  const selectedCols = f.selected.map((i) => features[i]!);
  const preprocessing: ModelArtifact[] = [];
  let cols: ColumnInfo[] = selectedCols;
  if (f.poly) {
    preprocessing.push({ format: 'kanvas.model', version: 1, kind: 'features.poly', task: 'transform', features: cols, params: { degree: 2 }, state: f.poly, training });
    cols = [...cols, ...f.poly.terms.map((t) => ({ name: t.name, type: 'DOUBLE' }))];
  }
  if (f.scaler) {
    preprocessing.push({
      format: 'kanvas.model',
      version: 1,
      kind: 'features.scale',
      task: 'transform',
      features: cols,
      params: { columns: cols.map((c) => c.name), method: 'standard' },
      state: f.scaler,
      training,
    });
  }
  const modelCols = f.scaler || f.poly ? cols.map((c) => ({ name: c.name, type: 'DOUBLE' })) : cols;
  const X = transform(f, d.X);
  const params = f.spec.model.params(f.spec.tuned, target, modelCols.map((c) => c.name));
  const artifact = f.spec.model.artifact(f.state, { ...d, X }, params, modelCols, target);
  return { ...artifact, training, ...(preprocessing.length ? { preprocessing } : {}) };
}
