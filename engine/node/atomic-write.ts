import { promises as fs } from 'node:fs';
import path from 'node:path';

export type AtomicFs = Pick<typeof fs, 'open' | 'rename' | 'rm'>;

/**
 * Writes a file atomically: the bytes go to a temp file in the same folder, are flushed to disk,
 * and the temp file is renamed over the target. A crash or a failed write at any point leaves
 * the old file whole; a failure removes the temp file.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, fsApi: AtomicFs = fs): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  try {
    const handle = await fsApi.open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsApi.rename(temp, file);
  } catch (err) {
    await fsApi.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
