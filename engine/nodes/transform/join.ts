import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';

const key = z.union(
  [z.string().min(1), z.strictObject({ left: z.string().min(1), right: z.string().min(1) })],
  { error: 'expected a column name, or {"left": "<column>", "right": "<column>"}' },
);

const joinSql = { inner: 'INNER JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', outer: 'FULL OUTER JOIN' } as const;

export const join = defineNode({
  kind: 'transform.join',
  version: 1,
  title: 'Join',
  category: 'transform',
  description: 'Joins two tables on key columns (inner, left, right or full outer).',
  docs: `\`on\` lists key columns: a name present on both sides, or \`{"left": "id", "right": "customer_id"}\`.
A key with the same name on both sides appears once in the output (for right and outer joins it
takes whichever side is present). Other columns present on both sides get the suffixes
(default \`_x\`, \`_y\`, as pandas' \`merge\`). NULL keys never match, as in SQL (pandas would match NaN
with NaN). The output's row order is not defined: sort afterwards if it matters.`,
  inputs: { left: port.table('Left table.'), right: port.table('Right table.') },
  outputs: { out: port.table() },
  params: z.strictObject({
    how: z.enum(['inner', 'left', 'right', 'outer']).default('inner').meta({ description: 'Which unmatched rows to keep.' }),
    on: z.array(key).min(1, 'expected at least one key').meta({ widget: 'join-keys', description: 'Key columns.' }),
    suffixes: z
      .tuple([z.string(), z.string()])
      .default(['_x', '_y'])
      .refine(([l, r]) => l !== r, 'the two suffixes must differ')
      .meta({ description: 'Appended to non-key columns present on both sides.' }),
  }),
  columnRefs: (p) =>
    p.on.flatMap((k, i) => {
      const [l, r] = typeof k === 'string' ? [k, k] : [k.left, k.right];
      const param = typeof k === 'string' ? `on[${i}]` : undefined;
      return [
        { param: param ?? `on[${i}].left`, column: l, input: 'left' as const },
        { param: param ?? `on[${i}].right`, column: r, input: 'right' as const },
      ];
    }),
  sql: ({ left, right }, p, ctx) => {
    const pairs = p.on.map((k) => (typeof k === 'string' ? { left: k, right: k } : k));
    const lower = (s: string) => s.toLowerCase();
    const shared = new Set(pairs.filter((k) => lower(k.left) === lower(k.right)).map((k) => lower(k.left)));
    const leftCols = ctx.columns('left').map((c) => c.name);
    const rightCols = ctx.columns('right').map((c) => c.name).filter((c) => !shared.has(lower(c)));
    const leftNames = new Set(leftCols.map(lower));
    const rightNames = new Set(rightCols.map(lower));
    const items = [
      ...leftCols.map((c) => {
        if (shared.has(lower(c))) {
          const value = p.how === 'right' || p.how === 'outer' ? `COALESCE(l.${ident(c)}, r.${ident(c)})` : `l.${ident(c)}`;
          return `${value} AS ${ident(c)}`;
        }
        return rightNames.has(lower(c)) ? `l.${ident(c)} AS ${ident(c + p.suffixes[0])}` : `l.${ident(c)}`;
      }),
      ...rightCols.map((c) => (leftNames.has(lower(c)) ? `r.${ident(c)} AS ${ident(c + p.suffixes[1])}` : `r.${ident(c)}`)),
    ];
    const on = pairs.map((k) => `l.${ident(k.left)} = r.${ident(k.right)}`).join(' AND ');
    return `SELECT ${items.join(', ')} FROM ${left} AS l ${joinSql[p.how]} ${right} AS r ON ${on}`;
  },
});
