import { parseArgs } from 'node:util';
import { formatProblem } from '../engine/index.ts';
import { catalogCommand } from './catalog-command.ts';
import { exportCommand } from './export-command.ts';
import { EXIT, UsageError, type CliIO } from './io.ts';
import { runCommand } from './run-command.ts';
import { usage } from './usage.ts';
import { validateCommand } from './validate-command.ts';
import { version } from './version.ts';

const options = {
  out: { type: 'string' },
  target: { type: 'string' },
  date: { type: 'string' },
  'emit-all': { type: 'boolean' },
  json: { type: 'boolean' },
  engine: { type: 'string' },
  'no-cache': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export type CliOptions = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('. To specify')[0]!);
  }
}

/** Runs one CLI invocation; returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    const { values, positionals } = parse(argv);
    debug = values.debug ?? false;
    if (values.version) {
      io.stdout.write(`kanvas ${version}\n`);
      return EXIT.ok;
    }
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      io.stdout.write(usage);
      return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
    }
    if (values.engine !== undefined && values.engine !== 'native' && values.engine !== 'wasm') {
      throw new UsageError(`--engine must be "native" or "wasm", not "${values.engine}"`);
    }
    switch (command) {
      case 'run':
        return await runCommand(onePipeline(command, rest), values, io);
      case 'validate':
        return await validateCommand(onePipeline(command, rest), values, io);
      case 'export':
        return await exportCommand(onePipeline(command, rest), values, io);
      case 'catalog':
        if (rest.length) throw new UsageError(`catalog takes no arguments (got "${rest[0]}")`);
        return catalogCommand(values, io);
      default:
        throw new UsageError(`unknown command "${command}"; commands: run, validate, export, catalog`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`kanvas: ${err.message}\nRun "kanvas --help" for usage.\n`);
      return EXIT.usage;
    }
    const e = err as Error;
    io.stderr.write(`kanvas: internal error: ${e?.message ?? String(err)}\n`);
    if (debug && e?.stack) io.stderr.write(`${e.stack}\n`);
    else io.stderr.write('(run with --debug for details)\n');
    return EXIT.failed;
  }
}

function onePipeline(command: string, rest: string[]): string {
  if (rest.length === 0) throw new UsageError(`${command} needs a pipeline file: kanvas ${command} PIPELINE`);
  if (rest.length > 1) throw new UsageError(`${command} takes one pipeline file, got ${rest.length}: ${rest.join(' ')}`);
  return rest[0]!;
}

export function printProblems(io: CliIO, problems: Parameters<typeof formatProblem>[0][]): void {
  for (const p of problems) io.stderr.write(`error: ${formatProblem(p)}\n`);
}
