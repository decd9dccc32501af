import { z } from 'zod';
import { defineNode, type FileRef } from '../../catalog/define-node.ts';
import { filePath } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { beamRead, pandasRead, sparkRead } from '../../export/python-io.ts';

const params = z.strictObject({
  path: filePath('Path of the file, relative to the pipeline file’s folder.', ['parquet']),
});

export const sourceParquet = defineNode({
  kind: 'source.parquet',
  version: 1,
  title: 'Parquet file',
  category: 'source',
  description: 'Reads a Parquet file with the types stored in it.',
  inputs: {},
  outputs: { out: port.table() },
  params,
  file: (p) => fileOf(p),
  codegen: {
    pandas: (p, ctx) => pandasRead(fileOf(p), ctx),
    pyspark: (p, ctx) => sparkRead(fileOf(p), ctx),
    beam: (p, ctx) => beamRead(fileOf(p), ctx),
    sql: (_p, ctx) => ({ query: `SELECT * FROM ${ctx.fileSql()}` }),
  },
});

function fileOf(p: z.output<typeof params>): FileRef {
  return { path: p.path, format: 'parquet' };
}
