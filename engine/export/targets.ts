/**
 * What differs between the Python targets: imports, reserved names, the expression translator,
 * helper libraries, and the module around the pipeline function.
 */
import type { ColumnInfo } from '../db/database.ts';
import { beamHelpers, translateBeam } from './beam-expr.ts';
import { beamTableHelpers } from './beam-helpers.ts';
import { pyStr } from './escape.ts';
import { translatePandas } from './pandas-expr.ts';
import { pandasHelpers, type PyHelper } from './pandas-helpers.ts';
import { translateSpark } from './spark-expr.ts';
import { sparkHelpers } from './spark-helpers.ts';
import { mlPandasHelpers } from '../ml/python-helpers.ts';
import { mlSparkHelpers } from '../ml/spark-helpers.ts';
import { modelPandasHelpers, modelSparkHelpers } from '../ml/model-helpers.ts';
import type { PyExpr } from './types.ts';

export type PyTarget = 'pandas' | 'pyspark' | 'beam';

export interface ModuleParts {
  header: string[];
  imports: Set<string>;
  helpers: string[];
  functionName: string;
  pipelineName: string;
  /** `name = read expression` entries, with comments. */
  reads: { param: string; comment: string; code: string }[];
  body: string[];
  returns: { key: string; value: string }[];
  writes: string[];
  usesParquet: boolean;
}

export interface PyTargetSpec {
  label: string;
  reserved: string[];
  helpers: Record<string, PyHelper>;
  translate(sql: string, columns: ColumnInfo[], helper: (name: string) => string): PyExpr;
  module(parts: ModuleParts): string;
  requirements(parts: ModuleParts): string;
  runLine(file: string): string[];
  /** How chained steps are written: `.method()` (pandas, Spark) or `| label >> transform` (Beam). */
  frame: string;
}

const BUILTINS = ['len', 'list', 'dict', 'set', 'tuple', 'str', 'int', 'float', 'bool', 'round', 'min', 'max', 'sum', 'abs', 'any', 'all', 'next', 'zip', 'range', 'sorted', 'reversed', 'getattr', 'isinstance', 'print', 'open', 'object', 'type', 'iter', 'map', 'filter', 'enumerate', 'super', 'format', 'input', 'id', 'hash', 'vars', 'dir', 'help', 'exit', 'quit', 'copyright', 'credits', 'license', 'slice', 'pow', 'divmod'];
const COMMON = ['csv', 'io', 'uuid', 'statistics', 'main', 'read_inputs', 'write_outputs', 'outputs', 'input_dir', 'output_dir', 'path', 'args', 'parser', 'argv', 'annotations', 'os', 'json', 'math', 're', 'datetime', 'argparse', 'np', 'pd', 'd', 'row', 'rows', 'frame', 'ordered', 'groups', 'keys', ...BUILTINS];

const indent = (lines: string[], by = '    ') => lines.map((l) => (l ? `${by}${l}` : l));

function importLines(imports: Set<string>, thirdParty: string[]): string[] {
  const std = ['argparse', 'csv', 'datetime', 'io', 'json', 'math', 'os', 're', 'statistics', 'uuid'].filter((m) => imports.has(m)).map((m) => `import ${m}`);
  return ['from __future__ import annotations', '', ...std, '', ...thirdParty];
}

function readFunction(parts: ModuleParts, signature: string, doc: string, frameType: string): string[] {
  const entries = parts.reads.flatMap((r) => [`# ${r.comment}`, ...`${pyStr(r.param)}: ${r.code},`.split('\n')]);
  return [
    `def read_inputs(${signature}) -> dict[str, ${frameType}]:`,
    `    ${pyStr(doc)}`,
    ...(entries.length ? ['    return {', ...indent(entries, '        '), '    }'] : ['    return {}']),
  ];
}

function pipelineFunction(parts: ModuleParts, frameType: string): string[] {
  const params = parts.reads.map((r) => `${r.param}: ${frameType}`).join(', ');
  const returns = parts.returns.map((r) => `${pyStr(r.key)}: ${r.value},`);
  return [
    `def ${parts.functionName}(${params}) -> dict[str, ${frameType}]:`,
    `    ${pyStr(`${parts.pipelineName}: the sources' tables in, the table each sink writes (and any other end of the graph) out.`)}`,
    ...indent(parts.body),
    ...(returns.length ? ['    return {', ...indent(returns, '        '), '    }'] : ['    return {}']),
  ];
}

