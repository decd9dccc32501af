/**
 * Reading and writing files in the Python targets, with the column types Kanvas reads (from the
 * export's schema), so the exported code computes on the same values as the engine.
 */
import type { FileRef } from '../catalog/define-node.ts';
import type { ColumnInfo, WriteOptions } from '../db/database.ts';
import { pyStr, pyStrList } from './escape.ts';
import { pandasDtypeOf } from './pandas-expr.ts';
import { sparkType } from './spark-expr.ts';
import { NotExportable, valueType } from './sql-expr.ts';
import type { Codegen, PyCode, PyGenContext } from './types.ts';

type Ctx = PyGenContext<never, 'out'>;
type SinkCtx = PyGenContext<'in', never>;

const isDatetime = (c: ColumnInfo) => ['date', 'ts'].includes(valueType(c.type));

function dtypes(columns: ColumnInfo[], skipDatetime = true): string {
  const entries = columns.filter((c) => !(skipDatetime && isDatetime(c))).map((c) => `${pyStr(c.name)}: ${pyStr(pandasDtypeOf(c.type))}`);
  return `{${entries.join(', ')}}`;
}

/** pandas.read_csv keyword arguments that read a file as DuckDB's read_csv does. */
function csvKwargs(ref: FileRef, columns: ColumnInfo[], delimiter: string | undefined): string[] {
  const csv = 'sample' in ref ? {} : (ref.csv ?? {});
  const header = csv.header ?? true;
  const dates = columns.filter(isDatetime).map((c) => c.name);
  const nulls = ['', ...(csv.nullString !== undefined && csv.nullString !== '' ? [csv.nullString] : [])];
  return [
    `sep=${pyStr(csv.delimiter ?? delimiter ?? ',')}`,
    header ? 'header=0' : 'header=None',
    ...(header ? [] : [`names=${pyStrList(columns.map((c) => c.name))}`]),
    `dtype=${dtypes(columns)}`,
    ...(dates.length ? [`parse_dates=${pyStrList(dates)}`] : []),
    'keep_default_na=False',
    `na_values=${pyStrList(nulls)}`,
    ...(csv.encoding && csv.encoding !== 'utf-8' ? [`encoding=${pyStr(csv.encoding)}`] : []),
  ];
}

function filePath(ref: FileRef): string {
  return 'sample' in ref ? `samples/${ref.sample}.csv` : ref.path;
}

const call = (fn: string, args: string[]) => `${fn}(\n${args.map((a) => `    ${a},`).join('\n')}\n)`;

export function pandasRead(ref: FileRef, ctx: Ctx): PyCode {
  const columns = ctx.outputColumns('out');
  const path = ctx.path(filePath(ref), 'input');
  const format = 'sample' in ref ? 'csv' : ref.format;
  if (format === 'csv') return { read: call('pd.read_csv', [path, ...csvKwargs(ref, columns, ctx.csvDelimiter)]) };
  if (format === 'parquet') return { read: `pd.read_parquet(${path}).astype(${dtypes(columns)})` };
  return { read: `${ctx.helper('_read_json')}(${path}, ${dtypes(columns, false)})` };
}

/** The sink input's columns from the export's schema, or undefined when the schema does not have them. */
function knownColumns(ctx: SinkCtx): ColumnInfo[] | undefined {
  try {
    return ctx.columns('in');
  } catch (err) {
    if (err instanceof NotExportable) return undefined;
    throw err;
  }
}

export function pandasWrite(format: 'csv' | 'parquet', path: string, o: WriteOptions, ctx: SinkCtx): PyCode {
  const frame = ctx.inputs.in;
  // Columns downstream of a fitted model are unknown to the export's schema (a check does not fit):
  // then the boolean columns are found at run time.
  const columns = knownColumns(ctx);
  const bools = columns?.filter((c) => valueType(c.type) === 'bool').map((c) => c.name) ?? [];
  // DuckDB writes booleans as true/false; pandas would write True/False. Only the boolean
  // columns are rewritten: a text cell that reads "True" stays as it is.
  const boolsAsText = (cols: string[]) =>
    `${frame}.astype({${cols.map((b) => `${pyStr(b)}: "string"`).join(', ')}}).replace({${cols.map((b) => `${pyStr(b)}: {"True": "true", "False": "false"}`).join(', ')}})`;
  let data = frame;
  if (format === 'csv' && !columns) data = `${ctx.helper('_bools_as_text')}(${frame})`;
  else if (format === 'csv' && bools.length) data = boolsAsText(bools);
  const target = ctx.path(path, 'output');
  const write =
    format === 'csv'
      ? `${data}.to_csv(path, sep=${pyStr(o.delimiter ?? ',')}, header=${o.header === false ? 'False' : 'True'}, index=False, lineterminator="\\n")`
      : `${data}.to_parquet(path, index=False)`;
  return { write: [`path = ${target}`, `${ctx.helper('_makedirs')}(path)`, write] };
}

function sparkSchema(columns: ColumnInfo[]): string {
  return `T.StructType([${columns.map((c) => `T.StructField(${pyStr(c.name)}, T.${sparkType(c.type)})`).join(', ')}])`;
}

