import type { ProgressEvent } from '../exec/run-record.ts';
import type { EngineApi, WorkerApi } from './engine-api.ts';

/**
 * The engine's wire protocol, the same over a Web Worker and over an Electron MessagePort:
 * requests carry an id; the reply carries the result or an error as plain data; progress comes
 * as unsolicited messages with the request's id. Everything is structured-clone-safe data.
 */
export type Request = { id: number; method: keyof WorkerApi; args: unknown[] };
export type Reply =
  | { id: number; result: unknown }
  | { id: number; error: { name: string; message: string } }
  | { id: number; progress: ProgressEvent };

export interface Endpoint {
  post(message: unknown): void;
  listen(handler: (message: unknown) => void): void;
}

const withProgress = new Set<keyof WorkerApi>(['run', 'preview']);

/** Serves an engine service on an endpoint. */
export function serveEngine(api: WorkerApi, endpoint: Endpoint): void {
  endpoint.listen(async (message) => {
    const { id, method, args } = message as Request;
    const fn = api[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    if (typeof fn !== 'function') {
      endpoint.post({ id, error: { name: 'Error', message: `unknown method ${String(method)}` } } satisfies Reply);
      return;
    }
    try {
      const callArgs = withProgress.has(method) ? [...args, (progress: ProgressEvent) => endpoint.post({ id, progress } satisfies Reply)] : args;
      endpoint.post({ id, result: await fn(...callArgs) } satisfies Reply);
    } catch (err) {
      const e = err as Error;
      endpoint.post({ id, error: { name: e?.name ?? 'Error', message: e?.message ?? String(err) } } satisfies Reply);
    }
  });
}

/** The renderer's side of the protocol: `EngineApi` over an endpoint. */
export class RemoteEngine implements EngineApi {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (e: ProgressEvent) => void }>();

  constructor(
    private readonly endpoint: Endpoint,
    private readonly assets: Record<string, string> = {},
  ) {
    endpoint.listen((message) => {
      const reply = message as Reply;
      const call = this.pending.get(reply.id);
      if (!call) return;
      if ('progress' in reply) call.progress?.(reply.progress);
      else {
        this.pending.delete(reply.id);
        if ('error' in reply) call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
        else call.resolve(reply.result);
      }
    });
  }

  /** Rejects every call in flight (the other end is gone). */
  failAll(error: Error): void {
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  private call<T>(method: keyof WorkerApi, args: unknown[], progress?: (e: ProgressEvent) => void): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(progress ? { progress } : {}) });
      this.endpoint.post({ id, method, args } satisfies Request);
    });
  }

  init() {
    return this.call<Awaited<ReturnType<EngineApi['init']>>>('init', [this.assets]);
  }
  putFile(path: string, bytes: Uint8Array) {
    return this.call<void>('putFile', [path, bytes]);
  }
  readFile(path: string) {
    return this.call<Uint8Array>('readFile', [path]);
  }
  run(...[request, onProgress]: Parameters<EngineApi['run']>) {
    return this.call<Awaited<ReturnType<EngineApi['run']>>>('run', [request], onProgress);
  }
  check(request: Parameters<EngineApi['check']>[0]) {
    return this.call<Awaited<ReturnType<EngineApi['check']>>>('check', [request]);
  }
  preview(...[request, onProgress]: Parameters<EngineApi['preview']>) {
    return this.call<Awaited<ReturnType<EngineApi['preview']>>>('preview', [request], onProgress);
  }
  exportSchema(request: Parameters<EngineApi['exportSchema']>[0]) {
    return this.call<Awaited<ReturnType<EngineApi['exportSchema']>>>('exportSchema', [request]);
  }
  cancel() {
    return this.call<void>('cancel', []);
  }
}