function writeFunction(parts: ModuleParts, frameType: string, extraDoc = ''): string[] {
  return [
    `def write_outputs(outputs: dict[str, ${frameType}], output_dir: str = ".") -> None:`,
    `    ${pyStr(`Writes each sink's table to its file under output_dir.${extraDoc}`)}`,
    ...(parts.writes.length ? indent(parts.writes) : ['    del outputs, output_dir  # the pipeline has no sink']),
  ];
}

/** The header comment, then blocks two blank lines apart (PEP 8). */
const join = ([header, ...blocks]: string[][]) => `${header!.join('\n')}\n${blocks.filter((b) => b.length).map((b) => b.join('\n')).join('\n\n\n')}\n`;

const pandasSpec: PyTargetSpec = {
  label: 'pandas',
  reserved: [...COMMON],
  helpers: { ...pandasHelpers, ...mlPandasHelpers, ...modelPandasHelpers },
  translate: translatePandas,
  frame: 'pd.DataFrame',
  runLine: (file) => [`Run:  python ${file} [--input-dir DIR] [--output-dir DIR]`, 'Needs Python 3.9+ with pandas 1.5+ and numpy (pyarrow for Parquet, scikit-learn for models): pip install -r requirements.txt'],
  module: (parts) => {
    parts.imports.add('argparse');
    parts.imports.add('os');
    return join([
      parts.header.map((l) => `# ${l}`.trimEnd()),
      importLines(parts.imports, ['import numpy as np', 'import pandas as pd']),
      ...parts.helpers.map((h) => h.split('\n')),
      readFunction(parts, 'input_dir: str = "."', 'Reads the pipeline\'s source files, with the column types Kanvas reads them with.', 'pd.DataFrame'),
      pipelineFunction(parts, 'pd.DataFrame'),
      writeFunction(parts, 'pd.DataFrame'),
      [
        'def main(argv: list[str] | None = None) -> None:',
        `    parser = argparse.ArgumentParser(description=${pyStr(parts.pipelineName)})`,
        '    parser.add_argument("--input-dir", default=".", help="folder that relative input paths are read from")',
        '    parser.add_argument("--output-dir", default=".", help="folder that relative output paths are written to")',
        '    args = parser.parse_args(argv)',
        `    write_outputs(${parts.functionName}(**read_inputs(args.input_dir)), args.output_dir)`,
      ],
      ['if __name__ == "__main__":', '    main()'],
    ]);
  },
  requirements: (parts) =>
    `pandas>=1.5\nnumpy>=1.23\n${parts.usesParquet ? 'pyarrow>=10\n' : ''}${[...parts.helpers, ...parts.body, ...parts.imports].some((l) => l.includes('sklearn')) ? 'scikit-learn>=1.2\n' : ''}`,
};

const sparkSpec: PyTargetSpec = {
  label: 'PySpark',
  reserved: [...COMMON, 'spark', 'F', 'T', 'Window', 'SparkSession', 'DataFrame'],
  helpers: { ...sparkHelpers, ...mlSparkHelpers, ...modelSparkHelpers },
  translate: (sql, columns) => translateSpark(sql, columns),
  frame: 'DataFrame',
  runLine: (file) => [
    `Run:  spark-submit ${file} [--input-dir DIR] [--output-dir DIR]   (or: python ${file} …, with pyspark installed)`,
    'Needs PySpark 3.5+. The session runs with spark.sql.ansi.enabled=false and the UTC time zone, so',
    'SQL semantics (division by zero is NULL, integer overflow wraps) match DuckDB. Each sink writes a',
    'folder of part files at its path (one part: the output is coalesced to one partition).',
  ],
  module: (parts) => {
    parts.imports.add('argparse');
    parts.imports.add('os');
    return join([
      parts.header.map((l) => `# ${l}`.trimEnd()),
      importLines(parts.imports, ['from pyspark.sql import DataFrame, SparkSession, Window', 'from pyspark.sql import functions as F', 'from pyspark.sql import types as T']),
      ...parts.helpers.map((h) => h.split('\n')),
      readFunction(parts, 'spark: SparkSession, input_dir: str = "."', 'Reads the pipeline\'s source files, with the column types Kanvas reads them with.', 'DataFrame'),
      pipelineFunction(parts, 'DataFrame'),
      writeFunction(parts, 'DataFrame'),
      [
        'def main(argv: list[str] | None = None) -> None:',
        `    parser = argparse.ArgumentParser(description=${pyStr(parts.pipelineName)})`,
        '    parser.add_argument("--input-dir", default=".", help="folder that relative input paths are read from")',
        '    parser.add_argument("--output-dir", default=".", help="folder that relative output paths are written to")',
        '    args = parser.parse_args(argv)',
        '    spark = (',
        `        SparkSession.builder.appName(${pyStr(parts.pipelineName)})`,
        '        .config("spark.sql.ansi.enabled", "false")',
        '        .config("spark.sql.session.timeZone", "UTC")',
        '        .getOrCreate()',
        '    )',
        `    write_outputs(${parts.functionName}(**read_inputs(spark, args.input_dir)), args.output_dir)`,
        '    spark.stop()',
      ],
      ['if __name__ == "__main__":', '    main()'],
    ]);
  },
  requirements: () => 'pyspark>=3.5\n',
};

