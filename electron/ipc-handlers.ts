import path from 'node:path';
import { parsePipeline, sourceKindByExtension } from '../engine/index.ts';
import type { AccessPolicy } from './access-policy.ts';
import { relativeInside } from './inside.ts';
import { channelArgs, type Channel, type ChannelArgs, type ChannelResults, type OpenedPipeline } from './channels.ts';
import type { SettingsStore } from './settings-store.ts';

/** The Electron pieces the handlers use, passed in so the handlers run (and are tested) in Node. */
export interface HandlerDeps {
  dialog: {
    showOpenDialog(o: { title: string; properties: string[]; filters: { name: string; extensions: string[] }[]; defaultPath?: string }): Promise<{ canceled: boolean; filePaths: string[] }>;
    showSaveDialog(o: { title: string; defaultPath?: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
  };
  readText(file: string): Promise<string>;
  /** Whether `file` is an existing regular file. */
  isFile(file: string): Promise<boolean>;
  writeAtomic(file: string, text: string): Promise<void>;
  settings: SettingsStore;
  access: AccessPolicy;
  /** Called when the permitted folders change (the engine process is told). */
  onAccessChanged(): void;
  documentState: { dirty: boolean; title: string };
  info(): ChannelResults['app:info'];
}

export type Handlers = { [C in Channel]: (...args: ChannelArgs<C>) => Promise<ChannelResults[C]> };

const pipelineFilter = { name: 'Kanvas pipeline', extensions: ['kanvas.json', 'json'] };

const dataExtensions = Object.keys(sourceKindByExtension);

/** How a source node stores a data file: relative inside the pipeline's folder (so the folder can move), else absolute. */
function storedPath(file: string, pipelineDir: string): string {
  const rel = pipelineDir ? relativeInside(pipelineDir, file) : null;
  return rel ? rel.split(path.sep).join('/') : file;
}

/**
 * Opens a pipeline file the user chose (a dialog, the recent list, the OS): reads it, permits its
 * folder (its data sits beside it) and records it as recent.
 */
export async function openPipelineFile(d: HandlerDeps, file: string): Promise<OpenedPipeline> {
  const text = await d.readText(file);
  d.access.allowFolder(path.dirname(file));
  d.onAccessChanged();
  await d.settings.addRecent(file);
  return { path: file, text };
}

export function createHandlers(d: HandlerDeps): Handlers {
  const opened = (file: string) => openPipelineFile(d, file);
  const write = async (file: string, text: string) => {
    // Only pipeline documents are written through this channel, never arbitrary bytes.
    const parsed = parsePipeline(text, path.basename(file));
    if (!parsed.ok) throw new Error(`not a valid pipeline document: ${parsed.problems[0]!.message}`);
    await d.writeAtomic(file, text);
    await d.settings.addRecent(file);
    return file;
  };
  return {
    async 'pipeline:open-dialog'() {
      const r = await d.dialog.showOpenDialog({ title: 'Open pipeline', properties: ['openFile'], filters: [pipelineFilter] });
      return r.canceled || !r.filePaths[0] ? null : opened(r.filePaths[0]);
    },
    async 'pipeline:open-recent'(file) {
      if (!d.settings.all.recent.includes(file)) throw new Error(`not a recent file: ${file}`);
      return opened(file);
    },
    async 'pipeline:save'(file, text) {
      const abs = d.access.check(file);
      if (!abs.endsWith('.json')) throw new Error(`a pipeline file must end in .kanvas.json: ${abs}`);
      return write(abs, text);
    },
    async 'pipeline:save-as-dialog'(text, suggested) {
      const r = await d.dialog.showSaveDialog({ title: 'Save pipeline', defaultPath: suggested, filters: [pipelineFilter] });
      if (r.canceled || !r.filePath) return null;
      d.access.allowFolder(path.dirname(r.filePath));
      d.onAccessChanged();
      return write(r.filePath, text);
    },
    async 'data:pick-file'(extensions, pipelineDir) {
      const r = await d.dialog.showOpenDialog({
        title: 'Choose a data file',
        properties: ['openFile'],
        filters: [{ name: 'Data files', extensions }],
        ...(pipelineDir ? { defaultPath: pipelineDir } : {}),
      });
      const file = r.canceled ? undefined : r.filePaths[0];
      if (!file) return null;
      d.access.allowFile(file);
      d.onAccessChanged();
      return storedPath(file, pipelineDir);
    },
    async 'data:allow-dropped'(file, pipelineDir) {
      if (!path.isAbsolute(file) || file.includes('\0')) throw new Error(`not an absolute path: ${file}`);
      const ext = path.extname(file).slice(1).toLowerCase();
      if (!dataExtensions.includes(ext)) throw new Error(`not a data file (${dataExtensions.join(', ')}): ${path.basename(file)}`);
      if (!(await d.isFile(file))) throw new Error(`not a file: ${file}`);
      d.access.allowFile(file);
      d.onAccessChanged();
      return storedPath(file, pipelineDir);
    },
    async 'export:save-dialog'(text, suggested) {
      const ext = suggested.includes('.') ? suggested.split('.').pop()! : 'txt';
      const r = await d.dialog.showSaveDialog({ title: 'Save exported code', defaultPath: suggested, filters: [{ name: 'Exported code', extensions: [ext] }] });
      if (r.canceled || !r.filePath) return null;
      await d.writeAtomic(r.filePath, text);
      return r.filePath;
    },
    async 'recent:list'() {
      return d.settings.all.recent;
    },
    async 'settings:get'() {
      return d.settings.settings();
    },
    async 'settings:set'(patch) {
      await d.settings.update({ ...(patch.theme ? { theme: patch.theme } : {}), ...(patch.engine ? { engine: patch.engine } : {}) });
      return d.settings.settings();
    },
    async 'app:document-state'(state) {
      d.documentState.dirty = state.dirty;
      d.documentState.title = state.title;
    },
    async 'app:info'() {
      return d.info();
    },
  };
}

/**
 * Wraps a handler for `ipcMain.handle`: the sender must be the app's own page and the
 * arguments must match the channel's schema, or the call is refused before the handler runs.
 */
export function guardHandler<C extends Channel>(
  channel: C,
  handler: Handlers[C],
  isTrustedSender: (url: string | undefined) => boolean,
): (event: { senderFrame?: { url?: string } | null }, ...args: unknown[]) => Promise<ChannelResults[C]> {
  return async (event, ...args) => {
    const url = event.senderFrame?.url;
    if (!isTrustedSender(url)) throw new Error(`refused ${channel}: sender ${url ?? '(unknown)'} is not the app`);
    const parsed = channelArgs[channel].safeParse(args);
    if (!parsed.success) throw new Error(`refused ${channel}: invalid arguments (${parsed.error.issues[0]?.message})`);
    return (handler as (...a: unknown[]) => Promise<ChannelResults[C]>)(...(parsed.data as unknown[]));
  };
}
