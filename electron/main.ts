// The desktop shell. Only this file and preload.ts import `electron`; everything they use is a
// plain module with its Electron pieces passed in, so it is tested in Node.
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, protocol, session, shell, utilityProcess, type MenuItemConstructorOptions, type UtilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../engine/node/atomic-write.ts';
import { AccessPolicy } from './access-policy.ts';
import { channelMethods, events, type Channel } from './channel-map.ts';
import type { EngineProcessMessage } from './engine-process.ts';
import { createHandlers, guardHandler, openPipelineFile, type HandlerDeps } from './ipc-handlers.ts';
import { menuTemplate, type MenuItem } from './menu.ts';
import { appFile } from './serve-app.ts';
import ElectronStore from 'electron-store';
import { openSettings, settingsOptions, type StoredSettings } from './settings-store.ts';
import { APP_ORIGIN, contentSecurityPolicy, isAppUrl, windowOptions } from './window-options.ts';

const here = import.meta.dirname; // dist/electron
const root = app.isPackaged ? process.resourcesPath : path.join(here, '..', '..');
const rendererDir = path.join(here, '..', 'web');
const examplesDir = path.join(root, 'examples');
const samplesDir = path.join(root, 'engine', 'samples');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

const pipelineArg = (argv: string[]) => argv.slice(1).find((a) => a.endsWith('.json') && existsSync(a)) ?? null;

if (!app.requestSingleInstanceLock()) app.quit();
else void start();

async function start(): Promise<void> {
  let win: BrowserWindow | null = null;
  let engineProcess: UtilityProcess | null = null;
  let engineProblem: string | null = null;
  let closing = false;
  let pendingOpen = pipelineArg(process.argv);
  const documentState = { dirty: false, title: 'Kanvas' };

  // Opening a .kanvas.json from the OS: a second launch (Windows, Linux) or open-file (macOS).
  app.on('second-instance', (_e, argv) => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
    const file = pipelineArg(argv);
    if (file) void openFromOs(file);
  });
  app.on('open-file', (e, file) => {
    e.preventDefault();
    if (win) void openFromOs(file);
    else pendingOpen = file;
  });
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  const settings = openSettings((migrations) => new ElectronStore<StoredSettings>({ ...settingsOptions(migrations), name: 'settings' }), path.join(app.getPath('userData'), 'settings.json'));
  const access = new AccessPolicy([examplesDir]);
  const tellEngine = (message: EngineProcessMessage, ports: Electron.MessagePortMain[] = []) => engineProcess?.postMessage(message, ports);
  const pushAccess = () => tellEngine({ type: 'allow', folders: access.folders(), files: access.pickedFiles() });

  protocol.handle('app', async (request) => {
    const target = appFile(request.url, rendererDir);
    if (!target) return new Response('not found', { status: 404 });
    try {
      return new Response(await readFile(target.file), { headers: { 'content-type': target.type, 'content-security-policy': contentSecurityPolicy } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // Nothing reaches the network: only the app's own scheme (and in-page blobs) load.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !/^(app|blob|data|devtools):/.test(details.url) });
  });

  try {
    engineProcess = utilityProcess.fork(path.join(here, 'engine-process.js'), [], {
      serviceName: 'Kanvas engine',
      env: { ...process.env, KANVAS_SAMPLES_DIR: samplesDir },
    });
    engineProcess.on('exit', (code) => {
      engineProblem = `the native engine stopped (exit code ${code})`;
      engineProcess = null;
    });
    tellEngine({ type: 'settings', threads: settings.all.engine.threads });
    pushAccess();
  } catch (err) {
    engineProblem = `the native engine could not start: ${(err as Error).message}`;
  }

  const deps: HandlerDeps = {
    dialog: {
      showOpenDialog: (o) => (win ? dialog.showOpenDialog(win, o as Electron.OpenDialogOptions) : dialog.showOpenDialog(o as Electron.OpenDialogOptions)),
      showSaveDialog: (o) => (win ? dialog.showSaveDialog(win, o) : dialog.showSaveDialog(o)),
    },
    readText: (file) => readFile(file, 'utf8'),
    isFile: async (file) => (await stat(file).catch(() => null))?.isFile() ?? false,
    writeAtomic: (file, text) => writeFileAtomic(file, text),
    settings,
    access,
    onAccessChanged: pushAccess,
    documentState,
    info: () => ({ version: app.getVersion(), examplesDir, engineProblem }),
  };
  const handlers = createHandlers(deps);
  for (const channel of Object.keys(channelMethods) as Channel[]) {
    const guarded = guardHandler(channel, handlers[channel], isAppUrl);
    ipcMain.handle(channel, async (event, ...args) => {
      const result = await guarded(event, ...args);
      if (channel.startsWith('pipeline:')) buildMenu();
      if (channel === 'settings:set') tellEngine({ type: 'settings', threads: settings.all.engine.threads });
      return result;
    });
  }

  async function openFromOs(file: string): Promise<void> {
    const opened = await openPipelineFile(deps, file);
    buildMenu();
    win?.webContents.send(events.openFile, opened);
  }

  function buildMenu(): void {
    const toElectron = (item: MenuItem): MenuItemConstructorOptions => {
      if (item.type === 'separator') return { type: 'separator' };
      if (item.role) return { role: item.role as MenuItemConstructorOptions['role'] };
      return {
        label: item.label,
        ...(item.accelerator ? { accelerator: item.accelerator, registerAccelerator: !/^(Shift\+)?[A-Z?]$|^[A-Z?]$/.test(item.accelerator) } : {}),
        ...(item.submenu ? { submenu: item.submenu.map(toElectron) } : {}),
        ...(item.command && item.command !== 'none'
          ? {
              click: () => {
                if (item.command === 'docs') void shell.openPath(path.join(root, 'docs'));
                else win?.webContents.send(events.menuCommand, item.command === 'openRecent' ? `openRecent:${item.path}` : item.command);
              },
            }
          : {}),
      };
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(settings.all.recent, process.platform === 'darwin').map(toElectron)));
  }

  function createWindow(): void {
    const saved = settings.all.window;
    win = new BrowserWindow(windowOptions(path.join(here, 'preload.cjs'), saved.bounds));
    if (saved.maximized) win.maximize();
    const contents = win.webContents;
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (e, url) => {
      if (!isAppUrl(url)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.on('did-finish-load', () => {
      if (engineProcess) {
        const { port1, port2 } = new MessageChannelMain();
        tellEngine({ type: 'connect' }, [port1]);
        contents.postMessage('engine:port', null, [port2]);
      }
      if (pendingOpen) void openFromOs(pendingOpen);
      pendingOpen = null;
    });
    win.once('ready-to-show', () => win?.show());
    win.on('close', (e) => {
      const w = win!;
      void settings.update({ window: { bounds: w.getNormalBounds(), maximized: w.isMaximized() } });
      if (!documentState.dirty || closing) return;
      e.preventDefault();
      const answer = dialog.showMessageBoxSync(w, {
        type: 'warning',
        buttons: ['Save', "Don't Save", 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        message: `Save the changes to “${documentState.title}” before closing?`,
        detail: 'Unsaved changes are lost if you don’t save them.',
      });
      if (answer === 0) contents.send(events.menuCommand, 'saveAndClose');
      if (answer === 1) {
        closing = true;
        w.close();
      }
    });
    win.on('closed', () => {
      win = null;
    });
    void win.loadURL(`${APP_ORIGIN}/index.html`);
  }

  buildMenu();
  createWindow();
}