const beamSpec: PyTargetSpec = {
  label: 'Apache Beam',
  reserved: [...COMMON, 'beam', 'p', 'PipelineOptions', 'PCollection', 'FileSystems', 'pipeline_args', 'options'],
  helpers: { ...beamHelpers, ...beamTableHelpers },
  translate: translateBeam,
  frame: 'beam.PCollection',
  runLine: (file) => [
    `Run locally (DirectRunner):  python ${file} [--input-dir DIR] [--output-dir DIR]`,
    `On Dataflow:  python ${file} --input-dir gs://BUCKET/in --output-dir gs://BUCKET/out \\`,
    '                 --runner DataflowRunner --project PROJECT --region REGION --temp_location gs://BUCKET/tmp',
    `On Flink:     python ${file} --runner FlinkRunner --flink_master HOST:8081 --environment_type LOOPBACK …`,
    'Other options go to Beam (PipelineOptions). Needs apache-beam 2.52+ (and pandas, which it reads CSV with).',
    'Beam collections have no order: a sort is kept only up to the sink right after it (written as one file);',
    'order-dependent steps (sort, limit, sample, split, un-ordered windows) gather their input on one worker.',
  ],
  module: (parts) => {
    parts.imports.add('argparse');
    parts.imports.add('os');
    return join([
      parts.header.map((l) => `# ${l}`.trimEnd()),
      importLines(parts.imports, ['import apache_beam as beam', 'from apache_beam.io.filesystems import FileSystems', 'from apache_beam.options.pipeline_options import PipelineOptions']),
      ...parts.helpers.map((h) => h.split('\n')),
      readFunction(parts, 'p: beam.Pipeline, input_dir: str = "."', 'Reads the pipeline\'s source files as PCollections of dict rows, typed as Kanvas reads them.', 'beam.PCollection'),
      pipelineFunction(parts, 'beam.PCollection'),
      writeFunction(parts, 'beam.PCollection', ' Rows come as dicts; a sorted table comes as one list.'),
      [
        'def main(argv: list[str] | None = None) -> None:',
        `    parser = argparse.ArgumentParser(description=${pyStr(parts.pipelineName)})`,
        '    parser.add_argument("--input-dir", default=".", help="folder (or gs:// prefix) that relative input paths are read from")',
        '    parser.add_argument("--output-dir", default=".", help="folder (or gs:// prefix) that relative output paths are written to")',
        '    args, pipeline_args = parser.parse_known_args(argv)',
        '    with beam.Pipeline(options=PipelineOptions(pipeline_args)) as p:',
        `        write_outputs(${parts.functionName}(**read_inputs(p, args.input_dir)), args.output_dir)`,
      ],
      ['if __name__ == "__main__":', '    main()'],
    ]);
  },
  requirements: (parts) => `apache-beam>=2.52\npandas>=1.5\n${parts.usesParquet ? 'pyarrow>=10\n' : ''}`,
};

export const pyTargets: Record<PyTarget, PyTargetSpec> = { pandas: pandasSpec, pyspark: sparkSpec, beam: beamSpec };

