import { channelMethods, events, type Channel, type OpenedPipeline } from './channel-map.ts';
import type { DesktopApi } from './channels.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
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
  api.onMenuCommand = (listener: (command: string) => void) => ipc.on(events.menuCommand, (_e, command) => listener(String(command)));
  api.onOpenFile = (listener: (file: OpenedPipeline) => void) => ipc.on(events.openFile, (_e, file) => listener(file as OpenedPipeline));
  return api as DesktopApi;
}
