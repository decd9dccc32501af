import path from 'node:path';
import { relativeInside } from './inside.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv',
  '.parquet': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Maps an `app://kanvas/…` URL to a file of the built renderer, or null when the path leaves
 * that folder (`app://kanvas/../../etc/passwd`).
 */
export function appFile(url: string, root: string): { file: string; type: string } | null {
  const u = new URL(url);
  const rel = decodeURIComponent(u.pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, rel);
  if (relativeInside(root, file) === null) return null;
  return { file, type: types[path.extname(file)] ?? 'application/octet-stream' };
}
