import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportCode, exportSchema, exportTargets, type ExportTarget } from '../engine/index.ts';
import { nodeHostFiles } from '../engine/node/host-files.ts';
import type { RunResults } from '../engine/service/engine-api.ts';
import { EXIT, UsageError, type CliIO } from './io.ts';
import { loadPipelineFile } from './load.ts';
import { openCliEngine } from './open-engine.ts';
import { printProblems, type CliOptions } from './main.ts';
import { version } from './version.ts';

/**
 * `kanvas export PIPELINE --target T [--out FILE|DIR] [--date YYYY-MM-DD] [--json]`: the pipeline
 * as code. The pipeline is checked against its files first (no data read) for the column types the
 * code reads with. Without --out the main file goes to stdout; --out DIR (an existing folder, or a
 * path ending in a separator or without an extension) gets every file and the sample datasets the
 * code reads; --out FILE gets the main file, other files beside it. Results of the last
 * `kanvas run` that are still current (its disk cache) go in: a tuner's best params.
 */
export async function exportCommand(file: string, values: CliOptions, io: CliIO): Promise<number> {
  const target = values.target;
  if (target === undefined) throw new UsageError(`export needs --target ${exportTargets.join('|')}`);
  if (!(exportTargets as readonly string[]).includes(target)) throw new UsageError(`--target must be one of ${exportTargets.join(', ')}, not "${target}"`);
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`--date must be YYYY-MM-DD, not "${date}"`);
  const load = await loadPipelineFile(file, io.cwd);
  if (!load.ok) {
    printProblems(io, load.problems);
    return EXIT.failed;
  }
  const { pipeline, dir } = load.loaded;
  // The disk cache `kanvas run` keeps: tuners export the best params of the last run from it.
  const engine = await openCliEngine(values, load.loaded.path);
  let checked;
  let results: RunResults;
  try {
    checked = await exportSchema(engine, pipeline, dir, nodeHostFiles);
    results = await engine.runResults(pipeline);
  } finally {
    await engine.close();
  }
  const result = exportCode(pipeline.doc, target as ExportTarget, { date, version, schema: checked.schema, results: (node, port) => results[node]?.[port] });
  if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (values.out === undefined) {
    if (!values.json) io.stdout.write(result.files[result.main]!);
    const others = Object.keys(result.files).filter((f) => f !== result.main);
    if (others.length && !values.json) io.stderr.write(`note: also ${others.join(', ')}; use --out DIR to write every file\n`);
  } else {
    const out = path.resolve(io.cwd, values.out);
    const isDir = (await stat(out).catch(() => null))?.isDirectory() || /[\\/]$/.test(values.out) || path.extname(out) === '';
    const folder = isDir ? out : path.dirname(out);
    await mkdir(folder, { recursive: true });
    for (const [name, text] of Object.entries(result.files)) {
      const to = !isDir && name === result.main ? out : path.join(folder, name);
      await writeFile(to, text);
      io.stderr.write(`wrote ${to}\n`);
    }
    if (isDir) {
      for (const sample of result.samples) {
        await mkdir(path.join(folder, 'samples'), { recursive: true });
        await copyFile(nodeHostFiles.samplePath(sample), path.join(folder, 'samples', `${sample}.csv`));
        io.stderr.write(`copied sample dataset ${sample} to ${path.join(folder, 'samples', `${sample}.csv`)}\n`);
      }
    }
  }
  for (const s of result.skipped) io.stderr.write(`not exported: ${s.node} (${s.kind}): ${s.reason}\n`);
  printProblems(io, checked.problems.map((p) => ({ code: 'sql' as const, ...p })));
  return checked.problems.length ? EXIT.failed : EXIT.ok;
}
