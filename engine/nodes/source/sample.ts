import { z } from 'zod';
import { defineNode, type FileRef } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';
import { fileSourceCodegen } from '../../export/python-io.ts';
import { sampleDatasets, sampleNames } from '../../samples/index.ts';

const params = z.strictObject({
  dataset: z.enum(sampleNames).meta({ description: 'Which dataset.' }),
});

export const sourceSample = defineNode({
  kind: 'source.sample',
  version: 1,
  title: 'Sample dataset',
  category: 'source',
  description: 'A built-in demo dataset, to try things without a file of your own.',
  docs: Object.entries(sampleDatasets)
    .map(([name, text]) => `- \`${name}\`: ${text}`)
    .join('\n'),
  inputs: {},
  outputs: { out: port.table() },
  params,
  file: (p) => fileOf(p),
  codegen: fileSourceCodegen(fileOf),
});

function fileOf(p: z.output<typeof params>): FileRef {
  return { sample: p.dataset };
}
