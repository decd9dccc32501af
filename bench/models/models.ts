/**
 * Model benchmark: fit time and test metric of model.gbdt against scikit-learn's
 * HistGradientBoostingRegressor/Classifier and of model.linear against LinearRegression, on the
 * same synthetic rows (default 200,000 × 20, the last fifth held out), in one invocation: the
 * Kanvas fits run here, scikit-learn's through the Debian python (`bench/models/sklearn_bench.py`),
 * once with OpenMP's default thread count and once with one thread. Both sides fit with their
 * default params and random_state / seed 42 (early stopping on: more than 10,000 rows), so the
 * models should agree. Reports the fastest of `--repeat` fits.
 *
 *   npm run bench:models [-- --rows 200k --features 20 --repeat 3 --seed 0 --no-sklearn --json out.json]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitGbdt, gbdtPredict } from '../../engine/ml/gbdt.ts';
import { fitLinear, linearPredict } from '../../engine/ml/linear.ts';
import { regressionMetrics, rocAucScore } from '../../engine/ml/metrics.ts';
import { RandomState } from '../../engine/ml/random.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const count = (s: string) => Number(s.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
const rows = count(opt('rows', '200k'));
const F = Number(opt('features', '20'));
const repeat = Number(opt('repeat', '3'));
const seed = Number(opt('seed', '0'));
const python = opt('python', '/usr/bin/python3');
const withSklearn = !args.includes('--no-sklearn');
const train = Math.floor(rows * 0.8);

interface Result {
  side: string;
  model: string;
  seconds: number;
  metric: string;
  value: number;
  iterations?: number;
  threads?: number;
}

// ---- data -------------------------------------------------------------------------------------

/**
 * Standard normal features; a regression target with interactions, curvature and noise over the
 * first seven features (the rest are noise); and a class: whether the target is above its median.
 */
function makeData(): { X: Float64Array[]; y: Float64Array; cls: Float64Array } {
  const rng = new RandomState(seed);
  const X = Array.from({ length: F }, () => new Float64Array(rows));
  for (let i = 0; i < rows; i++) for (let f = 0; f < F; f++) X[f]![i] = rng.standardNormal();
  const x = (f: number, i: number) => X[f % F]![i]!;
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = 10 * Math.sin(x(0, i) * x(1, i)) + 5 * x(2, i) ** 2 + 3 * x(3, i) - 2 * Math.abs(x(4, i)) + x(5, i) * x(6, i) + rng.standardNormal();
  }
  const median = Float64Array.from(y).sort()[Math.floor(rows / 2)]!;
  return { X, y, cls: y.map((v) => (v > median ? 1 : 0)) };
}

// ---- Kanvas -----------------------------------------------------------------------------------

