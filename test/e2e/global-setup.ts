import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

const root = fileURLToPath(new URL('../..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the built app is served, e.g. `http://127.0.0.1:41234/`. */
    appUrl: string;
  }
}

/** Builds the web app once (vite.config.ts, into dist/web) and serves it on a free local port. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configFile = `${root}vite.config.ts`;
  await build({ configFile, logLevel: 'error' });
  // Port 0: the system picks a free one, read back from the listening socket.
  const server: PreviewServer = await preview({ configFile, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const { port } = server.httpServer.address() as AddressInfo;
  project.provide('appUrl', `http://127.0.0.1:${port}/`);
  return async () => {
    await server.close();
  };
}
