import { createStore } from 'zustand/vanilla';
import type { PipelineDocument } from '../../engine/index.ts';
import { applyChanges, type PipelineChange } from './changes.ts';

interface HistoryEntry {
  changes: PipelineChange[];
  inverse: PipelineChange[];
}

export interface EditorState {
  doc: PipelineDocument;
  /** Name the document was opened or saved as (for download and the title). */
  fileName: string | null;
  /** Folder the document's relative paths resolve against (in the engine's file space). */
  baseDir: string;
  /** The document as last saved; `dirty` is derived from it. */
  saved: PipelineDocument;
  selection: string[];
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** Merge key of the latest edit: the next edit with the same key joins its undo step (typing in one field). */
  openMerge: string | null;
  apply(changes: PipelineChange[], options?: { merge?: string }): void;
  undo(): void;
  redo(): void;
  open(doc: PipelineDocument, fileName: string | null, baseDir?: string): void;
  markSaved(fileName?: string): void;
  select(ids: string[]): void;
}

export const emptyDocument = (name = 'untitled'): PipelineDocument => ({
  format: 'kanvas.pipeline',
  version: 1,
  name,
  nodes: [],
  edges: [],
  layout: {},
});

/** The editor's document store: the document *is* the pipeline file; every edit is undoable. */
export function createEditorStore(doc: PipelineDocument = emptyDocument(), fileName: string | null = null, baseDir = '/files') {
  return createStore<EditorState>()((set, get) => ({
    doc,
    fileName,
    baseDir,
    saved: doc,
    selection: [],
    past: [],
    future: [],
    openMerge: null,
    apply(changes, options) {
      if (changes.length === 0) return;
      const { doc: current, past, openMerge } = get();
      const { doc: next, inverse } = applyChanges(current, changes);
      if (next === current) return;
      const last = past[past.length - 1];
      const merging = last !== undefined && options?.merge !== undefined && openMerge === options.merge;
      const history = merging
        ? [...past.slice(0, -1), { changes: [...last.changes, ...changes], inverse: [...inverse, ...last.inverse] }]
        : [...past, { changes, inverse }];
      set({ doc: next, past: history.slice(-500), future: [], openMerge: options?.merge ?? null, selection: present(get().selection, next) });
    },
    undo() {
      const { past, future, doc: current } = get();
      const entry = past[past.length - 1];
      if (!entry) return;
      const { doc: next } = applyChanges(current, entry.inverse);
      set({ doc: next, past: past.slice(0, -1), future: [...future, entry], openMerge: null, selection: present(get().selection, next) });
    },
    redo() {
      const { past, future, doc: current } = get();
      const entry = future[future.length - 1];
      if (!entry) return;
      const { doc: next } = applyChanges(current, entry.changes);
      set({ doc: next, future: future.slice(0, -1), past: [...past, entry], openMerge: null, selection: present(get().selection, next) });
    },
    open(doc, fileName, dir = '/files') {
      set({ doc, fileName, baseDir: dir, saved: doc, selection: [], past: [], future: [], openMerge: null });
    },
    markSaved(name) {
      set({ saved: get().doc, ...(name ? { fileName: name } : {}) });
    },
    select(ids) {
      set({ selection: ids });
    },
  }));
}

export type EditorStore = ReturnType<typeof createEditorStore>;

/**
 * The selection without nodes the document no longer has (deleted, or gone by undo): the
 * inspector and copy must never act on a missing node. Same array when nothing went.
 */
function present(selection: string[], doc: PipelineDocument): string[] {
  const has = (id: string) => nodeById(doc, id) !== undefined;
  return selection.every(has) ? selection : selection.filter(has);
}

/** A fresh id for a new node of `kind`: its name part, numbered when taken (`filter`, `filter_2`). */
export function newNodeId(doc: PipelineDocument, kind: string): string {
  const base = kind.split('.')[1]!.replace(/[^A-Za-z0-9_]/g, '_');
  const taken = new Set(doc.nodes.map((n) => n.id));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

const indexes = new WeakMap<PipelineDocument['nodes'], Map<string, PipelineDocument['nodes'][number]>>();

/**
 * A node by id, through an index made once per version of the node list: every node on the
 * canvas looks itself up on every store change, and a search per node would grow with the
 * square of the graph.
 */
export function nodeById(doc: PipelineDocument, id: string): PipelineDocument['nodes'][number] | undefined {
  let index = indexes.get(doc.nodes);
  if (!index) indexes.set(doc.nodes, (index = new Map(doc.nodes.map((n) => [n.id, n]))));
  return index.get(id);
}
