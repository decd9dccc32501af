import { EXIT, type CliIO } from './io.ts';
import { loadPipelineFile } from './load.ts';
import { openCliEngine } from './open-engine.ts';
import { printProblems, type CliOptions } from './main.ts';

/** Document checks, then every SQL node bound against its real inputs (no data read, nothing written). */
export async function validateCommand(file: string, values: CliOptions, io: CliIO): Promise<number> {
  const load = await loadPipelineFile(file, io.cwd);
  let problems = load.ok ? [] : load.problems;
  let checked = 0;
  if (load.ok) {
    const engine = await openCliEngine(values);
    const record = await engine.check(load.loaded.pipeline, { baseDir: load.loaded.dir });
    await engine.close();
    problems = record.problems;
    checked = Object.values(record.nodes).filter((n) => n.status === 'done').length;
  }
  if (values.json) io.stdout.write(`${JSON.stringify({ ok: problems.length === 0, problems }, null, 2)}\n`);
  else if (problems.length === 0 && load.ok) {
    io.stdout.write(`${file}: ok (${load.loaded.pipeline.order.length} nodes, ${checked} SQL nodes bound)\n`);
  }
  printProblems(io, problems);
  return problems.length ? EXIT.failed : EXIT.ok;
}
