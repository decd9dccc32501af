/** What the CLI touches of its process, injected so tests run commands in-process. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  /** Whether stderr is a terminal (then progress is drawn as a bar). */
  isTTY: boolean;
  /** Registers a Ctrl-C handler (the first press cancels the run; the second quits). */
  onInterrupt?: (handler: () => void) => void;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A command-line mistake: printed with the usage hint, exit code 2. */
export class UsageError extends Error {}
