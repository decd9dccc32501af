/** `kanvas export`: targets, --out FILE|DIR, --date, exit codes. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPipeline } from '../../engine/index.ts';
import { runCli } from '../support/cli.ts';
import { fixtureDir, pipeline } from '../support/engines.ts';

const doc = pipeline(
  [
    { id: 'orders', kind: 'source.csv', params: { path: 'orders.csv' } },
    { id: 'iris', kind: 'source.sample', params: { dataset: 'iris' } },
    { id: 'paid', kind: 'transform.filter', params: { where: 'amount IS NOT NULL' } },
    { id: 'report', kind: 'sink.csv', params: { path: 'out/spend.csv' } },
    { id: 'profile', kind: 'analysis.profile', params: {} },
  ],
  ['orders->paid', 'paid->report', 'orders->profile'],
  'Spend report',
);

function project() {
  const dir = fixtureDir({ 'orders.csv': 'order_id;customer;amount\n1;ann;10.5\n2;bob;\n' });
  writeFileSync(path.join(dir, 'p.kanvas.json'), formatPipeline(doc));
  return dir;
}

describe('kanvas export', () => {
  it('prints the main file to stdout and says what it left out', async () => {
    const dir = project();
    const r = await runCli(['export', 'p.kanvas.json', '--target', 'sql', '--date', '2026-05-06'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-- Spend report — exported from Kanvas as DuckDB SQL code\./);
    expect(r.stdout).toContain('-- Exported:  2026-05-06');
    expect(r.stdout).toContain("COPY (WITH\n-- CSV file (orders)");
    expect(r.stderr).toContain('not exported: profile (analysis.profile): a profile is an interactive report');
    const again = await runCli(['export', 'p.kanvas.json', '--target', 'sql', '--date', '2026-05-06'], { cwd: dir });
    expect(again.stdout).toBe(r.stdout);
  });

  it('--out DIR writes every file and the sample datasets the code reads; --out FILE the main file', async () => {
    const dir = project();
    const r = await runCli(['export', 'p.kanvas.json', '--target', 'pandas', '--out', 'code'], { cwd: dir });
    expect(r.code).toBe(0);
    const py = readFileSync(path.join(dir, 'code', 'spend_report.py'), 'utf8');
    expect(py).toContain('sep=";"');
    expect(py).toContain('def spend_report(orders: pd.DataFrame, iris: pd.DataFrame) -> dict[str, pd.DataFrame]:');
    expect(readFileSync(path.join(dir, 'code', 'requirements.txt'), 'utf8')).toBe('pandas>=1.5\nnumpy>=1.23\n');
    expect(readFileSync(path.join(dir, 'code', 'samples', 'iris.csv'), 'utf8').split('\n')[0]).toContain('sepal');
    const f = await runCli(['export', 'p.kanvas.json', '--target', 'beam', '--out', 'beam/job.py'], { cwd: dir });
    expect(f.code).toBe(0);
    expect(readFileSync(path.join(dir, 'beam', 'job.py'), 'utf8')).toContain('import apache_beam as beam');
    expect(existsSync(path.join(dir, 'beam', 'requirements.txt'))).toBe(true);
  });

  it('exit code 2 for usage mistakes, 1 for pipeline problems', async () => {
    const dir = project();
    expect((await runCli(['export', 'p.kanvas.json'], { cwd: dir })).code).toBe(2);
    const bad = await runCli(['export', 'p.kanvas.json', '--target', 'r'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target must be one of pandas, pyspark, beam, sql, not "r"');
    expect((await runCli(['export', 'p.kanvas.json', '--target', 'sql', '--date', 'May 6'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['export', 'missing.kanvas.json', '--target', 'sql'], { cwd: dir })).code).toBe(1);
    writeFileSync(path.join(dir, 'orders.csv'), 'order_id;customer\n1;ann\n');
    const broken = await runCli(['export', 'p.kanvas.json', '--target', 'pandas'], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('amount');
  });
});
