import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostFiles } from '../db/database.ts';

const defaultSamplesDir = fileURLToPath(new URL('../samples/', import.meta.url));

/** Host file access on the local disk; `samplesDir` holds the built-in sample datasets. */
export const createNodeHostFiles = (samplesDir = defaultSamplesDir): HostFiles => ({
  resolve: (baseDir, p) => path.resolve(baseDir, p),
  async stat(p) {
    try {
      const s = await fs.stat(p);
      return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : null;
    } catch {
      return null;
    }
  },
  readFile: async (p) => new Uint8Array(await fs.readFile(p)),
  writeFile: (p, bytes) => fs.writeFile(p, bytes),
  rename: (from, to) => fs.rename(from, to),
  makeParentDirs: async (p) => void (await fs.mkdir(path.dirname(p), { recursive: true })),
  remove: (p) => fs.rm(p, { force: true }),
  samplePath: (name) => path.join(samplesDir, `${name}.csv`),
});

export const nodeHostFiles: HostFiles = createNodeHostFiles();
