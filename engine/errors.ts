/**
 * Expected failures (bad documents, bad params, bad data) are `Problem` values that say what
 * is wrong and where. Bugs are thrown as plain errors and surface as "internal error".
 */
export interface Problem {
  /** Stable machine-readable code, e.g. `unknown-kind`, `cycle`, `sql`. */
  code: ProblemCode;
  message: string;
  node?: string;
  param?: string;
  port?: string;
  edge?: number;
  file?: string;
  line?: number;
  column?: number;
}

export type ProblemCode =
  | 'json'
  | 'schema'
  | 'format-version'
  | 'duplicate-id'
  | 'unknown-kind'
  | 'unknown-node'
  | 'unknown-port'
  | 'ambiguous-port'
  | 'port-type'
  | 'duplicate-input'
  | 'missing-input'
  | 'cycle'
  | 'param'
  | 'file'
  | 'sql'
  | 'data'
  | 'cancelled'
  | 'internal';

/** An error that carries one or more problems; the CLI prints them one per line. */
export class PipelineError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'PipelineError';
    this.problems = list;
  }
}

/** `file:line:col: node "x": param "p": message` — only the parts that are known. */
export function formatProblem(p: Problem): string {
  const where: string[] = [];
  if (p.file) where.push(p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file);
  if (p.node) where.push(`node "${p.node}"`);
  if (p.edge !== undefined && !p.node) where.push(`edge #${p.edge + 1}`);
  if (p.param) where.push(`param "${p.param}"`);
  if (p.port) where.push(`port "${p.port}"`);
  return where.length ? `${where.join(': ')}: ${p.message}` : p.message;
}

/** Turns anything thrown into problems: `PipelineError`s keep theirs, the rest become one. */
export function toProblems(err: unknown, context: Partial<Problem> = {}): Problem[] {
  if (err instanceof PipelineError) return err.problems.map((p) => ({ ...context, ...p }));
  if (isAbortError(err)) return [{ ...context, code: 'cancelled', message: 'run cancelled' }];
  const message = err instanceof Error ? err.message : String(err);
  return [{ code: 'internal', ...context, message }];
}

export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AbortError';
}

export function abortError(): Error {
  const e = new Error('run cancelled');
  e.name = 'AbortError';
  return e;
}
