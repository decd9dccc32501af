/**
 * TensorFlow.js in the engine's web worker: the WebAssembly backend with its .wasm files served by
 * the app (Vite emits them as assets; no CDN), WebGL when WebAssembly is unavailable, the pure-JS
 * cpu backend as the last resort. The threaded build is only used where the page is cross-origin
 * isolated (tfjs checks); otherwise the single-threaded SIMD build, which trains deterministically.
 */
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { setTensorFlowBackend, type TensorFlowBackend } from '../../engine/ml/tf.ts';

const browserTensorFlowBackend: TensorFlowBackend = {
  name: 'wasm',
  async setup(tf) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
    for (const name of ['wasm', 'webgl', 'cpu']) {
      try {
        if (await tf.setBackend(name)) return;
      } catch {
        // try the next backend
      }
    }
    throw new Error('TensorFlow.js: no backend could be initialized');
  },
};

export function useBrowserTensorFlow(): void {
  setTensorFlowBackend(browserTensorFlowBackend);
}
