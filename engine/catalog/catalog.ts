import type { NodeDefinition } from './define-node.ts';
import { sourceCsv } from '../nodes/source/csv.ts';
import { sourceParquet } from '../nodes/source/parquet.ts';
import { sourceJson } from '../nodes/source/json.ts';
import { sourceSql } from '../nodes/source/sql.ts';
import { sourceSample } from '../nodes/source/sample.ts';
import { filter } from '../nodes/transform/filter.ts';
import { select } from '../nodes/transform/select.ts';
import { derive } from '../nodes/transform/derive.ts';
import { aggregate } from '../nodes/transform/aggregate.ts';
import { join } from '../nodes/transform/join.ts';
import { sort } from '../nodes/transform/sort.ts';
import { limit } from '../nodes/transform/limit.ts';
import { sample } from '../nodes/transform/sample.ts';
import { split } from '../nodes/transform/split.ts';
import { window } from '../nodes/transform/window.ts';
import { sql } from '../nodes/transform/sql.ts';
import { sinkCsv } from '../nodes/sink/csv.ts';
import { sinkParquet } from '../nodes/sink/parquet.ts';
import { scale } from '../nodes/features/scale.ts';
import { onehot } from '../nodes/features/onehot.ts';
import { impute } from '../nodes/features/impute.ts';
import { selectFeatures } from '../nodes/features/select.ts';
import { linear } from '../nodes/model/linear.ts';
import { logistic } from '../nodes/model/logistic.ts';
import { gbdt } from '../nodes/model/gbdt.ts';
import { randomForest } from '../nodes/model/random-forest.ts';
import { mlp } from '../nodes/model/mlp.ts';
import { ensemble } from '../nodes/model/ensemble.ts';
import { predict } from '../nodes/model/predict.ts';
import { evaluate } from '../nodes/model/evaluate.ts';
import { crossValidateKind } from '../nodes/model/cross-validate.ts';
import { hpo } from '../nodes/tune/hpo.ts';
import { automl } from '../nodes/tune/automl.ts';
import { profile } from '../nodes/analysis/profile.ts';

/** Every node kind, in palette order. The one list the UI, validation, docs and CLI read. */
const kinds = [
  sourceCsv,
  sourceParquet,
  sourceJson,
  sourceSql,
  sourceSample,
  filter,
  select,
  derive,
  aggregate,
  join,
  sort,
  limit,
  sample,
  split,
  window,
  sql,
  scale,
  onehot,
  impute,
  selectFeatures,
  linear,
  logistic,
  gbdt,
  randomForest,
  mlp,
  ensemble,
  predict,
  evaluate,
  crossValidateKind,
  hpo,
  automl,
  profile,
  sinkCsv,
  sinkParquet,
] satisfies NodeDefinition[];

export const catalog: ReadonlyMap<string, NodeDefinition> = new Map(kinds.map((k) => [k.kind, k]));
