import { z } from 'zod';
import { defineNode, type FileRef } from '../../catalog/define-node.ts';
import { extensionsOf } from '../../catalog/data-files.ts';
import { filePath } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { fileSourceCodegen } from '../../export/python-io.ts';

const params = z.strictObject({
  path: filePath('Path of the file, relative to the pipeline file’s folder.', extensionsOf('source.json')),
});

export const sourceJson = defineNode({
  kind: 'source.json',
  version: 1,
  title: 'JSON file',
  category: 'source',
  description: 'Reads an array of objects or newline-delimited objects (NDJSON).',
  docs: `Each object is a row; keys are columns, in order of first appearance, and a missing key is
NULL. Types: all booleans → BOOLEAN, all integers → BIGINT, numbers → DOUBLE, anything else →
VARCHAR (nested objects and arrays as their JSON text). Date strings stay text: convert them
with \`transform.derive\` (e.g. \`CAST(day AS DATE)\`).`,
  inputs: {},
  outputs: { out: port.table() },
  params,
  file: (p) => fileOf(p),
  codegen: fileSourceCodegen(fileOf),
});

function fileOf(p: z.output<typeof params>): FileRef {
  return { path: p.path, format: 'json' };
}