export function sparkRead(ref: FileRef, ctx: Ctx): PyCode {
  const columns = ctx.outputColumns('out');
  const path = ctx.path(filePath(ref), 'input');
  const format = 'sample' in ref ? 'csv' : ref.format;
  if (format === 'parquet') return { read: `spark.read.parquet(${path})` };
  if (format === 'json') {
    return { read: call('spark.read.json', [path, `schema=${sparkSchema(columns)}`, `multiLine=${ctx.helper('_json_is_array')}(${path})`]) };
  }
  const csv = 'sample' in ref ? {} : (ref.csv ?? {});
  return {
    read: call('spark.read.csv', [
      path,
      `schema=${sparkSchema(columns)}`,
      `header=${csv.header === false ? 'False' : 'True'}`,
      `sep=${pyStr(csv.delimiter ?? ctx.csvDelimiter ?? ',')}`,
      ...(csv.encoding && csv.encoding !== 'utf-8' ? [`encoding=${pyStr(csv.encoding)}`] : []),
      ...(csv.nullString !== undefined ? [`nullValue=${pyStr(csv.nullString)}`] : []),
      'mode="FAILFAST"',
    ]),
  };
}

export function sparkWrite(format: 'csv' | 'parquet', path: string, o: WriteOptions, ctx: SinkCtx): PyCode {
  const writer = `${ctx.inputs.in}.coalesce(1).write.mode("overwrite")`;
  return {
    write: [
      format === 'csv'
        ? `${writer}.csv(${ctx.path(path, 'output')}, header=${o.header === false ? 'False' : 'True'}, sep=${pyStr(o.delimiter ?? ',')})`
        : `${writer}.parquet(${ctx.path(path, 'output')})`,
    ],
  };
}

export function beamRead(ref: FileRef, ctx: Ctx): PyCode {
  const columns = ctx.outputColumns('out');
  const path = ctx.path(filePath(ref), 'input');
  const format = 'sample' in ref ? 'csv' : ref.format;
  const row = ctx.helper('_row');
  if (format === 'parquet') return { read: `(\n    p\n    | ${ctx.label('read')} >> beam.io.ReadFromParquet(${path})\n    | ${ctx.label('rows')} >> beam.Map(${row})\n)` };
  if (format === 'json') {
    return { read: `(\n    p\n    | ${ctx.label('path')} >> beam.Create([${path}])\n    | ${ctx.label('read')} >> beam.FlatMap(${ctx.helper('_json_rows')}, ${pyStrList(columns.filter((c) => valueType(c.type) === 'str').map((c) => c.name))})\n)` };
  }
  const kwargs = csvKwargs(ref, columns, ctx.csvDelimiter).join(', ');
  return { read: `(\n    p\n    | ${ctx.label('read')} >> beam.io.ReadFromCsv(${path}, ${kwargs})\n    | ${ctx.label('rows')} >> beam.Map(lambda r: ${row}(r._asdict()))\n)` };
}

export function beamWrite(format: 'csv' | 'parquet', path: string, o: WriteOptions, ctx: SinkCtx): PyCode {
  const columns = pyStrList(ctx.columns('in').map((c) => c.name));
  const target = ctx.path(path, 'output');
  const rows = ctx.inputs.in;
  if (ctx.ordered('in')) {
    const writer = format === 'csv' ? `${ctx.helper('_write_csv_file')}, ${target}, ${columns}, ${pyStr(o.delimiter ?? ',')}, ${o.header === false ? 'False' : 'True'}` : `${ctx.helper('_write_parquet_file')}, ${target}, ${columns}`;
    return { write: [`${rows} | ${ctx.label('write')} >> beam.Map(${writer})`] };
  }
  if (format === 'csv') {
    const header = o.header === false ? '' : `, header=${ctx.helper('_csv_line')}(dict(zip(${columns}, ${columns})), ${columns}, ${pyStr(o.delimiter ?? ',')})`;
    return {
      write: [
        '(',
        `    ${rows}`,
        `    | ${ctx.label('format')} >> beam.Map(${ctx.helper('_csv_line')}, ${columns}, ${pyStr(o.delimiter ?? ',')})`,
        `    | ${ctx.label('write')} >> beam.io.WriteToText(${target}, num_shards=1, shard_name_template=""${header})`,
        ')',
      ],
    };
  }
  return {
    write: [
      `${rows} | ${ctx.label('write')} >> beam.io.WriteToParquet(${target}, ${ctx.helper('_arrow_schema')}(${pyStr(JSON.stringify(ctx.columns('in').map((c) => [c.name, c.type])))}), num_shards=1, shard_name_template="")`,
    ],
  };
}

/** The code of a file source in every target: read the file it names, as the engine reads it. */
export function fileSourceCodegen<P>(fileOf: (params: P) => FileRef): Codegen<never, 'out', P> {
  return {
    pandas: (p, ctx) => pandasRead(fileOf(p), ctx),
    pyspark: (p, ctx) => sparkRead(fileOf(p), ctx),
    beam: (p, ctx) => beamRead(fileOf(p), ctx),
    sql: (_p, ctx) => ({ query: `SELECT * FROM ${ctx.fileSql()}` }),
  };
}
