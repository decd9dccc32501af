import { formatPipeline } from '../document/format.ts';
import type { PipelineDocument } from '../document/schema.ts';
import { writeFileAtomic, type AtomicFs } from './atomic-write.ts';

/** Saves a document in its canonical form, atomically (see `writeFileAtomic`). */
export function savePipelineFile(file: string, doc: PipelineDocument, fsApi?: AtomicFs): Promise<void> {
  return writeFileAtomic(file, formatPipeline(doc), fsApi);
}