async function best<T>(fit: () => Promise<T> | T): Promise<{ seconds: number; model: T }> {
  let seconds = Infinity;
  let model: T | undefined;
  for (let r = 0; r < repeat; r++) {
    const t = performance.now();
    model = await fit();
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { seconds, model: model! };
}

async function runKanvas(X: Float64Array[], y: Float64Array, cls: Float64Array): Promise<Result[]> {
  const Xtr = X.map((c) => c.subarray(0, train));
  const Xte = X.map((c) => c.subarray(train));
  const ytr = y.subarray(0, train);
  const yte = y.subarray(train);
  const out: Result[] = [];
  const reg = await best(() => fitGbdt(Xtr, { task: 'regression', y: ytr }, { seed: 42 }));
  const regPred = (gbdtPredict(reg.model, Xte) as { value: Float64Array }).value;
  out.push({ side: 'Kanvas', model: 'gbdt-regression', seconds: reg.seconds, metric: 'r2', value: regressionMetrics(yte, regPred).r2, iterations: reg.model.nIter });
  const clsTrain = Int32Array.from(cls.subarray(0, train));
  const clf = await best(() => fitGbdt(Xtr, { task: 'classification', y: clsTrain, classes: 2 }, { seed: 42 }));
  const p1 = (gbdtPredict(clf.model, Xte) as { proba: Float64Array[] }).proba[1]!;
  out.push({ side: 'Kanvas', model: 'gbdt-classification', seconds: clf.seconds, metric: 'auc', value: rocAucScore(Array.from(cls.subarray(train), (c) => c === 1), p1), iterations: clf.model.nIter });
  const lin = await best(() => fitLinear(Xtr, ytr, { penalty: 'none', alpha: 0, l1Ratio: 0 }));
  out.push({ side: 'Kanvas', model: 'linear', seconds: lin.seconds, metric: 'r2', value: regressionMetrics(yte, linearPredict(lin.model, Xte)).r2 });
  return out;
}

// ---- scikit-learn -----------------------------------------------------------------------------

function runSklearn(file: string, env: NodeJS.ProcessEnv, side: string): Promise<Result[]> {
  const script = fileURLToPath(new URL('./sklearn_bench.py', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script, file, String(rows), String(F), String(train), String(repeat)], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${python} ${script} exited with ${code}`));
      resolve(text.trim().split('\n').map((l) => ({ side, ...(JSON.parse(l) as Omit<Result, 'side'>) })));
    });
  });
}

// ---- report -----------------------------------------------------------------------------------

function table(results: Result[]): string {
  const kanvas = results.filter((r) => r.side === 'Kanvas');
  const sides = [...new Set(results.map((r) => r.side))].filter((s) => s !== 'Kanvas');
  const head = ['model', 'Kanvas fit s', 'Kanvas metric', ...sides.flatMap((s) => [`${s} fit s`, `${s} metric`, 'time ratio', 'metric gap'])];
  const lines = kanvas.map((k) => {
    const cells = [k.model, k.seconds.toFixed(2), `${k.metric} ${k.value.toFixed(4)}${k.iterations ? ` (${k.iterations} it)` : ''}`];
    for (const s of sides) {
      const o = results.find((r) => r.side === s && r.model === k.model);
      cells.push(o ? o.seconds.toFixed(2) : '—', o ? `${o.metric} ${o.value.toFixed(4)}${o.iterations ? ` (${o.iterations} it)` : ''}` : '—', o ? `${(k.seconds / o.seconds).toFixed(2)}×` : '—', o ? Math.abs(k.value - o.value).toExponential(1) : '—');
    }
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [row(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

const t0 = performance.now();
const { X, y, cls } = makeData();
console.log(`data: ${rows.toLocaleString('en')} rows × ${F} features (seed ${seed}), ${train.toLocaleString('en')} to fit, ${(rows - train).toLocaleString('en')} to test; best of ${repeat} fits`);
const results: Result[] = [];
results.push(...(await runKanvas(X, y, cls)));
if (withSklearn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kanvas-bench-models-'));
  try {
    const file = path.join(dir, 'data.f64');
    const buf = new Float64Array(rows * (F + 2));
    for (let i = 0; i < rows; i++) {
      for (let f = 0; f < F; f++) buf[i * (F + 2) + f] = X[f]![i]!;
      buf[i * (F + 2) + F] = y[i]!;
      buf[i * (F + 2) + F + 1] = cls[i]!;
    }
    writeFileSync(file, new Uint8Array(buf.buffer));
    const defaults = await runSklearn(file, process.env, 'sklearn');
    const threads = defaults[0]?.threads ?? 0;
    for (const r of defaults) r.side = `sklearn ${threads}t`;
    results.push(...defaults);
    if (threads !== 1) results.push(...(await runSklearn(file, { ...process.env, OMP_NUM_THREADS: '1' }, 'sklearn 1t')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(table(results));
console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s in all; Kanvas runs on one thread)`);
const json = opt('json', '');
if (json) writeFileSync(json, JSON.stringify({ rows, features: F, seed, repeat, results }, null, 2));
