import { z } from 'zod';
import { channelMethods, type Channel, type ChannelResults, type OpenedPipeline } from './channel-map.ts';

export { channelMethods, events, type Channel, type ChannelResults, type OpenedPipeline, type Settings } from './channel-map.ts';

/** The argument schema of each channel: main validates every call against it before handling. */
export const channelArgs = {
  'pipeline:open-dialog': z.tuple([]),
  'pipeline:open-recent': z.tuple([z.string().min(1)]),
  'pipeline:save': z.tuple([z.string().min(1), z.string()]),
  'pipeline:save-as-dialog': z.tuple([z.string(), z.string().min(1)]),
  'data:pick-file': z.tuple([z.array(z.string().regex(/^[A-Za-z0-9]+$/)).max(10), z.string()]),
  // The path comes from the preload (webUtils.getPathForFile on a File the user dropped), never from the page.
  'data:allow-dropped': z.tuple([z.string().min(1).max(4096), z.string()]),
  'export:save-dialog': z.tuple([z.string().max(50_000_000), z.string().min(1).max(255)]),
  'recent:list': z.tuple([]),
  'settings:get': z.tuple([]),
  'settings:set': z.tuple([
    z.strictObject({
      theme: z.enum(['light', 'dark', 'system']).optional(),
      engine: z.strictObject({ threads: z.number().int().min(1).max(256).nullable() }).optional(),
    }),
  ]),
  'app:document-state': z.tuple([z.strictObject({ dirty: z.boolean(), title: z.string().max(300) })]),
  'app:info': z.tuple([]),
} satisfies Record<Channel, z.ZodTuple>;

export type ChannelArgs<C extends Channel> = z.infer<(typeof channelArgs)[C]>;

/**
 * The API the preload puts on `window.kanvasDesktop`: one method per channel, plus event hooks.
 * `allowDroppedFile` takes the dropped `File` itself: the preload reads its path, so the page
 * can name only files the user really dropped.
 */
export type DesktopApi = {
  [C in Exclude<Channel, 'data:allow-dropped'> as (typeof channelMethods)[C]]: (...args: ChannelArgs<C>) => Promise<ChannelResults[C]>;
} & {
  allowDroppedFile(file: File, pipelineDir: string): Promise<string>;
  /** Both return a function that removes the listener. */
  onMenuCommand(listener: (command: string) => void): () => void;
  onOpenFile(listener: (file: OpenedPipeline) => void): () => void;
};
