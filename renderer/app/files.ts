import { formatPipeline, parsePipeline, type PipelineDocument, type Problem } from '../../engine/index.ts';
import type { EngineApi } from '../../engine/service/engine-api.ts';

/** Asks the browser for files (the picker resolves with none if the user cancels). */
export function pickFiles(accept: string, multiple: boolean): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.multiple = multiple;
    input.addEventListener('change', () => resolve([...(input.files ?? [])]));
    input.addEventListener('cancel', () => resolve([]));
    input.click();
  });
}

/**
 * Opens a pipeline in the browser: pick the `.kanvas.json` together with the data files it
 * reads; the data files become readable beside it (a browser cannot read paths on disk).
 */
export async function openPipelineFiles(engine: EngineApi, files: File[]): Promise<{ doc: PipelineDocument; name: string } | { problems: Problem[] } | null> {
  // The pipeline is the `.kanvas.json` file, or else a JSON file that says it is one.
  let pipelineFile = files.find((f) => f.name.endsWith('.kanvas.json'));
  for (const f of files) {
    if (pipelineFile) break;
    if (f.name.endsWith('.json') && (await f.text()).includes('"kanvas.pipeline"')) pipelineFile = f;
  }
  if (!pipelineFile) return null;
  for (const f of files) if (f !== pipelineFile) await engine.putFile(`/files/${f.name}`, new Uint8Array(await f.arrayBuffer()));
  const parsed = parsePipeline(await pipelineFile.text(), pipelineFile.name);
  return parsed.ok ? { doc: parsed.doc, name: pipelineFile.name } : { problems: parsed.problems };
}

/** Saves by download: the canonical file text, so a diff with the original shows real changes only. */
export function downloadPipeline(doc: PipelineDocument, name: string): void {
  downloadBytes(new TextEncoder().encode(formatPipeline(doc)), name, 'application/json');
}

export function downloadBytes(bytes: Uint8Array, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function fileNameFor(doc: PipelineDocument): string {
  return `${doc.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'pipeline'}.kanvas.json`;
}
