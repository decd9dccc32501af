import type { HostFiles } from '../../engine/index.ts';

/**
 * Files for the engine in a browser: the user's opened and dropped files, and what sinks
 * write, kept in memory; bundled samples and example data are fetched from the app on first
 * use. Paths are POSIX-like (`/files/customers.csv`, `/examples/churn/customers.csv`).
 */
export class MemoryFiles implements HostFiles {
  private readonly files = new Map<string, { bytes: Uint8Array; mtimeMs: number }>();

  /** `assets`: absolute path → URL the app serves it at (samples, example data). */
  constructor(private readonly assets: Record<string, string>) {}

  put(path: string, bytes: Uint8Array): void {
    this.files.set(normalize(path), { bytes, mtimeMs: Date.now() });
  }

  list(): string[] {
    return [...this.files.keys()].sort();
  }

  resolve(baseDir: string, p: string): string {
    return normalize(p.startsWith('/') ? p : `${baseDir}/${p}`);
  }

  async stat(path: string) {
    const file = await this.load(path);
    return file ? { size: file.bytes.byteLength, mtimeMs: file.mtimeMs } : null;
  }

  async readFile(path: string): Promise<Uint8Array> {
    const file = await this.load(path);
    if (!file) throw new Error(`file not found: ${path}`);
    return file.bytes;
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    this.put(path, bytes);
  }

  async rename(from: string, to: string): Promise<void> {
    const file = this.files.get(normalize(from));
    if (!file) throw new Error(`file not found: ${from}`);
    this.files.delete(normalize(from));
    this.files.set(normalize(to), file);
  }

  async remove(path: string): Promise<void> {
    this.files.delete(normalize(path));
  }

  async makeParentDirs(): Promise<void> {
    // Folders are implied by paths here.
  }

  samplePath(name: string): string {
    return `/samples/${name}.csv`;
  }

  private async load(path: string) {
    const key = normalize(path);
    const known = this.files.get(key);
    if (known) return known;
    const url = this.assets[key];
    if (!url) return undefined;
    const response = await fetch(url);
    if (!response.ok) return undefined;
    const file = { bytes: new Uint8Array(await response.arrayBuffer()), mtimeMs: 0 };
    this.files.set(key, file);
    return file;
  }
}

/** `/a/./b/../c` → `/a/c`. */
export function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
