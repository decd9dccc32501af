import type { PipelineDocument, Problem } from '../../engine/index.ts';
import type { Settings } from './settings.ts';

export type Opened = { doc: PipelineDocument; name: string; baseDir: string } | { problems: Problem[] } | null;

/** A pipeline the start page offers to open again. */
export interface RecentEntry {
  /** What `openRecent` takes: a path on the desktop, a file name in the browser. */
  id: string;
  label: string;
  detail: string;
}

/**
 * What differs between the browser and the desktop app: where files come from and go to.
 * In the browser, files are picked and downloaded and live in the engine worker's memory; on
 * the desktop they are real paths, through native dialogs and the main process.
 */
export interface Host {
  kind: 'browser' | 'desktop';
  open(): Promise<Opened>;
  recentFiles(): Promise<RecentEntry[]>;
  openRecent(id: string): Promise<Opened>;
  /**
   * Makes the data files a document reads available again, where the host can (the browser
   * build's kept files); returns the paths it restored.
   */
  restoreFiles(doc: PipelineDocument, baseDir: string): Promise<string[]>;
  /** Saves to `fileName` (a path on the desktop) or asks where; returns what it was saved as. */
  save(doc: PipelineDocument, fileName: string | null, ask: boolean): Promise<{ fileName: string; baseDir: string } | null>;
  pickDataFile(extensions: string[], baseDir: string): Promise<string | null>;
  /** Makes a file dropped on the canvas readable; returns the path its source node stores. */
  dropDataFile(file: File, baseDir: string): Promise<string>;
  saveExport(name: string, text: string): Promise<string | null>;
  exampleBaseDir(id: string): Promise<string>;
  setDocumentState(dirty: boolean, title: string): void;
  /** Settings: the desktop app's settings file, or the browser's localStorage. */
  loadSettings(): Promise<Settings>;
  saveSettings(patch: Partial<Settings>): Promise<Settings>;
  /** Both return a function that removes the listener. */
  onMenuCommand(listener: (command: string) => void): () => void;
  onOpenFile(listener: (opened: Opened) => void): () => void;
}
