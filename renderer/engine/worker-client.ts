import * as Comlink from 'comlink';
import type { ProgressEvent } from '../../engine/index.ts';
import { assetUrls } from './assets.ts';
import type { EngineApi, WorkerApi } from './engine-api.ts';

/**
 * The browser build's engine: a Web Worker running the engine on duckdb-wasm. Calls are queued
 * (one engine, one operation at a time). duckdb-wasm cannot stop a statement from outside, so
 * if a cancel has not taken effect within a second the worker is replaced by a fresh one (its
 * cached results are lost; the user's files are handed over again).
 */
export class WorkerEngine implements EngineApi {
  private worker!: Worker;
  private remote!: Comlink.Remote<WorkerApi>;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly userFiles = new Map<string, Uint8Array>();
  private current: { reject: (e: Error) => void } | undefined;
  private starting: Promise<{ engine: 'native' | 'wasm'; duckdb: string }> | undefined;

  constructor(private readonly makeWorker: () => Worker = () => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' })) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = this.makeWorker();
    this.remote = Comlink.wrap<WorkerApi>(this.worker);
    this.starting = undefined;
  }

  init(): Promise<{ engine: 'native' | 'wasm'; duckdb: string }> {
    this.starting ??= (async () => {
      const info = await this.remote.init(assetUrls);
      for (const [path, bytes] of this.userFiles) await this.remote.putFile(path, bytes);
      return info;
    })();
    return this.starting;
  }

  putFile(path: string, bytes: Uint8Array): Promise<void> {
    this.userFiles.set(path, bytes);
    return this.enqueue(() => this.remote.putFile(path, bytes));
  }

  readFile(path: string): Promise<Uint8Array> {
    return this.enqueue(() => this.remote.readFile(path));
  }

  run(...[request, onProgress]: Parameters<EngineApi['run']>): ReturnType<EngineApi['run']> {
    return this.enqueue<Awaited<ReturnType<EngineApi['run']>>>(() => this.remote.run(request, Comlink.proxy((e: ProgressEvent) => onProgress(e))), true);
  }

  check(request: Parameters<EngineApi['check']>[0]): ReturnType<EngineApi['check']> {
    return this.enqueue<Awaited<ReturnType<EngineApi['check']>>>(() => this.remote.check(request), true);
  }

  preview(...[request, onProgress]: Parameters<EngineApi['preview']>): ReturnType<EngineApi['preview']> {
    return this.enqueue<Awaited<ReturnType<EngineApi['preview']>>>(() => this.remote.preview(request, Comlink.proxy((e: ProgressEvent) => onProgress(e))), true);
  }

  async cancel(): Promise<void> {
    const running = this.current;
    if (!running) return;
    void this.remote.cancel();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (this.current === running) {
      this.worker.terminate();
      running.reject(Object.assign(new Error('run cancelled'), { name: 'AbortError' }));
      this.current = undefined;
      this.spawn();
      this.queue = Promise.resolve();
    }
  }

  private enqueue<T>(op: () => Promise<T>, cancellable = false): Promise<T> {
    const next = this.queue.then(async () => {
      await this.init();
      if (!cancellable) return op();
      return new Promise<T>((resolve, reject) => {
        const token = { reject };
        this.current = token;
        op().then(resolve, reject).finally(() => {
          if (this.current === token) this.current = undefined;
        });
      });
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
