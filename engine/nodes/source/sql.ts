import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { sqlQuery } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { statementBody } from '../../sql/statement.ts';
import { freeSqlReason } from '../../export/reasons.ts';

export const sourceSql = defineNode({
  kind: 'source.sql',
  version: 1,
  title: 'SQL query',
  category: 'source',
  description: 'A DuckDB query as a source, e.g. generated data or a table function.',
  docs: `One SELECT (or VALUES, or a table function such as \`range(10)\`). The query's result is
cached by its text: a file it reads is not watched for changes.`,
  inputs: {},
  outputs: { out: port.table() },
  params: z.strictObject({
    query: sqlQuery('A DuckDB SELECT query.'),
  }),
  sql: (_inputs, p) => statementBody(p.query).body,
  codegen: {
    pandas: { unsupported: freeSqlReason('pandas') },
    pyspark: { unsupported: freeSqlReason('PySpark') },
    beam: { unsupported: freeSqlReason('Beam') },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});
