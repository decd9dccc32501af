import type { EngineApi } from '../../engine/service/engine-api.ts';
import { RemoteEngine } from '../../engine/service/rpc.ts';
import { assetUrls } from './assets.ts';

/**
 * The browser build's engine: a Web Worker running the engine on duckdb-wasm. duckdb-wasm cannot
 * stop a statement from outside, so if a cancel has not taken effect within a second the worker
 * is replaced by a fresh one (its cached results are lost; the user's files are handed over again).
 */
export class WorkerEngine implements EngineApi {
  private worker!: Worker;
  private remote!: RemoteEngine;
  private starting: ReturnType<EngineApi['init']> | undefined;
  private busy = 0;
  private readonly userFiles = new Map<string, Uint8Array>();

  constructor(
    private readonly makeWorker: () => Worker = () => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
    /** Told of every file the user gives the engine (the browser build keeps them). */
    private readonly onPutFile?: (path: string, bytes: Uint8Array) => void,
  ) {
    this.spawn();
  }

  private spawn(): void {
    const worker = this.makeWorker();
    this.worker = worker;
    this.remote = new RemoteEngine(
      { post: (m) => worker.postMessage(m), listen: (h) => worker.addEventListener('message', (e) => h(e.data)) },
      assetUrls,
    );
    this.starting = undefined;
  }

  init(): ReturnType<EngineApi['init']> {
    this.starting ??= this.remote.init().then(async (info) => {
      for (const [path, bytes] of this.userFiles) await this.remote.putFile(path, bytes);
      return info;
    });
    return this.starting;
  }

  async putFile(path: string, bytes: Uint8Array): Promise<void> {
    this.userFiles.set(path, bytes);
    this.onPutFile?.(path, bytes);
    await this.init();
    return this.remote.putFile(path, bytes);
  }

  async readFile(path: string): Promise<Uint8Array> {
    await this.init();
    return this.remote.readFile(path);
  }

  run(...args: Parameters<EngineApi['run']>): ReturnType<EngineApi['run']> {
    return this.track(() => this.remote.run(...args));
  }

  check(...args: Parameters<EngineApi['check']>): ReturnType<EngineApi['check']> {
    return this.track(() => this.remote.check(...args));
  }

  preview(...args: Parameters<EngineApi['preview']>): ReturnType<EngineApi['preview']> {
    return this.track(() => this.remote.preview(...args));
  }

  exportSchema(...args: Parameters<EngineApi['exportSchema']>): ReturnType<EngineApi['exportSchema']> {
    return this.track(() => this.remote.exportSchema(...args));
  }

  async cancel(): Promise<void> {
    if (this.busy === 0) return;
    const remote = this.remote;
    void remote.cancel().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (this.busy > 0 && this.remote === remote) {
      this.worker.terminate();
      remote.failAll(Object.assign(new Error('run cancelled'), { name: 'AbortError' }));
      this.spawn();
    }
  }

  private async track<T>(op: () => Promise<T>): Promise<T> {
    await this.init();
    this.busy++;
    try {
      return await op();
    } finally {
      this.busy--;
    }
  }
}
