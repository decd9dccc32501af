import { loadDocument, upstreamOf, type Preview } from '../../engine/index.ts';
import type { Session } from './context.ts';

/** Runs the pipeline (or what `target` needs), keeping the run store in step with the engine. */
export async function runPipeline(session: Session, target?: string): Promise<void> {
  const { doc, baseDir } = session.editor.getState();
  const runs = session.runs.getState();
  if (runs.running) return;
  const loaded = loadDocument(doc);
  if (!loaded.ok) return runs.refuse(doc, loaded.problems, problemText);
  const ids = target ? [...upstreamOf(target, loaded.pipeline.edges), target] : loaded.pipeline.order;
  runs.start(doc, ids);
  runs.logLine({ level: 'info', text: target ? `run to "${target}"` : 'run' });
  try {
    const result = await session.engine.run({ doc, baseDir, ...(target ? { targets: [target] } : {}) }, (e) => session.runs.getState().progress(e));
    if (result.ok) session.runs.getState().finish(doc, result.record);
    else session.runs.getState().finish(doc, null, result.problems.map(problemText).join('\n'));
  } catch (err) {
    const cancelled = (err as Error).name === 'AbortError';
    session.runs.getState().finish(doc, null, cancelled ? 'run cancelled (the engine was restarted; cached results are recomputed)' : (err as Error).message);
  }
}

/**
 * The data preview of one node output (running what it needs first). A preview asked for
 * while something runs (another port picked before the first one loaded) waits its turn.
 */
export async function previewOutput(session: Session, node: string, port: string): Promise<Preview | string> {
  while (session.runs.getState().running) await idle(session);
  const { doc, baseDir } = session.editor.getState();
  const runs = session.runs.getState();
  const loaded = loadDocument(doc);
  if (!loaded.ok) return loaded.problems.map(problemText).join('\n');
  runs.start(doc, [...upstreamOf(node, loaded.pipeline.edges), node]);
  try {
    const result = await session.engine.preview({ doc, baseDir, node, port }, (e) => session.runs.getState().progress(e));
    if (!result.ok) {
      session.runs.getState().finish(doc, null, result.problems.map(problemText).join('\n'));
      return result.problems.map(problemText).join('\n');
    }
    session.runs.getState().finish(doc, result.preview.record);
    return result.preview;
  } catch (err) {
    session.runs.getState().finish(doc, null, (err as Error).message);
    return (err as Error).message;
  }
}

function idle(session: Session): Promise<void> {
  return new Promise((resolve) => {
    const stop = session.runs.subscribe((s) => {
      if (s.running) return;
      stop();
      resolve();
    });
  });
}

export function problemText(p: { node?: string; param?: string; port?: string; message: string }): string {
  return [p.node && `node "${p.node}"`, p.param && `param "${p.param}"`, p.port && `port "${p.port}"`, p.message].filter(Boolean).join(': ');
}
