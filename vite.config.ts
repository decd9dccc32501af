import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: `${root}renderer`,
  base: './',
  plugins: [react()],
  define: { __KANVAS_VERSION__: JSON.stringify(JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version) },
  resolve: {
    alias: {
      // The blocking browser build runs the engine on the worker's own thread; it is not in the
      // package's `exports`, so it is reached by path.
      'duckdb-browser-blocking': `${root}node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs`,
    },
  },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  server: { host: '127.0.0.1', fs: { allow: [root] } },
  preview: { host: '127.0.0.1' },
  build: { outDir: `${root}dist/web`, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
});
