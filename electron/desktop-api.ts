import { channelMethods, events, type Channel, type OpenedPipeline } from './channel-map.ts';
import type { DesktopApi } from './channels.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

/**
 * Builds the renderer's desktop API from the channel map: one function per channel, each able
 * to send only its own channel. The preload calls this with `ipcRenderer` and
 * `webUtils.getPathForFile`; tests with fakes.
 */
export function buildDesktopApi(ipc: IpcRendererLike, pathForFile: (file: File) => string): DesktopApi {
  const api: Record<string, unknown> = {};
  for (const [channel, method] of Object.entries(channelMethods) as [Channel, string][]) {
    api[method] = (...args: unknown[]) => ipc.invoke(channel, ...args);
  }
  api.allowDroppedFile = async (file: File, pipelineDir: string) => {
    // Empty for a File the page made itself: only files from the user's disk have a path.
    const filePath = pathForFile(file);
    if (!filePath) throw new Error(`"${file.name}" is not a file on disk`);
    return ipc.invoke('data:allow-dropped', filePath, pipelineDir);
  };
  // Each returns its unsubscribe: a page that re-registers (React effects do) must not leave
  // the old listener behind, or every menu command would run twice.
  const subscribe = (channel: string, relay: (arg: unknown) => void) => {
    const handler = (_event: unknown, arg: unknown) => relay(arg);
    ipc.on(channel, handler);
    return () => ipc.removeListener(channel, handler);
  };
  api.onMenuCommand = (listener: (command: string) => void) => subscribe(events.menuCommand, (command) => listener(String(command)));
  api.onOpenFile = (listener: (file: OpenedPipeline) => void) => subscribe(events.openFile, (file) => listener(file as OpenedPipeline));
  return api as DesktopApi;
}
