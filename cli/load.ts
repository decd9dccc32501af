import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPipeline, type Problem, type ResolvedPipeline } from '../engine/index.ts';

export interface LoadedFile {
  path: string;
  dir: string;
  pipeline: ResolvedPipeline;
}

/** Reads and validates a pipeline file; problems name the file, line, node and param. */
export async function loadPipelineFile(file: string, cwd: string): Promise<{ ok: true; loaded: LoadedFile } | { ok: false; problems: Problem[] }> {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a pipeline file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    return { ok: false, problems: [{ code: 'file', file, message: `cannot read pipeline: ${why}` }] };
  }
  const result = loadPipeline(text, file);
  if (!result.ok) return result;
  return { ok: true, loaded: { path: abs, dir: path.dirname(abs), pipeline: result.pipeline } };
}
