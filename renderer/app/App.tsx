import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { catalog, parsePipeline, type ColumnInfo, type PipelineDocument } from '../../engine/index.ts';
import { Canvas } from '../canvas/Canvas.tsx';
import { addNodeChange, freeSpot } from '../canvas/add-node.ts';
import { autoLayout } from '../canvas/auto-layout.ts';
import { examples } from '../engine/assets.ts';
import { BottomPanel, type PreviewState } from '../panels/BottomPanel.tsx';
import { Inspector } from '../panels/Inspector.tsx';
import { Palette } from '../panels/Palette.tsx';
import { emptyDocument, nodeById } from '../store/editor-store.ts';
import { previewOutput, problemText, runPipeline } from './actions.ts';
import { clearAutosave, readAutosave, startAutosave, type Autosave } from './autosave.ts';
import { copyNodes, parseClip, pasteChanges, type Clip } from './clipboard.ts';
import { useEditor, useRuns, useSession } from './context.ts';
import type { Opened, RecentEntry } from './host-api.ts';
import { ExportView } from './ExportView.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { commandFor, isTyping, type Command } from './shortcuts.ts';
import { readBrowserSettings, resolveTheme, writeBrowserSettings, type Settings } from './settings.ts';
import { SettingsDialog } from './SettingsDialog.tsx';
import { StartPage } from './StartPage.tsx';

