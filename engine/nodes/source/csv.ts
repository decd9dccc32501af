import { z } from 'zod';
import { defineNode, type FileRef } from '../../catalog/define-node.ts';
import { extensionsOf } from '../../catalog/data-files.ts';
import { filePath } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { fileSourceCodegen } from '../../export/python-io.ts';

const params = z.strictObject({
  path: filePath('Path of the file, relative to the pipeline file’s folder.', extensionsOf('source.csv')),
  delimiter: z.string().length(1, 'expected one character').optional().meta({ description: 'Field separator; detected when absent.' }),
  header: z.boolean().default(true).meta({ description: 'The first row holds column names.' }),
  types: z
    .record(z.string().min(1), z.string().min(1))
    .optional()
    .meta({ description: 'Column name → DuckDB type (e.g. {"zip": "VARCHAR"}), overriding detection.' }),
  encoding: z.enum(['utf-8', 'latin-1', 'utf-16']).default('utf-8').meta({ description: 'Text encoding of the file.' }),
  nullString: z.string().optional().meta({ description: 'Text that stands for NULL besides the empty field (e.g. "NA").' }),
});

export const sourceCsv = defineNode({
  kind: 'source.csv',
  version: 1,
  title: 'CSV file',
  category: 'source',
  description: 'Reads a delimited text file; column types are detected unless given.',
  docs: `Column names come from the header row (or \`column0\`, \`column1\`, … without one). DuckDB's
sniffer detects the delimiter and column types from a sample of the file; set \`types\` for a
column whose type the sample gets wrong. Fields may be quoted with \`"\` (a quote inside is
doubled, as in RFC 4180); a quote that is never closed is an error naming its line. Empty fields
are NULL.`,
  inputs: {},
  outputs: { out: port.table() },
  params,
  file: (p) => fileOf(p),
  codegen: fileSourceCodegen(fileOf),
});

function fileOf(p: z.output<typeof params>): FileRef {
  return {
    path: p.path,
    format: 'csv',
    csv: { delimiter: p.delimiter, header: p.header, types: p.types, encoding: p.encoding, nullString: p.nullString },
  };
}
