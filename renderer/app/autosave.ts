import type { PipelineDocument } from '../../engine/index.ts';
import type { EditorStore } from '../store/editor-store.ts';

const KEY = 'kanvas.autosave';

export interface Autosave {
  doc: PipelineDocument;
  fileName: string | null;
  baseDir: string;
  at: number;
}

/**
 * Keeps unsaved work in browser storage, half a second after each edit; cleared when the
 * document is saved or matches what was opened. After a crash or a closed tab, the start page
 * offers it back.
 */
export function startAutosave(store: EditorStore, storage: Storage = localStorage): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return store.subscribe((s, before) => {
    // Selection and run state are not the document: nothing to save.
    if (s.doc === before.doc && s.saved === before.saved && s.fileName === before.fileName && s.baseDir === before.baseDir) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (s.doc === s.saved) storage.removeItem(KEY);
      else storage.setItem(KEY, JSON.stringify({ doc: s.doc, fileName: s.fileName, baseDir: s.baseDir, at: Date.now() } satisfies Autosave));
    }, 500);
  });
}

export function readAutosave(storage: Storage = localStorage): Autosave | null {
  try {
    const v = JSON.parse(storage.getItem(KEY) ?? 'null') as Autosave | null;
    return v && v.doc && Array.isArray(v.doc.nodes) ? v : null;
  } catch {
    return null;
  }
}

export function clearAutosave(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}
