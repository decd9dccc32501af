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
  profile,
  sinkCsv,
  sinkParquet,
] satisfies NodeDefinition[];

export const catalog: ReadonlyMap<string, NodeDefinition> = new Map(kinds.map((k) => [k.kind, k]));
