import { catalog, formatPipeline, isRunNode, parsePipeline, sourceKindByExtension, type PipelineDocument } from '../../engine/index.ts';
import type { EngineApi } from '../../engine/service/engine-api.ts';
import type { DesktopApi } from '../../electron/channels.ts';
import { examples } from '../engine/assets.ts';
import { downloadBytes, downloadPipeline, fileNameFor, openPipelineFiles, pickFiles } from './files.ts';
import type { Host, Opened } from './host-api.ts';
import type { KeptFiles } from './kept-files.ts';
import { readRecentDocs, rememberDoc } from './recent-docs.ts';
import { readBrowserSettings, writeBrowserSettings } from './settings.ts';

const dirOf = (path: string) => path.replace(/[\\/][^\\/]*$/, '') || '/';
const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

function parsed(text: string, path: string, baseDir: string): Opened {
  const result = parsePipeline(text, baseName(path));
  return result.ok ? { doc: result.doc, name: path, baseDir } : { problems: result.problems };
}

/** Paths of the files a document's file-reading nodes read, resolved against its folder. */
function sourcePaths(doc: PipelineDocument, baseDir: string): string[] {
  const readsFile = (kind: string) => {
    const def = catalog.get(kind);
    return !!def && !isRunNode(def) && !!def.file;
  };
  const paths = doc.nodes.flatMap((n) => (readsFile(n.kind) && typeof n.params.path === 'string' && n.params.path ? [n.params.path] : []));
  return paths.map((p) => (p.startsWith('/') ? p : `${baseDir}/${p}`));
}

export function browserHost(engine: EngineApi, kept: KeptFiles): Host {
  return {
    kind: 'browser',
    async open() {
      // The pipeline (`.kanvas.json`) with the data files it reads.
      const files = await pickFiles(Object.keys(sourceKindByExtension).map((e) => `.${e}`).join(','), true);
      const opened = await openPipelineFiles(engine, files);
      if (!opened) return files.length ? { problems: [{ code: 'file', message: 'no pipeline file (*.kanvas.json) among the chosen files' }] } : null;
      if ('problems' in opened) return opened;
      rememberDoc(localStorage, baseName(opened.name), formatPipeline(opened.doc));
      return { ...opened, baseDir: '/files' };
    },
    async recentFiles() {
      return readRecentDocs(localStorage).map((d) => ({ id: d.name, label: d.name, detail: `opened or saved ${new Date(d.at).toLocaleString()}` }));
    },
    async openRecent(name) {
      const recent = readRecentDocs(localStorage).find((d) => d.name === name);
      if (!recent) return { problems: [{ code: 'file', message: `"${name}" is no longer in the recent list` }] };
      return parsed(recent.text, name, '/files');
    },
    async restoreFiles(doc, baseDir) {
      const restored: string[] = [];
      for (const path of sourcePaths(doc, baseDir)) {
        // A file given in this session (opened with the pipeline, say) is newer than a kept copy.
        if (kept.inEngine(path)) continue;
        const bytes = await kept.read(path);
        if (!bytes) continue;
        await engine.putFile(path, bytes);
        restored.push(path);
      }
      return restored;
    },
    async save(doc, fileName) {
      const name = fileName ?? fileNameFor(doc);
      downloadPipeline(doc, baseName(name));
      rememberDoc(localStorage, baseName(name), formatPipeline(doc));
      return { fileName: name, baseDir: '/files' };
    },
    async pickDataFile(extensions, baseDir) {
      const [file] = await pickFiles(extensions.map((e) => `.${e}`).join(','), false);
      if (!file) return null;
      await engine.putFile(`${baseDir}/${file.name}`, new Uint8Array(await file.arrayBuffer()));
      return file.name;
    },
    async dropDataFile(file, baseDir) {
      await engine.putFile(`${baseDir}/${file.name}`, new Uint8Array(await file.arrayBuffer()));
      return file.name;
    },
    async saveExport(name, text) {
      downloadBytes(new TextEncoder().encode(text), name, 'text/plain');
      return name;
    },
    async exampleBaseDir(id) {
      return examples.find((e) => e.id === id)!.baseDir;
    },
    setDocumentState() {},
    async loadSettings() {
      return readBrowserSettings(localStorage);
    },
    async saveSettings(patch) {
      return writeBrowserSettings(localStorage, patch);
    },
    // A browser has no application menu and no files opened from the OS.
    onMenuCommand: () => () => undefined,
    onOpenFile: () => () => undefined,
  };
}

export function desktopHost(api: DesktopApi): Host {
  let examplesDir: Promise<string> | undefined;
  return {
    kind: 'desktop',
    async open() {
      const file = await api.openPipelineDialog();
      return file ? parsed(file.text, file.path, dirOf(file.path)) : null;
    },
    async recentFiles() {
      return (await api.recentFiles()).map((path) => ({ id: path, label: baseName(path), detail: dirOf(path) }));
    },
    async openRecent(path) {
      const file = await api.openRecent(path);
      return parsed(file.text, file.path, dirOf(file.path));
    },
    // The desktop reads files where they are.
    restoreFiles: async () => [],
    async save(doc, fileName, ask) {
      const text = formatPipeline(doc);
      const path = fileName && !ask && /[\\/]/.test(fileName) ? await api.savePipeline(fileName, text) : await api.savePipelineAs(text, fileName ?? `${doc.name || 'pipeline'}.kanvas.json`);
      return path ? { fileName: path, baseDir: dirOf(path) } : null;
    },
    pickDataFile: (extensions, baseDir) => api.pickDataFile(extensions, baseDir),
    // The engine reads the file where it is, once main has permitted it.
    dropDataFile: (file, baseDir) => api.allowDroppedFile(file, baseDir),
    saveExport: (name, text) => api.saveExport(text, name),
    async exampleBaseDir(id) {
      examplesDir ??= api.appInfo().then((i) => i.examplesDir);
      return `${await examplesDir}/${id}`;
    },
    setDocumentState(dirty, title) {
      void api.setDocumentState({ dirty, title });
    },
    loadSettings: () => api.getSettings(),
    saveSettings: (patch) => api.setSettings(patch),
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    onOpenFile: (listener) => api.onOpenFile((file) => listener(parsed(file.text, file.path, dirOf(file.path)))),
  };
}
