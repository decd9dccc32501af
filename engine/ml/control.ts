import { abortError } from '../errors.ts';

/** What a long fit gets from its node: progress reports and a signal to stop. */
export interface FitControl {
  signal?: AbortSignal;
  progress?(done: number, total: number, message?: string): void;
}

/**
 * Paces a long computation: reports progress and yields to the event loop at most every
 * `intervalMs` (so a cancel message can arrive, even in a worker), and throws an AbortError as
 * soon as the signal is aborted.
 */
export class Ticker {
  private last = Date.now();

  constructor(
    private readonly control: FitControl = {},
    private readonly intervalMs = 100,
  ) {}

  async tick(done: number, total: number, message?: string): Promise<void> {
    if (this.control.signal?.aborted) throw abortError();
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.control.progress?.(done, total, message);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.control.signal?.aborted) throw abortError();
  }
}
