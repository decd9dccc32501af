import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { sqlQuery } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { statementBody, withCtes } from '../../sql/statement.ts';
import { freeSqlReason } from '../../export/reasons.ts';

export const sql = defineNode({
  kind: 'transform.sql',
  version: 1,
  title: 'SQL',
  category: 'transform',
  description: 'Free DuckDB SQL over the input, which the query calls `input`.',
  docs: 'One SELECT statement; the input table is named `input` (e.g. `SELECT plan, count(*) FROM input GROUP BY plan`).',
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z.strictObject({
    query: sqlQuery('A SELECT over `input`.'),
  }),
  sql: ({ in: input }, p) => withCtes(`input AS (SELECT * FROM ${input})`, statementBody(p.query).body),
  codegen: {
    pandas: { unsupported: freeSqlReason('pandas') },
    pyspark: { unsupported: freeSqlReason('PySpark') },
    beam: { unsupported: freeSqlReason('Beam') },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});