export function App() {
  const session = useSession();
  const flow = useReactFlow();
  const doc = useEditor((s) => s.doc);
  const dirty = useEditor((s) => s.doc !== s.saved);
  const baseDir = useEditor((s) => s.baseDir);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const running = useRuns((s) => s.running);
  const [start, setStart] = useState(true);
  const [recent, setRecent] = useState<RecentEntry[]>([]);
  const [recovery, setRecovery] = useState<Autosave | null>(() => readAutosave());
  const [help, setHelp] = useState(false);
  // The browser's copy of the settings gives the first frame its theme; the host's (the desktop
  // app's settings file) replaces it once read.
  const [settings, setSettings] = useState<Settings>(() => readBrowserSettings(localStorage));
  const [settingsOpen, setSettingsOpen] = useState(false);
  const systemDark = useSystemDark();
  const theme = resolveTheme(settings.theme, systemDark);
  const [status, setStatus] = useState('starting the engine…');
  const [schemas, setSchemas] = useState<Record<string, Record<string, ColumnInfo[]>>>({});
  const [preview, setPreview] = useState<PreviewState | null>(null);
  const [exporting, setExporting] = useState(false);
  const clip = useRef<Clip | null>(null);

  // Fits the graph after the next frame (the nodes of a just-opened document are not laid out
  // before). Never zooms in past 100%: a two-node pipeline is not blown up to fill the screen.
  const fit = useCallback(() => requestAnimationFrame(() => void flow.fitView({ maxZoom: 1 })), [flow]);

  useEffect(() => {
    session.engine.init().then(
      (info) => setStatus(info.notice ?? `engine: DuckDB ${info.duckdb} (${info.engine})`),
      (err: Error) => setStatus(`the engine failed to start: ${err.message}`),
    );
    return startAutosave(session.editor);
  }, [session]);

  useEffect(() => {
    void session.host.loadSettings().then(setSettings, () => undefined);
  }, [session]);
  // The start page lists recent pipelines as they are when it opens.
  useEffect(() => {
    if (start) void session.host.recentFiles().then(setRecent, () => undefined);
  }, [start, session]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const changeSettings = useCallback(
    (patch: Partial<Settings>) => {
      setSettings((s) => ({ ...s, ...patch }));
      if (session.host.kind === 'desktop' && patch.theme) writeBrowserSettings(localStorage, { theme: patch.theme });
      session.host.saveSettings(patch).then(setSettings, (err: Error) => setStatus(`settings not saved: ${err.message}`));
    },
    [session],
  );

  useEffect(() => {
    document.title = `${dirty ? '• ' : ''}${doc.name} — Kanvas`;
    session.host.setDocumentState(dirty, doc.name);
    const warn = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [doc.name, dirty, session]);

  // Bind the pipeline after edits settle: column pickers get the real upstream columns. Moves and
  // renames leave nodes and edges as they were, so they bind nothing.
  useEffect(() => {
    if (doc.nodes.length === 0) return;
    const timer = setTimeout(() => {
      session.engine.check({ doc: session.editor.getState().doc, baseDir }).then(
        (r) => r.ok && setSchemas(r.columns),
        () => undefined,
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [doc.nodes, doc.edges, baseDir, session]);

  // Only the latest preview asked for is shown, whichever finishes last.
  const previewRequest = useRef(0);
  const showPreview = useCallback(
    async (node: string, port?: string) => {
      const request = ++previewRequest.current;
      const kind = catalog.get(nodeById(session.editor.getState().doc, node)?.kind ?? '');
      const ports = Object.keys(kind?.outputs ?? {});
      if (ports.length === 0) {
        setPreview({ node, port: '', ports, result: `${node} writes files and has no output to preview` });
        return;
      }
      const chosen = port ?? ports[0]!;
      setPreview({ node, port: chosen, ports, result: 'loading' });
      const result = await previewOutput(session, node, chosen);
      if (request === previewRequest.current) setPreview({ node, port: chosen, ports, result });
    },
    [session],
  );

  // Data files the host kept (the browser's) are handed to the engine before the document opens.
  const restoreFiles = useCallback(
    async (doc: PipelineDocument, dir: string) => {
      const restored = await session.host.restoreFiles(doc, dir).catch(() => []);
      if (restored.length) setStatus(`restored ${restored.map((p) => p.split('/').pop()).join(', ')} from this browser's storage`);
    },
    [session],
  );

  /** Shows a document in place of the current one: no run states, preview or columns of the old one stay. */
  const showDocument = useCallback(
    (doc: PipelineDocument, fileName: string | null, dir: string) => {
      session.editor.getState().open(doc, fileName, dir);
      session.runs.getState().reset();
      setPreview(null);
      setSchemas({});
      setStart(false);
    },
    [session],
  );

  const openResult = useCallback(
    async (opened: Opened) => {
      if (!opened) return;
      if ('problems' in opened) return setStatus(opened.problems.map(problemText).join('; '));
      await restoreFiles(opened.doc, opened.baseDir);
      showDocument(opened.doc, opened.name, opened.baseDir);
      fit();
    },
    [fit, restoreFiles, showDocument],
  );

  const save = useCallback(
    async (ask: boolean) => {
      const editor = session.editor.getState();
      const saved = await session.host.save(editor.doc, editor.fileName, ask).catch((err: Error) => {
        setStatus(`not saved: ${err.message}`);
        return null;
      });
      if (!saved) return false;
      editor.markSaved(saved.fileName);
      if (saved.baseDir !== editor.baseDir) session.editor.setState({ baseDir: saved.baseDir });
      clearAutosave();
      setStatus(`saved ${saved.fileName}`);
      return true;
    },
    [session],
  );

  const run = useCallback(
    async (target?: string) => {
      await runPipeline(session, target);
      const shown = preview?.node;
      if (shown && session.runs.getState().nodes[shown]?.record) void showPreview(shown, preview?.port);
    },
    [preview, session, showPreview],
  );

  const execute = useCallback(
    async (command: Command) => {
      const editor = session.editor.getState();
      const selected = editor.selection;
      switch (command) {
        case 'undo':
          return editor.undo();
        case 'redo':
          return editor.redo();
        case 'run':
          return run();
        case 'runToHere':
          return selected.length === 1 ? run(selected[0]) : setStatus('select one node to run to');
        case 'preview':
          return selected.length === 1 ? showPreview(selected[0]!) : setStatus('select one node to preview');
        case 'cancel':
          return session.engine.cancel();
        case 'copy': {
          if (!selected.length) return;
          clip.current = copyNodes(editor.doc, selected);
          await navigator.clipboard?.writeText(JSON.stringify(clip.current)).catch(() => undefined);
          return setStatus(`copied ${selected.length} node${selected.length > 1 ? 's' : ''}`);
        }
        case 'paste': {
          const text = await navigator.clipboard?.readText().catch(() => '');
          const pasted = (text && parseClip(text)) || clip.current;
          if (!pasted) return;
          const { changes, ids } = pasteChanges(editor.doc, pasted);
          editor.apply(changes);
          return editor.select(ids);
        }
        case 'duplicate': {
          if (!selected.length) return;
          const { changes, ids } = pasteChanges(editor.doc, copyNodes(editor.doc, selected));
          editor.apply(changes);
          return editor.select(ids);
        }
        case 'selectAll':
          return editor.select(editor.doc.nodes.map((n) => n.id));
        case 'layout': {
          editor.apply(await autoLayout(editor.doc));
          return fit();
        }
        case 'fitView':
          return fit();
        case 'save':
          return save(false);
        case 'saveAs':
          return save(true);
        case 'export':
          return setExporting(true);
        case 'open':
          return openResult(await session.host.open().catch((err: Error) => ({ problems: [{ code: 'file' as const, message: err.message }] })));
        case 'new':
          showDocument(emptyDocument(), null, '/files');
          return void flow.setViewport({ x: 0, y: 0, zoom: 1 });
        case 'help':
          return setHelp((h) => !h);
        case 'theme':
          return changeSettings({ theme: document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark' });
        case 'settings':
          return setSettingsOpen((open) => !open);
      }
    },
    [changeSettings, fit, flow, openResult, run, save, session, showDocument, showPreview],
  );

  // Desktop menus send commands; a file opened from the OS arrives here too.
  useEffect(() => {
    const offMenu = session.host.onMenuCommand((command) => {
      if (command.startsWith('openRecent:')) {
        void session.host.openRecent(command.slice('openRecent:'.length)).then(openResult, (err: Error) => setStatus(err.message));
      } else if (command === 'saveAndClose') {
        void save(false).then((ok) => ok && window.close());
      } else void execute(command as Command);
    });
    const offOpen = session.host.onOpenFile(openResult);
    return () => {
      offMenu();
      offOpen();
    };
  }, [execute, openResult, save, session]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = commandFor(e);
      if (!command) return;
      const typing = isTyping(e.target);
      // In a field, only the chords that cannot mean text editing act on the document.
      if (typing && !['run', 'runToHere', 'save', 'open', 'cancel'].includes(command)) return;
      if (!typing && ['copy', 'paste'].includes(command) && window.getSelection()?.toString()) return;
      // A shortcut is consumed here, before the element under focus sees it (capture phase):
      // otherwise the code editor also inserts a line on Ctrl+Enter, and React Flow's focused
      // node toggles its selection on Shift+Enter (Shift is the multi-select key).
      e.preventDefault();
      e.stopPropagation();
      void execute(command);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [execute]);

  const pickDataFile = useCallback((extensions: string[]) => session.host.pickDataFile(extensions, session.editor.getState().baseDir), [session]);

  return (
    <div className="app">
      <header className="toolbar" role="toolbar">
        <span className="brand">Kanvas</span>
        <input
          className="name"
          aria-label="Pipeline name"
          value={doc.name}
          onChange={(e) => session.editor.getState().apply([{ type: 'set-name', name: e.target.value }], { merge: 'name' })}
        />
        {dirty && <span className="status" title="unsaved changes">●</span>}
        <button onClick={() => setStart(true)}>Start</button>
        <button onClick={() => execute('open')}>Open…</button>
        <button onClick={() => execute('save')}>Save</button>
        <button onClick={() => execute('undo')} disabled={!canUndo} aria-label="Undo">
          ↶
        </button>
        <button onClick={() => execute('redo')} disabled={!canRedo} aria-label="Redo">
          ↷
        </button>
        <button onClick={() => execute('layout')}>Layout</button>
        <button onClick={() => execute('export')} disabled={doc.nodes.length === 0}>
          Export code
        </button>
        <button className="primary" onClick={() => execute('run')} disabled={running || doc.nodes.length === 0}>
          ▶ Run
        </button>
        <button onClick={() => execute('cancel')} disabled={!running}>
          Cancel
        </button>
        <span className="spacer" />
        <span className="status" role="status">
          {running ? 'running…' : status}
        </span>
        <button onClick={() => execute('theme')} aria-label="Switch theme">
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button onClick={() => setSettingsOpen(true)} aria-label="Settings">
          ⚙
        </button>
        <button onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </header>
      <div className="workspace">
        <Palette
          onAdd={(kind) => {
            const editor = session.editor.getState();
            // The middle of the canvas (not of the window, which the side panels shift).
            const box = document.querySelector('.canvas')?.getBoundingClientRect();
            const center = flow.screenToFlowPosition(box ? { x: box.left + box.width / 2 - 85, y: box.top + box.height / 2 - 40 } : { x: innerWidth / 2, y: innerHeight / 2 });
            editor.apply([addNodeChange(editor.doc, kind, freeSpot(editor.doc, center))]);
          }}
        />
        <Canvas baseDir={baseDir} onStatus={setStatus} colorMode={theme} />
        <Inspector schemas={schemas} pickFile={pickDataFile} onRunTo={(id) => void run(id)} onPreview={(id) => void showPreview(id)} />
      </div>
      <BottomPanel preview={preview} onPort={(port) => preview && void showPreview(preview.node, port)} />
      {exporting && <ExportView onClose={() => setExporting(false)} onStatus={setStatus} />}
      {start && (
        <StartPage
          recovery={recovery}
          recent={recent}
          onRecent={(id) => void session.host.openRecent(id).then(openResult, (err: Error) => setStatus(err.message))}
          onExample={async (id) => {
            const ex = examples.find((e) => e.id === id)!;
            const result = parsePipeline(ex.text, `${id}.kanvas.json`);
            openResult(result.ok ? { doc: result.doc, name: `${id}.kanvas.json`, baseDir: await session.host.exampleBaseDir(id) } : { problems: result.problems });
          }}
          onNew={() => void execute('new')}
          onOpen={() => void execute('open')}
          onRecover={async () => {
            await restoreFiles(recovery!.doc, recovery!.baseDir);
            showDocument(recovery!.doc, recovery!.fileName, recovery!.baseDir);
            // Recovered work is unsaved: mark the saved state as the empty document it replaced.
            session.editor.setState({ saved: emptyDocument() });
            setRecovery(null);
            fit();
          }}
          onDiscard={() => {
            clearAutosave();
            setRecovery(null);
          }}
          {...(doc.nodes.length ? { onClose: () => setStart(false) } : {})}
        />
      )}
      {/* After the start page: opened from it (by shortcut or menu), they show above it. */}
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
      {settingsOpen && <SettingsDialog settings={settings} nativeEngine={session.host.kind === 'desktop'} onChange={changeSettings} onClose={() => setSettingsOpen(false)} />}
    </div>
  );
}

/** Whether the operating system prefers dark colours, following changes while the app runs. */
function useSystemDark(): boolean {
  const [dark, setDark] = useState(() => matchMedia('(prefers-color-scheme: dark)').matches);
  useEffect(() => {
    const query = matchMedia('(prefers-color-scheme: dark)');
    const listener = (e: MediaQueryListEvent) => setDark(e.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);
  return dark;
}
