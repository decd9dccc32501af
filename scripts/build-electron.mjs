// Bundles the desktop shell with esbuild: main and the engine's utility process as ES modules,
// the preload as CommonJS (sandboxed preloads cannot be modules). Native DuckDB stays external.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  external: ['electron', '@duckdb/node-api', '@duckdb/node-bindings*'],
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { main: 'electron/main.ts', 'engine-process': 'electron/engine-process.ts' },
  outdir: 'dist/electron',
  format: 'esm',
  // Bundled CommonJS dependencies may call require(); give ES modules one.
  banner: { js: "import { createRequire as __kanvasRequire } from 'node:module'; const require = __kanvasRequire(import.meta.url);" },
});
await build({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outfile: 'dist/electron/preload.cjs', format: 'cjs' });
console.log('built dist/electron');
