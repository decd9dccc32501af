/**
 * Every IPC channel between the renderer and the main process, and the one preload function
 * that sends it. Kept free of dependencies: the sandboxed preload bundles this file alone.
 * Argument schemas are in `channels.ts`.
 */
export const channelMethods = {
  'pipeline:open-dialog': 'openPipelineDialog',
  'pipeline:open-recent': 'openRecent',
  'pipeline:save': 'savePipeline',
  'pipeline:save-as-dialog': 'savePipelineAs',
  'data:pick-file': 'pickDataFile',
  'data:allow-dropped': 'allowDroppedFile',
  'export:save-dialog': 'saveExport',
  'recent:list': 'recentFiles',
  'settings:get': 'getSettings',
  'settings:set': 'setSettings',
  'app:document-state': 'setDocumentState',
  'app:info': 'appInfo',
} as const;

export type Channel = keyof typeof channelMethods;

/** Events main sends to the renderer. */
export const events = {
  menuCommand: 'menu:command',
  openFile: 'app:open-file',
} as const;

export interface Settings {
  theme: 'light' | 'dark' | 'system';
  engine: { threads: number | null };
}

export interface OpenedPipeline {
  path: string;
  text: string;
}

export interface ChannelResults {
  'pipeline:open-dialog': OpenedPipeline | null;
  'pipeline:open-recent': OpenedPipeline;
  'pipeline:save': string;
  'pipeline:save-as-dialog': string | null;
  'data:pick-file': string | null;
  'data:allow-dropped': string;
  'export:save-dialog': string | null;
  'recent:list': string[];
  'settings:get': Settings;
  'settings:set': Settings;
  'app:document-state': void;
  'app:info': { version: string; examplesDir: string; engineProblem: string | null };
}
