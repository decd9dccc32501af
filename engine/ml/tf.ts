/**
 * TensorFlow.js for the neural-network kinds, loaded on first use (the library is large and most
 * pipelines never fit a network). Where its backend comes from depends on the host, so the host
 * injects it: Node registers the WebAssembly backend with the wasm files read from disk
 * (`engine/node/tf-wasm.ts`), the browser worker the same backend with the files the app serves
 * (`renderer/engine/tf-browser.ts`). Without a registered backend, tfjs's pure-JS `cpu` backend
 * is used (slower, same results up to float32 rounding). The engine core itself imports nothing
 * host-specific.
 */
import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;

/** How a host makes tfjs ready: registers a backend and selects it. */
export interface TensorFlowBackend {
  /** The backend's name, for reports (`wasm`, `webgl`, `cpu`). */
  name: string;
  setup(tf: Tf): Promise<void>;
}

let backend: TensorFlowBackend | undefined;
let loading: Promise<Tf> | undefined;

/** Registers the host's backend; call before the first fit (a later call applies to the next load only). */
export function setTensorFlowBackend(b: TensorFlowBackend): void {
  backend = b;
  loading = undefined;
}

/** tfjs with the host's backend selected (loaded and set up once). */
export function loadTensorFlow(): Promise<Tf> {
  loading ??= (async () => {
    const tf = (await import('@tensorflow/tfjs')) as Tf;
    // Production mode: no debug checks, and no console banners (the cpu backend advertises tfjs-node).
    tf.enableProdMode();
    if (backend) await backend.setup(tf);
    else if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js: no backend could be initialized');
    await tf.ready();
    return tf;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
