/**
 * Sampler benchmark: simple regret (best value found − global minimum) after 50 and 100 trials
 * on Branin, Hartmann6 and Rosenbrock-4D, over 5 seeds, for our random, TPE and GP samplers and
 * for Optuna 3.1's TPE and random samplers (run in the same invocation through the Debian
 * python, `/usr/bin/python3 bench/tuners/optuna_bench.py`). Prints mean ± sd per cell.
 *
 *   npm run bench:tuners [-- --trials 100 --seeds 5 --samplers random,tpe,gp --no-optuna --json out.json]
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSampler, type SamplerName } from '../../engine/tune/samplers/index.ts';
import { TpeSampler } from '../../engine/tune/samplers/tpe.ts';
import { Study, type Sampler } from '../../engine/tune/study.ts';
import { testFunctions, type TestFunction } from './functions.ts';

interface Run {
  function: string;
  sampler: string;
  seed: number;
  best: number[];
  ms?: number;
}

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const trials = Number(opt('trials', '100'));
const seeds = Number(opt('seeds', '5'));
const ours = opt('samplers', 'random,tpe,gp').split(',') as (SamplerName | 'tpe-normalized')[];
const withOptuna = !args.includes('--no-optuna');
const checkpoints = [50, 100].filter((c) => c <= trials);
const python = opt('python', '/usr/bin/python3');

function makeSampler(name: SamplerName | 'tpe-normalized'): Sampler {
  // `tpe-normalized`: our TPE with normalized truncated-normal densities, as Optuna after optuna#5110.
  return name === 'tpe-normalized' ? new TpeSampler({ optuna31Density: false }) : createSampler(name);
}

async function runOurs(fn: TestFunction, name: SamplerName | 'tpe-normalized', seed: number): Promise<Run> {
  const study = new Study({ direction: 'minimize', sampler: makeSampler(name), seed });
  const t0 = performance.now();
  await study.optimize((t) => fn.f(fn.bounds.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials: trials });
  const ms = performance.now() - t0;
  let acc = Infinity;
  const best = study.trials.map((t) => (acc = Math.min(acc, t.value!)));
  return { function: fn.name, sampler: name, seed, best, ms };
}

function runOptuna(): Promise<Run[]> {
  const script = fileURLToPath(new URL('./optuna_bench.py', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script, '--trials', String(trials), '--seeds', String(seeds), '--samplers', 'tpe,random'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${python} ${script} exited with ${code}`));
      const parsed = JSON.parse(out) as { optuna: string; runs: Run[] };
      resolve(parsed.runs.map((r) => ({ ...r, sampler: `optuna-${parsed.optuna}-${r.sampler}` })));
    });
  });
}

function stats(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd };
}

function fmt(x: number): string {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 0.01 ? x.toFixed(3) : x.toExponential(1);
}

async function main() {
  const optuna = withOptuna ? runOptuna() : Promise.resolve([] as Run[]);
  const runs: Run[] = [];
  for (const fn of testFunctions) {
    for (const name of ours) {
      for (let seed = 0; seed < seeds; seed++) runs.push(await runOurs(fn, name, seed));
    }
  }
  runs.push(...(await optuna));
  const samplers = [...new Set(runs.map((r) => r.sampler))];
  const header = ['function', 'sampler', ...checkpoints.map((c) => `regret@${c} (mean ± sd)`), 'ms/study'];
  const rows: string[][] = [];
  for (const fn of testFunctions) {
    for (const s of samplers) {
      const rs = runs.filter((r) => r.function === fn.name && r.sampler === s);
      if (!rs.length) continue;
      const cells = checkpoints.map((c) => {
        const { mean, sd } = stats(rs.map((r) => r.best[c - 1]! - fn.optimum));
        return `${fmt(mean)} ± ${fmt(sd)}`;
      });
      const ms = rs[0]!.ms === undefined ? '—' : stats(rs.map((r) => r.ms!)).mean.toFixed(0);
      rows.push([fn.name, s, ...cells, ms]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`Simple regret (best found − global minimum), ${seeds} seeds, ${trials} trials`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  const json = opt('json', '');
  if (json) writeFileSync(json, JSON.stringify({ trials, seeds, runs }, null, 1));
}

await main();
