#!/usr/bin/env node
// The CLI is TypeScript run directly (no build step), so `npx kanvas` works from a fresh clone.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
  onInterrupt: (handler) => {
    let presses = 0;
    process.on('SIGINT', () => (++presses > 1 ? process.exit(130) : handler()));
  },
});
