/**
 * The real binary (`node bin/kanvas.js`, as `npx kanvas` runs it): exit codes 0, 1 and 2, and no
 * stack trace on stderr whatever goes wrong. The in-process tests cover the messages; these
 * check what only a real process shows (the exit code it sets, what reaches its streams).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasStackTrace } from '../support/cli.ts';
import { fixtureDir, pipeline } from '../support/engines.ts';

const bin = fileURLToPath(new URL('../../bin/kanvas.js', import.meta.url));

function kanvas(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const doc = pipeline(
  [
    { id: 'orders', kind: 'source.csv', params: { path: 'orders.csv' } },
    { id: 'big', kind: 'transform.filter', params: { where: 'amount > 5' } },
    { id: 'out', kind: 'sink.csv', params: { path: 'big.csv' } },
  ],
  ['orders->big', 'big->out'],
  'big orders',
);

function project(): string {
  const dir = fixtureDir({ 'orders.csv': 'id,amount\n1,3\n2,8\n3,12\n' });
  writeFileSync(path.join(dir, 'p.kanvas.json'), JSON.stringify(doc, null, 2));
  return dir;
}

describe('bin/kanvas.js', () => {
  it('exits 0 when the run succeeds', async () => {
    const dir = project();
    const r = await kanvas(['run', 'p.kanvas.json', '--out', 'out'], dir);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'out', 'big.csv'), 'utf8')).toBe('id,amount\n2,8\n3,12\n');
    expect(r.stdout).toContain('big orders: ok in');
  });

  it('exits 1 on a malformed document and on bad data, without a stack trace', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'bad.kanvas.json'), JSON.stringify(doc, null, 2).replace('"transform.filter"', '"transform.filtr"'));
    const bad = await kanvas(['run', 'bad.kanvas.json', '--out', 'out'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: bad.kanvas.json:15:7: node "big": unknown kind "transform.filtr" — did you mean "transform.filter"?\n');
    expect(bad.stdout).toBe('');

    writeFileSync(path.join(dir, 'orders.csv'), Buffer.from('id,amount\n1,3\n2,\xe98\n', 'latin1'));
    const data = await kanvas(['run', 'p.kanvas.json', '--out', 'out'], dir);
    expect(data.code).toBe(1);
    expect(data.stderr).toContain(`error: ${path.join(dir, 'orders.csv')}: node "orders": param "path": line 3 is not valid UTF-8`);
    expect(hasStackTrace(bad.stderr + data.stderr + data.stdout)).toBe(false);
    expect(existsSync(path.join(dir, 'out', 'big.csv'))).toBe(false);
  });

  it('exits 2 on an unknown command', async () => {
    const r = await kanvas(['frobnicate'], project());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kanvas: unknown command "frobnicate"; commands: run, validate, export, catalog\nRun "kanvas --help" for usage.\n');
  });

  it('exits 2 on an unknown flag', async () => {
    const r = await kanvas(['run', 'p.kanvas.json', '--frobnicate'], project());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kanvas: Unknown option \'--frobnicate\'\nRun "kanvas --help" for usage.\n');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('exits 2 when the pipeline argument is missing', async () => {
    const r = await kanvas(['run', '--out', 'out'], project());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kanvas: run needs a pipeline file: kanvas run PIPELINE\nRun "kanvas --help" for usage.\n');
  });
});
