/**
 * Code that can only be written after a run: a tuner exports its best params. The engine hands
 * the exporter the models and reports of its last run while they are current; the editor and
 * `kanvas export` (from `kanvas run`'s disk cache) both pass them.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, exportCode, exportSchema, formatPipeline, type PipelineDocument } from '../../engine/index.ts';
import { nodeHostFiles } from '../../engine/node/host-files.ts';
import { openDatabase } from '../../engine/node/open-database.ts';
import { runCli } from '../support/cli.ts';
import { fixtureDir, pipeline, resolve } from '../support/engines.ts';

/** y = 3a − 2b + noise-free rounding, 60 rows: a linear model fits it. */
function data(shift = 0): string {
  const rows = Array.from({ length: 60 }, (_, i) => {
    const a = (i * 7) % 13;
    const b = (i * 5) % 11;
    return `${a},${b},${3 * a - 2 * b + shift + ((i % 3) - 1) * 0.1}`;
  });
  return `a,b,y\n${rows.join('\n')}\n`;
}

const tuned = (seed = 1): PipelineDocument =>
  pipeline(
    [
      { id: 'src', kind: 'source.csv', params: { path: 'train.csv' } },
      { id: 'tune', kind: 'tune.hpo', params: { model: 'model.linear', target: 'y', trials: 4, folds: 3, seed } },
    ],
    ['src->tune'],
    'tuned',
  );

type Results = Awaited<ReturnType<Engine['runResults']>>;

/** The pandas export with the schema a check gives and `results`. */
async function exported(engine: Engine, doc: PipelineDocument, dir: string, results: Results) {
  const { schema } = await exportSchema(engine, resolve(doc), dir, nodeHostFiles);
  return exportCode(doc, 'pandas', { date: '2026-01-01', version: '0.1.0', schema, results: (n, p) => results[n]?.[p] });
}

describe('run results for code export', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = new Engine({ db: await openDatabase('native'), files: nodeHostFiles });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('are the last run’s models and reports while the node, its inputs and files are unchanged', async () => {
    const dir = fixtureDir({ 'train.csv': data() });
    expect(await engine.runResults(resolve(tuned()))).toEqual({});
    expect((await exported(engine, tuned(), dir, {})).skipped).toEqual([expect.objectContaining({ node: 'tune', reason: expect.stringMatching(/^a tuner exports as the best params its run found/) })]);

    await engine.run(resolve(tuned()), { baseDir: dir });
    const results = await engine.runResults(resolve(tuned()));
    expect(Object.keys(results)).toEqual(['tune']);
    expect(Object.keys(results.tune!).sort()).toEqual(['model', 'report']);
    const withResults = await exported(engine, tuned(), dir, results);
    expect(withResults.skipped).toEqual([]);
    expect(withResults.files['tuned.py']).toContain('KFold(n_splits=3, shuffle=True, random_state=1)');

    // Another seed: the study in the cache is not this node's any more.
    expect(await engine.runResults(resolve(tuned(2)))).toEqual({});
    // The data file changed on disk since the run.
    appendFileSync(path.join(dir, 'train.csv'), '1,1,1\n');
    expect(await engine.runResults(resolve(tuned()))).toEqual({});
  });
});

describe('kanvas export after kanvas run', () => {
  it('writes the tuner’s best params from the disk cache; with --no-cache, or after an edit, leaves it out', async () => {
    const dir = fixtureDir({ 'train.csv': data(1) });
    writeFileSync(path.join(dir, 'p.kanvas.json'), formatPipeline(tuned()));
    const before = await runCli(['export', 'p.kanvas.json', '--target', 'pandas', '--date', '2026-01-01'], { cwd: dir });
    expect(before.code).toBe(0);
    expect(before.stderr).toContain('not exported: tune (tune.hpo): a tuner exports as the best params its run found');

    expect((await runCli(['run', 'p.kanvas.json'], { cwd: dir })).code).toBe(0);
    const after = await runCli(['export', 'p.kanvas.json', '--target', 'pandas', '--date', '2026-01-01'], { cwd: dir });
    expect(after.code).toBe(0);
    expect(after.stderr).not.toContain('not exported');
    expect(after.stdout).toContain('cross_val_score(');

    const noCache = await runCli(['export', 'p.kanvas.json', '--target', 'pandas', '--no-cache'], { cwd: dir });
    expect(noCache.stderr).toContain('not exported: tune (tune.hpo)');
    writeFileSync(path.join(dir, 'p.kanvas.json'), formatPipeline(tuned(5)));
    const edited = await runCli(['export', 'p.kanvas.json', '--target', 'pandas'], { cwd: dir });
    expect(edited.stderr).toContain('not exported: tune (tune.hpo)');
  });
});
