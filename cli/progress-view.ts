import type { NodeRecord, ProgressEvent } from '../engine/index.ts';
import type { CliIO } from './io.ts';

const marks: Record<string, string> = { done: '✓', cached: '•', error: '✗', skipped: '-', cancelled: '-' };

/**
 * Progress on stderr: on a terminal a live bar under a line per finished node; otherwise the
 * finished-node lines alone, so logs stay readable.
 */
export class ProgressView {
  private line = '';

  constructor(private readonly io: CliIO) {}

  readonly update = (e: ProgressEvent): void => {
    if (e.phase === 'start' || e.phase === 'step') {
      const step = e.step ? ` ${e.step.total === 100 ? `${e.step.done}%` : `${e.step.done}/${e.step.total}`}${e.step.message ? ` ${e.step.message}` : ''}` : '';
      this.draw(`${bar(e.nodes.done, e.nodes.total)} ${e.nodes.done}/${e.nodes.total} running ${e.node}${step}`);
      return;
    }
    const mark = marks[e.phase] ?? ' ';
    this.clear();
    const rec = e.record;
    const detail = rec?.error ? rec.error.message : rec ? [describeOutputs(rec), rec.fusedInto ? `(fused into ${rec.fusedInto})` : ''].filter(Boolean).join(' ') : '';
    this.io.stderr.write(`${mark} ${e.node}${detail ? `  ${detail}` : ''}\n`);
    if (e.nodes.done < e.nodes.total) this.draw(`${bar(e.nodes.done, e.nodes.total)} ${e.nodes.done}/${e.nodes.total}`);
  };

  end(): void {
    this.clear();
  }

  private draw(text: string): void {
    if (!this.io.isTTY) return;
    this.line = text;
    this.io.stderr.write(`\r\x1b[K${text}`);
  }

  private clear(): void {
    if (this.io.isTTY && this.line) this.io.stderr.write('\r\x1b[K');
    this.line = '';
  }
}

function bar(done: number, total: number, width = 20): string {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

export function describeOutputs(rec: NodeRecord): string {
  const parts: string[] = [];
  for (const [port, o] of Object.entries(rec.outputs ?? {})) {
    const label = Object.keys(rec.outputs!).length > 1 ? `${port}: ` : '';
    if (o.rows !== undefined) parts.push(`${label}${rows(o.rows)}`);
    else if (o.type === 'model') parts.push(`${label}fitted model`);
  }
  for (const f of rec.files ?? []) parts.push(`${rec.status === 'cached' ? 'up to date' : 'wrote'} ${f.path} (${rows(f.rows)})`);
  return parts.join(', ');
}

function rows(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;
}
