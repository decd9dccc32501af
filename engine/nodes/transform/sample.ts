import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { seed } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { doubleLiteral } from '../../sql/quote.ts';
import { keyedRows } from '../../sql/seeded-order.ts';
import { pyNumber } from '../../export/escape.ts';

export const sample = defineNode({
  kind: 'transform.sample',
  version: 1,
  title: 'Random sample',
  category: 'transform',
  description: 'Draws n rows, or a fraction of them, at random without replacement (seeded).',
  docs: `Exactly \`n\` rows (or fraction × rows in double precision rounded half to even, as pandas'
\`DataFrame.sample\`: 0.25 × 10 rows gives 2), chosen by a seeded random key, so the same seed
picks the same rows, in every engine and in exported code. Kept rows stay in their input order.`,
  inputs: { in: port.table() },
  outputs: { out: port.table() },
  params: z
    .strictObject({
      n: z.number().int().min(0).optional().meta({ description: 'Number of rows.' }),
      fraction: z.number().min(0).max(1).optional().meta({ description: 'Fraction of rows, 0–1.' }),
      seed: seed(),
    })
    .refine((p) => (p.n === undefined) !== (p.fraction === undefined), { message: 'give either n or fraction (one of them)' }),
  materializedInputs: true,
  sql: ({ in: input }, p, ctx) => {
    const count = p.n !== undefined ? String(p.n) : `round_even(${doubleLiteral(p.fraction!)} * count(*) OVER (), 0)`;
    return `SELECT * EXCLUDE (__pos, __rank, __key, __pick) FROM (
  SELECT *, row_number() OVER (ORDER BY __key, __rank) <= ${count} AS __pick FROM (${keyedRows(input, ctx.columns('in'), p.seed)})
) WHERE __pick ORDER BY __pos`;
  },
  codegen: {
    pandas: (p, ctx) => ({ step: `.pipe(${ctx.helper('_sample')}, ${p.n ?? 'None'}, ${p.fraction === undefined ? 'None' : pyNumber(p.fraction)}, ${p.seed})` }),
    pyspark: (p, ctx) => ({ step: `.transform(lambda frame: ${ctx.helper('_sample')}(frame, ${p.n ?? 'None'}, ${p.fraction === undefined ? 'None' : pyNumber(p.fraction)}, ${p.seed}))` }),
    beam: (p, ctx) => {
      const take = `| ${ctx.label()} >> beam.Map(${ctx.helper('_sample_rows')}, ${p.n ?? 'None'}, ${p.fraction === undefined ? 'None' : pyNumber(p.fraction)}, ${p.seed})`;
      return { step: ctx.ordered('in') ? take : `| ${ctx.label('gather')} >> beam.combiners.ToList()\n${take}`, ordered: true };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});
