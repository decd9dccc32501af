import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { formatPipeline, type RunRecord } from '../../engine/index.ts';
import { runCli } from '../support/cli.ts';
import { fixtureDir, pipeline, tempDir } from '../support/engines.ts';

const orders = 'order_id,customer,amount\n1,ann,10.5\n2,bob,3\n3,ann,4.5\n4,cy,\n';
const doc = pipeline(
  [
    { id: 'orders', kind: 'source.csv', params: { path: 'orders.csv' } },
    { id: 'paid', kind: 'transform.filter', params: { where: 'amount IS NOT NULL' } },
    { id: 'per_customer', kind: 'transform.aggregate', params: { groupBy: ['customer'], aggregates: [{ column: 'amount', fn: 'sum', as: 'spent' }] } },
    { id: 'report', kind: 'sink.csv', params: { path: 'spend.csv' } },
    { id: 'profile', kind: 'analysis.profile', params: { bins: 2 } },
  ],
  ['orders->paid', 'paid->per_customer', 'per_customer->report', 'orders->profile'],
  'spend',
);

function project() {
  const dir = fixtureDir({ 'orders.csv': orders });
  writeFileSync(path.join(dir, 'p.kanvas.json'), formatPipeline(doc));
  return dir;
}

describe('kanvas run', () => {
  it('writes sinks, run.json and (with --emit-all) every node output under --out', async () => {
    const dir = project();
    const out = path.join(dir, 'result');
    const r = await runCli(['run', 'p.kanvas.json', '--out', 'result', '--emit-all'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out, 'spend.csv'), 'utf8')).toBe('customer,spent\nann,15.0\nbob,3.0\n');
    const record = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as RunRecord;
    expect(record).toMatchObject({ format: 'kanvas.run', pipeline: 'spend', status: 'ok', engine: 'native' });
    expect(record.nodes.report!.files).toEqual([{ path: path.join(out, 'spend.csv'), rows: 2 }]);
    expect(readFileSync(path.join(out, 'nodes/paid/out.csv'), 'utf8')).toBe('order_id,customer,amount\n1,ann,10.5\n2,bob,3.0\n3,ann,4.5\n');
    expect(readFileSync(path.join(out, 'nodes/profile/stats.csv'), 'utf8').split('\n')[1]).toBe('order_id,BIGINT,4,0,0.0,4,1,4,2.5,1.2909944487358056,1.75,2.5,3.25');
    const report = JSON.parse(readFileSync(path.join(out, 'nodes/profile/report.json'), 'utf8'));
    expect(report.sections[1]).toEqual({ kind: 'plot', title: 'order_id', plot: { type: 'histogram', column: 'order_id', bins: [{ x0: 1, x1: 2.5, count: 2 }, { x0: 2.5, x1: 4, count: 2 }] } });
    expect(r.stdout).toMatch(/^node\s+kind\s+status/);
    expect(r.stdout).toContain('spend: ok in');
  });

  it('prints the run record with --json and exits 1 when a node fails', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'bad.kanvas.json'), formatPipeline({ ...doc, nodes: doc.nodes.map((n) => (n.id === 'paid' ? { ...n, params: { where: 'amout > 0' } } : n)) }));
    const r = await runCli(['run', 'bad.kanvas.json', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const record = JSON.parse(r.stdout) as RunRecord;
    expect(record.status).toBe('error');
    expect(r.stderr).toContain('error: node "paid": param "where": Binder Error: column "amout" not found — did you mean "amount"?\n');
    expect(existsSync(path.join(dir, 'spend.csv'))).toBe(false);
  });

  it('reuses the output cache of an earlier process, and --no-cache runs everything', async () => {
    const dir = project();
    expect((await runCli(['run', 'p.kanvas.json'], { cwd: dir })).code).toBe(0);
    const again = await runCli(['run', 'p.kanvas.json', '--json'], { cwd: dir });
    expect(Object.values((JSON.parse(again.stdout) as RunRecord).nodes).every((n) => n.status === 'cached')).toBe(true);
    const fresh = await runCli(['run', 'p.kanvas.json', '--json', '--no-cache'], { cwd: dir });
    const nodes = (JSON.parse(fresh.stdout) as RunRecord).nodes;
    expect(nodes.per_customer!.status).toBe('done');
    expect(nodes.per_customer!.cache.reason).toBe('cache disabled for this run');
  });

  it('draws a progress bar on a terminal', async () => {
    const dir = project();
    let stderr = '';
    const code = await main(['run', 'p.kanvas.json', '--no-cache'], { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, cwd: dir, isTTY: true });
    expect(code).toBe(0);
    expect(stderr).toMatch(/\r\x1b\[K\[█*░*\] \d\/5/);
    expect(stderr).toContain('✓ per_customer  2 rows\n');
  });

  it('runs on the wasm engine with the same result', async () => {
    const dir = project();
    const r = await runCli(['run', 'p.kanvas.json', '--engine', 'wasm', '--out', 'o', '--no-cache'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'o/spend.csv'), 'utf8')).toBe('customer,spent\nann,15.0\nbob,3.0\n');
    expect(r.stdout).toContain('on wasm DuckDB v1.4.3');
  });
});

describe('kanvas validate and usage', () => {
  it('binds every SQL node without running: a wrong column is found, nothing is written', async () => {
    const dir = project();
    const ok = await runCli(['validate', 'p.kanvas.json'], { cwd: dir });
    expect(ok).toMatchObject({ code: 0, stdout: 'p.kanvas.json: ok (5 nodes, 3 SQL nodes bound)\n' });
    writeFileSync(
      path.join(dir, 'bad.kanvas.json'),
      formatPipeline({ ...doc, nodes: doc.nodes.map((n) => (n.id === 'per_customer' ? { ...n, params: { groupBy: ['custmer'], aggregates: [{ fn: 'count' }] } } : n)) }),
    );
    const bad = await runCli(['validate', 'bad.kanvas.json'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: node "per_customer": param "groupBy[0]": column "custmer" not found — did you mean "customer"?\n');
    expect(existsSync(path.join(dir, 'spend.csv'))).toBe(false);
    expect(existsSync(path.join(dir, '.kanvas'))).toBe(false);
  });

  it('exits 2 with a hint on usage errors', async () => {
    const dir = tempDir();
    for (const argv of [['run'], ['run', 'a', 'b'], ['frobnicate'], ['run', 'p.json', '--emit-all'], ['run', 'p.json', '--engine', 'gpu'], ['run', 'p.json', '--colour']]) {
      const r = await runCli(argv, { cwd: dir });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(/^kanvas: .+\nRun "kanvas --help" for usage\.\n$/);
    }
    expect((await runCli(['--help'], { cwd: dir })).stdout).toContain('kanvas run PIPELINE');
  });
});
