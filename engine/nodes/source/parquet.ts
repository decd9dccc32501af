import { z } from 'zod';
import { defineNode, type FileRef } from '../../catalog/define-node.ts';
import { extensionsOf } from '../../catalog/data-files.ts';
import { filePath } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { fileSourceCodegen } from '../../export/python-io.ts';

const params = z.strictObject({
  path: filePath('Path of the file, relative to the pipeline file’s folder.', extensionsOf('source.parquet')),
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
  codegen: fileSourceCodegen(fileOf),
});

function fileOf(p: z.output<typeof params>): FileRef {
  return { path: p.path, format: 'parquet' };
}
