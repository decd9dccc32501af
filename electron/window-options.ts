/**
 * The Content Security Policy of the renderer. duckdb-wasm, parquet-wasm and TensorFlow.js
 * compile WebAssembly ('wasm-unsafe-eval', not 'unsafe-eval'); CodeMirror and Observable Plot
 * inject <style> elements ('unsafe-inline' for styles only). No remote origin anywhere: the app
 * loads nothing from the network.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/** BrowserWindow options: Electron's security checklist, with the preload as the only bridge. */
export function windowOptions(preload: string, bounds: WindowBounds) {
  return {
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Kanvas',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  } as const;
}

/** The app's own origin: the renderer is served from this custom scheme, never from file:// or http. */
export const APP_ORIGIN = 'app://kanvas';

/** Whether an IPC message or navigation comes from the app's own page. */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}
