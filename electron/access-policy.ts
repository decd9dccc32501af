import path from 'node:path';
import { relativeInside } from './inside.ts';

/**
 * Which paths the app may touch on the user's behalf: the folders of pipelines the user opened
 * or saved (their data sits beside them), files the user picked, and the app's own examples.
 * Anything else is refused, so a renderer cannot reach arbitrary files through IPC.
 */
export class AccessPolicy {
  private readonly roots = new Set<string>();
  private readonly files = new Set<string>();

  constructor(roots: string[] = []) {
    for (const r of roots) this.allowFolder(r);
  }

  allowFolder(dir: string): void {
    this.roots.add(path.resolve(dir));
  }

  allowFile(file: string): void {
    this.files.add(path.resolve(file));
  }

  folders(): string[] {
    return [...this.roots];
  }

  pickedFiles(): string[] {
    return [...this.files];
  }

  /** The absolute path if `file` is inside a permitted folder or was picked; otherwise throws. */
  check(file: string): string {
    if (typeof file !== 'string' || file.length === 0 || file.includes('\0')) throw new AccessError('invalid path');
    if (!path.isAbsolute(file)) throw new AccessError(`not an absolute path: ${file}`);
    // Resolve before comparing: "/allowed/../etc/passwd" must not pass as inside "/allowed".
    const abs = path.resolve(file);
    if (this.files.has(abs)) return abs;
    for (const root of this.roots) if (relativeInside(root, abs) !== null) return abs;
    throw new AccessError(`access to ${abs} is not permitted: open or save a pipeline in its folder first`);
  }
}

export class AccessError extends Error {
  override name = 'AccessError';
}
