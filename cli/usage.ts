export const usage = `kanvas — run, check and inspect Kanvas pipelines

Usage:
  kanvas run PIPELINE [--out DIR] [--emit-all] [--json] [--engine native|wasm] [--no-cache]
  kanvas validate PIPELINE [--json] [--engine native|wasm]
  kanvas export PIPELINE --target pandas|pyspark|beam|sql [--out FILE|DIR] [--date YYYY-MM-DD] [--json] [--no-cache]
  kanvas catalog [--json]

Commands:
  run        Run the pipeline. Progress goes to stderr; a summary (or, with --json, the run
             record) to stdout. With --out, sinks write relative paths under DIR, and DIR gets
             run.json; --emit-all also writes every node's tables as DIR/nodes/<id>/<port>.csv.
  validate   Check the document and bind every SQL node against its real inputs, without
             running anything. Prints the problems; exit code 1 if there are any.
  export     Write the pipeline as code: pandas, PySpark, Apache Beam or DuckDB SQL. The pipeline is
             checked against its files first, for the column types. Without --out the main file
             goes to stdout; --out DIR gets every file (and sample datasets it reads), --out FILE
             the main file. --date sets the header's date (default today) for reproducible output.
             Tuners export the best params of the last \`kanvas run\` (from .kanvas/cache) while
             they and their inputs are unchanged.
             Nodes a target cannot express are listed with the reason (stderr; exit code 0).
  catalog    List node kinds, their ports and params (--json: params as JSON Schema).

Options:
  --engine native|wasm   DuckDB build to run on (default: native).
  --no-cache             Ignore and do not write the output cache in .kanvas/cache (run, export).
  --debug                Print stack traces for internal errors.
  -h, --help             This help.     --version   Print the version.

Exit codes: 0 ok, 1 pipeline or data error, 2 usage error, 130 cancelled (Ctrl-C).
`;
