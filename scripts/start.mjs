// `npm start`: builds the renderer and the desktop shell, then launches Electron. Where
// Electron's binary is missing and cannot be downloaded (electron 45 fetches it on first use),
// it says so in one line and serves the same UI in web mode on 127.0.0.1 instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build, preview } from 'vite';

const require = createRequire(import.meta.url);

await build({ logLevel: 'warn' });
await import('./build-electron.mjs');

const electron = electronBinary();
if (electron) {
  const child = spawn(electron, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const server = await preview({ preview: { host: '127.0.0.1', port: 5173 } });
  const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
  console.log(`kanvas: web mode at ${url} (Ctrl-C to stop)`);
}

function electronBinary() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const installed = () => {
    const pathFile = path.join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  };
  if (installed()) return installed();
  const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], { encoding: 'utf8', timeout: 300_000 });
  if (installed()) return installed();
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
  const reason = output.split('\n').map((l) => l.trim()).find((l) => /^(Error|RequestError|HTTPError)|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|fetch failed/i.test(l)) ?? `installer exit code ${result.status}`;
  console.log(`kanvas: Electron's binary is missing and could not be downloaded (${reason.slice(0, 160)}); serving the same UI in web mode instead.`);
  return null;
}
