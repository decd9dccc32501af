import type { EngineApi, EngineInfo } from '../../engine/service/engine-api.ts';
import { RemoteEngine } from '../../engine/service/rpc.ts';
import { WorkerEngine } from './worker-client.ts';

/**
 * The desktop app's engine: the Electron utility process running native DuckDB, reached over
 * the MessagePort the preload hands to the page. If no port arrives or the native engine fails
 * to start, the in-browser engine (duckdb-wasm in a worker) takes over and `init` says why.
 */
export class DesktopEngine implements EngineApi {
  private inner: Promise<{ engine: EngineApi; info: EngineInfo }> | undefined;

  constructor(private readonly waitMs = 5000) {}

  init(): Promise<EngineInfo> {
    this.inner ??= this.connect();
    return this.inner.then((i) => i.info);
  }

  private async connect(): Promise<{ engine: EngineApi; info: EngineInfo }> {
    let problem = 'the native engine did not connect';
    const port = await enginePort(this.waitMs);
    if (port) {
      const remote = new RemoteEngine({ post: (m) => port.postMessage(m), listen: (h) => port.addEventListener('message', (e) => h(e.data)) });
      port.start();
      try {
        return { engine: remote, info: await remote.init() };
      } catch (err) {
        problem = `the native engine failed to start: ${(err as Error).message}`;
      }
    }
    const fallback = new WorkerEngine();
    const info = await fallback.init();
    return { engine: fallback, info: { ...info, notice: `${problem}; using the in-browser engine (duckdb-wasm)` } };
  }

  private async engine(): Promise<EngineApi> {
    return (await (this.inner ??= this.connect())).engine;
  }

  async putFile(path: string, bytes: Uint8Array) {
    return (await this.engine()).putFile(path, bytes);
  }
  async readFile(path: string) {
    return (await this.engine()).readFile(path);
  }
  async run(...args: Parameters<EngineApi['run']>) {
    return (await this.engine()).run(...args);
  }
  async check(...args: Parameters<EngineApi['check']>) {
    return (await this.engine()).check(...args);
  }
  async preview(...args: Parameters<EngineApi['preview']>) {
    return (await this.engine()).preview(...args);
  }
  async exportSchema(...args: Parameters<EngineApi['exportSchema']>) {
    return (await this.engine()).exportSchema(...args);
  }
  async cancel() {
    return (await this.engine()).cancel();
  }
}

function enginePort(ms: number): Promise<MessagePort | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    window.addEventListener('message', function receive(e: MessageEvent) {
      if (e.source !== window || (e.data as { kanvas?: string })?.kanvas !== 'engine-port' || !e.ports[0]) return;
      window.removeEventListener('message', receive);
      clearTimeout(timer);
      resolve(e.ports[0]);
    });
  });
}
