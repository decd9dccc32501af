import { z } from 'zod';
import { defineNode } from '../../catalog/define-node.ts';
import { port } from '../../catalog/ports.ts';
import { ident } from '../../sql/quote.ts';
import type { ColumnInfo } from '../../db/database.ts';
import { pyStrList, sparkIdent } from '../../export/escape.ts';
import { resolveColumn } from '../../export/sql-expr.ts';

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
  codegen: {
    pandas: (p, ctx) => {
      const plan = joinPlan(p, ctx.columns('left'), ctx.columns('right'));
      const renamed = (frame: string, renames: [string, string][], dropNullKeys: string[] | null) =>
        `${frame}${dropNullKeys ? `.dropna(subset=${pyStrList(dropNullKeys)})` : ''}${renames.length ? `.rename(columns={${renames.map(([a, b]) => `${ctx.str(a)}: ${ctx.str(b)}`).join(', ')}})` : ''}`;
      const leftOn = pyStrList(plan.pairs.map((k) => k.leftOn));
      const rightOn = pyStrList(plan.pairs.map((k) => k.rightOn));
      const [lk, rk] = [plan.pairs.map((k) => k.left), plan.pairs.map((k) => k.right)];
      const out = ctx.outputs.out;
      if (p.how === 'outer') {
        return { lines: [`${out} = ${ctx.helper('_outer_merge')}(`, `    ${renamed(ctx.inputs.left, plan.leftRenames, null)},`, `    ${renamed(ctx.inputs.right, plan.rightRenames, null)},`, `    ${leftOn},`, `    ${rightOn},`, ')'] };
      }
      // NULL keys match nothing in SQL; pandas would match NaN with NaN, so they are dropped from the side that must match.
      const left = renamed(ctx.inputs.left, plan.leftRenames, p.how === 'inner' || p.how === 'right' ? lk : null);
      const right = renamed(ctx.inputs.right, plan.rightRenames, p.how === 'inner' || p.how === 'left' ? rk : null);
      return { lines: [`${out} = ${left}.merge(`, `    ${right},`, `    how=${ctx.str(p.how)},`, `    left_on=${leftOn},`, `    right_on=${rightOn},`, ')'] };
    },
    pyspark: (p, ctx) => {
      const plan = joinPlan(p, ctx.columns('left'), ctx.columns('right'));
      const col = (side: 'l' | 'r', name: string) => `F.col(${ctx.str(`${side}.${sparkIdent(name)}`)})`;
      const on = plan.pairs.map((k) => `(${col('l', k.left)} == ${col('r', k.right)})`).join(' & ');
      const how = { inner: 'inner', left: 'left', right: 'right', outer: 'full' }[p.how];
      const items = plan.items.map((i) => {
        const value = i.coalesce ? `F.coalesce(${col('l', i.column)}, ${col('r', i.coalesce)})` : col(i.side === 'left' ? 'l' : 'r', i.column);
        return `    ${value}.alias(${ctx.str(i.name)}),`;
      });
      return {
        lines: [
          `${ctx.outputs.out} = (`,
          `    ${ctx.inputs.left}.alias("l")`,
          `    .join(${ctx.inputs.right}.alias("r"), ${on}, ${ctx.str(how)})`,
          '    .select(',
          ...items.map((i) => `    ${i}`),
          '    )',
          ')',
        ],
      };
    },
    beam: (p, ctx) => {
      const plan = joinPlan(p, ctx.columns('left'), ctx.columns('right'));
      const side = (port: 'left' | 'right', keys: string[]) =>
        `${ctx.inputs[port]}${ctx.ordered(port) ? ` | ${ctx.label(`${port} rows`)} >> beam.FlatMap(lambda rows: rows)` : ''} | ${ctx.label(`key ${port}`)} >> beam.Map(lambda row: (${ctx.helper('_join_key')}(row, ${pyStrList(keys)}), row))`;
      const outputs = `[${plan.items.map((i) => `(${ctx.str(i.name)}, "${i.side}", ${ctx.str(i.column)}, ${i.coalesce ? ctx.str(i.coalesce) : 'None'})`).join(', ')}]`;
      return {
        lines: [
          `${ctx.outputs.out} = (`,
          '    {',
          `        "left": ${side('left', plan.pairs.map((k) => k.left))},`,
          `        "right": ${side('right', plan.pairs.map((k) => k.right))},`,
          '    }',
          `    | ${ctx.label('co-group')} >> beam.CoGroupByKey()`,
          `    | ${ctx.label()} >> beam.FlatMap(${ctx.helper('_join_rows')}, ${ctx.str(p.how)}, ${outputs})`,
          ')',
        ],
      };
    },
    sql: (_p, ctx) => ({ query: ctx.kindSql() }),
  },
});

/**
 * The output columns of a join, as the SQL above names them: left columns (a shared key once,
 * coalesced for right and outer joins), then right columns; names present on both sides (ignoring
 * case) get the suffixes. Also the renames that give a pandas merge the same columns.
 */
function joinPlan(p: { how: string; on: (string | { left: string; right: string })[]; suffixes: [string, string] }, leftColumns: ColumnInfo[], rightColumns: ColumnInfo[]) {
  const lower = (s: string) => s.toLowerCase();
  const pairs = p.on.map((k) => {
    const [l, r] = typeof k === 'string' ? [k, k] : [k.left, k.right];
    const left = resolveColumn(l, leftColumns);
    const right = resolveColumn(r, rightColumns);
    const shared = lower(left) === lower(right);
    return { left, right, shared, leftOn: left, rightOn: right };
  });
  const shared = new Set(pairs.filter((k) => k.shared).map((k) => lower(k.left)));
  const leftCols = leftColumns.map((c) => c.name);
  const rightCols = rightColumns.map((c) => c.name).filter((c) => !shared.has(lower(c)));
  const leftNames = new Set(leftCols.map(lower));
  const rightNames = new Set(rightCols.map(lower));
  const coalesce = p.how === 'right' || p.how === 'outer';
  const items: { name: string; side: 'left' | 'right'; column: string; coalesce?: string }[] = [];
  const leftRenames: [string, string][] = [];
  const rightRenames: [string, string][] = [];
  for (const c of leftCols) {
    if (shared.has(lower(c))) {
      const pair = pairs.find((k) => k.shared && lower(k.left) === lower(c))!;
      items.push({ name: c, side: 'left', column: c, ...(coalesce ? { coalesce: pair.right } : {}) });
    } else if (rightNames.has(lower(c))) {
      items.push({ name: c + p.suffixes[0], side: 'left', column: c });
      leftRenames.push([c, c + p.suffixes[0]]);
    } else items.push({ name: c, side: 'left', column: c });
  }
  for (const c of rightCols) {
    if (leftNames.has(lower(c))) {
      items.push({ name: c + p.suffixes[1], side: 'right', column: c });
      rightRenames.push([c, c + p.suffixes[1]]);
    } else items.push({ name: c, side: 'right', column: c });
  }
  // A shared key takes the left side's name, so pandas merges the two into one column.
  for (const k of pairs) {
    if (k.shared && k.right !== k.left) {
      rightRenames.push([k.right, k.left]);
      k.rightOn = k.left;
    }
  }
  // A renamed key column is matched under its new name.
  for (const k of pairs) {
    k.leftOn = leftRenames.find(([a]) => a === k.left)?.[1] ?? k.left;
    if (!k.shared) k.rightOn = rightRenames.find(([a]) => a === k.right)?.[1] ?? k.right;
  }
  return { pairs, items, leftRenames, rightRenames };
}
