import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { filePath } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { copyToSql } from '../../db/file-sql.ts';
import { beamWrite, pandasWrite, sparkWrite } from '../../export/python-io.ts';

export const sinkParquet = defineNode({
  kind: 'sink.parquet',
  version: 1,
  title: 'Write Parquet',
  category: 'sink',
  description: 'Writes the input to a Parquet file.',
  docs: 'Written to a temporary name and renamed when complete, so a failed or cancelled run never leaves a partial file.',
  inputs: { in: port.table() },
  outputs: {},
  params: z.strictObject({
    path: filePath('Output path, relative to the pipeline file’s folder (or to `--out` in the CLI).', ['parquet']),
  }),
  writes: (p) => [p.path],
  run: async (ctx) => {
    await ctx.writeFile(`SELECT * FROM ${ctx.table('in').relation}`, ctx.params.path, 'parquet');
    return {};
  },
  codegen: {
    pandas: (p, ctx) => pandasWrite('parquet', p.path, {}, ctx),
    pyspark: (p, ctx) => sparkWrite('parquet', p.path, {}, ctx),
    beam: (p, ctx) => beamWrite('parquet', p.path, {}, ctx),
    sql: (p) => ({ copy: (query) => copyToSql(query, p.path, 'parquet') }),
  },
});
