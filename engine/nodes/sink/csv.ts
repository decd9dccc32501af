import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { filePath } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { copyToSql } from '../../db/file-sql.ts';
import { beamWrite, pandasWrite, sparkWrite } from '../../export/python-io.ts';

export const sinkCsv = defineNode({
  kind: 'sink.csv',
  version: 1,
  title: 'Write CSV',
  category: 'sink',
  description: 'Writes the input to a CSV file.',
  docs: 'The file is written to a temporary name and renamed when complete, so a failed or cancelled run never leaves a partial file.',
  inputs: { in: port.table() },
  outputs: {},
  params: z.strictObject({
    path: filePath('Output path, relative to the pipeline file’s folder (or to `--out` in the CLI).', ['csv']),
    delimiter: z.string().length(1, 'expected one character').default(',').meta({ description: 'Field separator.' }),
    header: z.boolean().default(true).meta({ description: 'Write the column names as the first row.' }),
  }),
  writes: (p) => [p.path],
  run: async (ctx) => {
    const p = ctx.params;
    await ctx.writeFile(`SELECT * FROM ${ctx.table('in').relation}`, p.path, 'csv', { delimiter: p.delimiter, header: p.header });
    return {};
  },
  codegen: {
    pandas: (p, ctx) => pandasWrite('csv', p.path, p, ctx),
    pyspark: (p, ctx) => sparkWrite('csv', p.path, p, ctx),
    beam: (p, ctx) => beamWrite('csv', p.path, p, ctx),
    sql: (p) => ({ copy: (query) => copyToSql(query, p.path, 'csv', { delimiter: p.delimiter, header: p.header }) }),
  },
});
