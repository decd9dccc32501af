import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { seed } from '../../catalog/params.ts';
import { port } from '../../catalog/ports.ts';
import { doubleLiteral, ident } from '../../sql/quote.ts';
import { keyedRows } from '../../sql/seeded-order.ts';
import { pyNumber } from '../../export/escape.ts';
import { resolveColumn } from '../../export/sql-expr.ts';
import type { PyGenContext } from '../../export/types.ts';

export const split = defineNode({
  kind: 'transform.split',
  version: 1,
  title: 'Train/test split',
  category: 'transform',
  description: 'Splits rows into train and test sets at random (seeded), optionally stratified.',
  docs: `The test set has exactly ceil(testFraction × rows) rows, as scikit-learn's \`train_test_split\`
(the product in double precision, as there: 0.07 × 200 is 14.000000000000002, so 15 rows).
With \`stratify\`, each class keeps its share: the train rows are shared out over the classes by
largest remainder (ties to the class that sorts first), as scikit-learn's \`StratifiedShuffleSplit\`
does (which breaks ties at random), and the rest of each class is test. Rows are chosen by a
seeded random key, so the same seed gives the same split in every engine and in exported code.
Both outputs keep the input's row order.`,
  inputs: { in: port.table() },
  outputs: { train: port.table('Training rows.'), test: port.table('Test rows.') },
  params: z.strictObject({
    testFraction: z.number().gt(0).lt(1).default(0.25).meta({ description: 'Share of rows in the test set (0–1).' }),
    seed: seed(),
    stratify: z.string().min(1).optional().meta({ widget: 'column', description: 'Class column whose proportions both sets keep.' }),
  }),
  materializedInputs: true,
  columnRefs: (p) => (p.stratify ? [{ param: 'stratify', column: p.stratify, input: 'in' }] : []),
  sql: ({ in: input }, p, ctx) => {
    const keyed = keyedRows(input, ctx.columns('in'), p.seed);
    const inTest = p.stratify ? stratifiedTest(keyed, ident(p.stratify), p.testFraction) : plainTest(keyed, p.testFraction);
    const pick = (test: boolean) => `SELECT * EXCLUDE (__pos, __rank, __key, __test) FROM (${inTest}) WHERE ${test ? '' : 'NOT '}__test ORDER BY __pos`;
    return { train: pick(false), test: pick(true) };
  },
  codegen: {
    pandas: (p, ctx) => ({
      lines: [`${ctx.outputs.train}, ${ctx.outputs.test} = ${ctx.helper('_split')}(${ctx.inputs.in}, ${pyNumber(p.testFraction)}, ${p.seed}${stratifyArg(p, ctx)})`],
    }),
    pyspark: (p, ctx) => ({
      lines: [`${ctx.outputs.train}, ${ctx.outputs.test} = ${ctx.helper('_split')}(${ctx.inputs.in}, ${pyNumber(p.testFraction)}, ${p.seed}${stratifyArg(p, ctx)})`],
    }),
    beam: (p, ctx) => {
      const gather = ctx.ordered('in') ? '' : ` | ${ctx.label('gather')} >> beam.combiners.ToList()`;
      const both = `${ctx.outputs.train}_and_${ctx.outputs.test}`;
      return {
        lines: [
          `${both} = ${ctx.inputs.in}${gather} | ${ctx.label()} >> beam.Map(${ctx.helper('_split_rows')}, ${pyNumber(p.testFraction)}, ${p.seed}, ${p.stratify === undefined ? 'None' : ctx.str(resolveColumn(p.stratify, ctx.columns('in')))})`,
          `${ctx.outputs.train} = ${both} | ${ctx.label('train')} >> beam.Map(lambda parts: parts[0])`,
          `${ctx.outputs.test} = ${both} | ${ctx.label('test')} >> beam.Map(lambda parts: parts[1])`,
        ],
        ordered: true,
      };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});

function stratifyArg(p: { stratify?: string | undefined }, ctx: PyGenContext<'in', 'train' | 'test'>): string {
  return p.stratify === undefined ? '' : `, stratify=${ctx.str(resolveColumn(p.stratify, ctx.columns('in')))}`;
}

function plainTest(keyed: string, fraction: number): string {
  return `SELECT *, row_number() OVER (ORDER BY __key, __rank) <= ceil(${doubleLiteral(fraction)} * count(*) OVER ()) AS __test FROM (${keyed})`;
}

/** Train rows per class by largest remainder of n_train × class share; the rest of each class is test. */
function stratifiedTest(keyed: string, cls: string, fraction: number): string {
  return `WITH rows AS (${keyed}),
classes AS (
  SELECT ${cls} AS __class, count(*) AS __n FROM rows GROUP BY ALL
),
shares AS (
  SELECT *, __n * (sum(__n) OVER () - ceil(${doubleLiteral(fraction)} * sum(__n) OVER ())) / sum(__n) OVER () AS __exact FROM classes
),
floors AS (
  SELECT *, floor(__exact) AS __floor, __exact - floor(__exact) AS __rem FROM shares
),
quota AS (
  SELECT __class, __n, __floor + CASE WHEN row_number() OVER (ORDER BY __rem DESC, __class ASC NULLS LAST)
    <= round(sum(__exact) OVER ()) - sum(__floor) OVER () THEN 1 ELSE 0 END AS __train_n FROM floors
)
SELECT rows.*, row_number() OVER (PARTITION BY ${cls} ORDER BY __key, __rank) > quota.__train_n AS __test
FROM rows JOIN quota ON rows.${cls} IS NOT DISTINCT FROM quota.__class`;
}
