import { channelMethods, events, type Channel, type OpenedPipeline } from './channel-map.ts';
import type { DesktopApi } from './channels.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

/**
 * Builds the renderer's desktop API from the channel map: one function per channel, each able
 * to send only its own channel. The preload calls this with `ipcRenderer`; tests with a fake.
 */
export function buildDesktopApi(ipc: IpcRendererLike): DesktopApi {
  const api: Record<string, unknown> = {};
  for (const [channel, method] of Object.entries(channelMethods) as [Channel, string][]) {
    api[method] = (...args: unknown[]) => ipc.invoke(channel, ...args);
  }
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
