import type { RunContext, TableValue } from '../catalog/define-node.ts';
import type { JsRows, Primitive } from '../db/database.ts';
import { PipelineError } from '../errors.ts';
import { ident } from '../sql/quote.ts';
import type { Applier } from './appliers.ts';
import type { ModelArtifact } from './artifact.ts';
import { appendColumns } from './logistic.ts';

const ROW = '__kv_row';
let tableCount = 0;

/** The type a JS value column is loaded with (then cast to the type it should have). */
function jsType(values: Primitive[]): JsRows['columns'][number]['type'] {
  const v = values.find((x) => x !== null);
  return typeof v === 'string' ? 'VARCHAR' : typeof v === 'boolean' ? 'BOOLEAN' : 'DOUBLE';
}

/**
 * Applies a JS applier (`predict`) to a table: reads the artifact's feature columns in row order,
 * scores them, loads the scores as a table numbered by row, and joins them back onto the rows by
 * position (DuckDB's `rowid` of the stored input), keeping the input's row order. The appended
 * columns replace input columns of the same names, as the SQL appliers do.
 */
export async function scoreRows(
  predict: NonNullable<Applier['predict']>,
  artifact: ModelArtifact,
  input: TableValue,
  ctx: Pick<RunContext<string, unknown>, 'node' | 'db' | 'readRows' | 'materialize'>,
): Promise<TableValue> {
  // A stored table numbers its rows (rowid); anything else is stored first.
  const table = /^"(?:[^"]|"")*"$/.test(input.relation) ? input : await ctx.materialize(`SELECT * FROM ${input.relation}`);
  const features = artifact.features.map((f) => table.columns.find((c) => c.name.toLowerCase() === f.name.toLowerCase())!);
  const { rows } = await ctx.readRows(`SELECT ${features.map((f) => `${ident(f.name)}::DOUBLE`).join(', ') || '1'} FROM ${table.relation} ORDER BY rowid`);
  const X = features.map((f, j) =>
    Float64Array.from(rows, (r) => {
      const v = r[j];
      if (v === null || v === undefined) {
        throw new PipelineError({ code: 'data', node: ctx.node, port: 'data', message: `column "${f.name}" has NULL values, which the ${artifact.kind} model cannot score: fill them first (features.impute) or filter them out` });
      }
      return v as number;
    }),
  );
  const out = predict(artifact, X);
  const n = rows.length;
  const columns: JsRows['columns'] = [{ name: ROW, type: 'BIGINT' }, { name: '__kv_prediction', type: jsType(out.prediction) }];
  const appended: [string, string][] = [['prediction', `CAST(${ident('__kv_prediction')} AS ${out.predictionType})`]];
  const extra: Float64Array[] = [];
  if (out.probability) {
    columns.push({ name: '__kv_probability', type: 'DOUBLE' });
    appended.push(['probability', ident('__kv_probability')]);
    extra.push(out.probability);
  }
  (out.classProbabilities ?? []).forEach((c, k) => {
    columns.push({ name: `__kv_p${k}`, type: 'DOUBLE' });
    appended.push([c.name, ident(`__kv_p${k}`)]);
    extra.push(c.values);
  });
  const data: Primitive[][] = new Array(n);
  for (let i = 0; i < n; i++) data[i] = [i, out.prediction[i]!, ...extra.map((e) => e[i]!)];
  const scores = `kv_scores_${ctx.node.replace(/\W/g, '_').slice(0, 40)}_${(tableCount++).toString(36)}`;
  await ctx.db.insertRows(scores, { columns, rows: data });
  try {
    // Row positions of the stored table: rowids in order, numbered from 0.
    const numbered = `SELECT *, row_number() OVER (ORDER BY rowid) - 1 AS ${ident(ROW)} FROM ${table.relation}`;
    const joined = `SELECT t.*, s.* EXCLUDE (${ident(ROW)}) FROM (${numbered}) t JOIN ${ident(scores)} s ON t.${ident(ROW)} = s.${ident(ROW)}`;
    return await ctx.materialize(`${appendColumns(joined, table.columns, appended)} ORDER BY ${ident(ROW)}`);
  } finally {
    await ctx.db.exec(`DROP TABLE IF EXISTS ${ident(scores)}`);
  }
}
