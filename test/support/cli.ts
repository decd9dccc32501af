import { main } from '../../cli/main.ts';
import type { CliIO } from '../../cli/io.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one CLI invocation in this process, as `bin/kanvas.js` would, with stdout and stderr
 * collected into strings (not a terminal, so progress comes as plain lines).
 */
export async function runCli(argv: string[], options: { cwd: string }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    cwd: options.cwd,
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Lines of stderr that start with `error: `, without that prefix. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('error: '))
    .map((l) => l.slice('error: '.length));
}

/** Whether any line looks like a JavaScript stack frame (`    at f (file:1:2)`). */
export function hasStackTrace(text: string): boolean {
  return text.split('\n').some((l) => /^\s+at /.test(l));
}
