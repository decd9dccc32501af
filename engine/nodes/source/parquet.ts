import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { filePath } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';

export const sourceParquet = defineNode({
  kind: 'source.parquet',
  version: 1,
  title: 'Parquet file',
  category: 'source',
  description: 'Reads a Parquet file with the types stored in it.',
  inputs: {},
  outputs: { out: port.table() },
  params: z.strictObject({
    path: filePath('Path of the file, relative to the pipeline file’s folder.', ['parquet']),
  }),
  file: (p) => ({ path: p.path, format: 'parquet' }),
});
