import { createRequire } from 'node:module';
import path from 'node:path';
import { setTensorFlowBackend, type TensorFlowBackend } from '../ml/tf.ts';

/**
 * TensorFlow.js's WebAssembly backend in Node, its .wasm files read from the installed
 * `@tensorflow/tfjs-backend-wasm` package (`@tensorflow/tfjs-node` does not build here, and the
 * wasm backend is the same code the browser worker runs).
 */
const nodeWasmBackend: TensorFlowBackend = {
  name: 'wasm',
  async setup(tf) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${path.join(dir, 'dist')}${path.sep}`);
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend could not be initialized');
  },
};

/** Makes the neural-network kinds train on the wasm backend in this Node process. */
export function useNodeTensorFlow(): void {
  setTensorFlowBackend(nodeWasmBackend);
}
