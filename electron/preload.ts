// The only bridge between the page and Electron: one function per IPC channel (see
// channels.ts), and the engine's MessagePort handed to the page. `ipcRenderer` itself is
// never exposed.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildDesktopApi } from './desktop-api.ts';

contextBridge.exposeInMainWorld('kanvasDesktop', buildDesktopApi(ipcRenderer, (file) => webUtils.getPathForFile(file)));

// A MessagePort cannot cross contextBridge; window.postMessage can carry it to the page.
ipcRenderer.on('engine:port', (event) => window.postMessage({ kanvas: 'engine-port' }, window.location.origin, event.ports));
