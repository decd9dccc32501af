import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Engine, RunRecord } from '../engine/index.ts';
import { writeFileAtomic } from '../engine/node/atomic-write.ts';
import { useNodeTensorFlow } from '../engine/node/tf-wasm.ts';
import { EXIT, UsageError, type CliIO } from './io.ts';
import { loadPipelineFile } from './load.ts';
import { openCliEngine } from './open-engine.ts';
import { printProblems, type CliOptions } from './main.ts';
import { describeOutputs, ProgressView } from './progress-view.ts';

export async function runCommand(file: string, values: CliOptions, io: CliIO): Promise<number> {
  if (values['emit-all'] && !values.out) throw new UsageError('--emit-all needs --out DIR');
  const load = await loadPipelineFile(file, io.cwd);
  if (!load.ok) {
    printProblems(io, load.problems);
    return EXIT.failed;
  }
  const { pipeline, dir } = load.loaded;
  const outDir = values.out ? path.resolve(io.cwd, values.out) : undefined;
  // model.mlp trains with TensorFlow.js on its wasm backend.
  useNodeTensorFlow();
  const engine = await openCliEngine(values, load.loaded.path);
  const controller = new AbortController();
  io.onInterrupt?.(() => {
    io.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
    controller.abort();
  });
  const view = new ProgressView(io);
  let record: RunRecord;
  try {
    record = await engine.run(pipeline, {
      baseDir: dir,
      ...(outDir ? { outDir } : {}),
      signal: controller.signal,
      useCache: !values['no-cache'],
      ...(values['emit-all'] ? { materialize: 'all' as const } : {}),
      onProgress: view.update,
    });
  } finally {
    view.end();
  }
  if (outDir) {
    await writeJsonAtomic(path.join(outDir, 'run.json'), record);
    if (values['emit-all'] && record.status === 'ok') await emitAll(engine, load.loaded.pipeline, record, outDir);
  }
  await engine.close();
  if (values.json) io.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
  else io.stdout.write(summary(record));
  printProblems(io, record.problems);
  return record.status === 'ok' ? EXIT.ok : record.status === 'cancelled' ? EXIT.interrupted : EXIT.failed;
}

/** Every node's outputs under `DIR/nodes/<id>/`: tables as CSV, reports as JSON. */
async function emitAll(engine: Engine, pipeline: Parameters<Engine['run']>[0], record: RunRecord, outDir: string): Promise<void> {
  for (const [id, rec] of Object.entries(record.nodes)) {
    for (const port of Object.keys(rec.outputs ?? {})) {
      const value = engine.output(pipeline, id, port);
      if (!value) continue;
      const folder = path.join(outDir, 'nodes', id);
      await mkdir(folder, { recursive: true });
      if (value.type === 'table') await engine.db.writeFile(`SELECT * FROM ${value.relation}`, path.join(folder, `${port}.csv`), 'csv');
      else await writeJsonAtomic(path.join(folder, `${port}.json`), value);
    }
  }
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

function summary(record: RunRecord): string {
  const rows = Object.entries(record.nodes).map(([id, n]) => [
    id,
    n.kind,
    n.fusedInto ? `${n.status} (fused → ${n.fusedInto})` : n.status,
    n.error ? n.error.message : describeOutputs(n),
    n.fusedInto ? '' : `${n.durationMs} ms`,
    n.status === 'cached' ? '' : n.cache.reason,
  ]);
  const header = ['node', 'kind', 'status', 'result', 'time', 'why it ran'];
  const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const counts = Object.values(record.nodes).reduce<Record<string, number>>((acc, n) => ({ ...acc, [n.status]: (acc[n.status] ?? 0) + 1 }), {});
  const tally = Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ');
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${record.pipeline}: ${record.status} in ${record.durationMs} ms (${tally}) on ${record.engine} DuckDB ${record.duckdb}\n`;
}
