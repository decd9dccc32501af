import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatPipeline } from '../document/format.ts';
import type { PipelineDocument } from '../document/schema.ts';

/**
 * Saves a document atomically: the text goes to a temp file in the same folder, is flushed to
 * disk, and is renamed over the target. A crash or a failed write at any point leaves the old
 * file whole; a failure removes the temp file.
 */
export async function savePipelineFile(file: string, doc: PipelineDocument, fsApi: Pick<typeof fs, 'open' | 'rename' | 'rm'> = fs): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  try {
    const handle = await fsApi.open(temp, 'w');
    try {
      await handle.writeFile(formatPipeline(doc), 'utf8');
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
