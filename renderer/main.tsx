import '@xyflow/react/dist/style.css';
import './styles.css';
import { ReactFlowProvider } from '@xyflow/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { SessionContext, type Session } from './app/context.ts';
import { WorkerEngine } from './engine/worker-client.ts';
import { DesktopEngine } from './engine/desktop-engine.ts';
import { browserHost, desktopHost } from './app/host.ts';
import { KeptFiles } from './app/kept-files.ts';
import type { DesktopApi } from '../electron/channels.ts';
import { createEditorStore } from './store/editor-store.ts';
import { createRunStore } from './store/run-store.ts';

// In the desktop app the preload provides `kanvasDesktop`: the native engine and native files.
const desktop = (window as unknown as { kanvasDesktop?: DesktopApi }).kanvasDesktop;
// The browser keeps the data files it is given, so reopened and recovered pipelines find them.
const kept = new KeptFiles();
const engine = desktop ? new DesktopEngine() : new WorkerEngine(undefined, (path, bytes) => void kept.keep(path, bytes));
const session: Session = {
  editor: createEditorStore(),
  runs: createRunStore(),
  engine,
  host: desktop ? desktopHost(desktop) : browserHost(engine, kept),
};

// Tests and the Electron shell reach the session through this handle.
(window as unknown as { kanvas: Session }).kanvas = session;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionContext.Provider value={session}>
      <ReactFlowProvider>
        <App />
      </ReactFlowProvider>
    </SessionContext.Provider>
  </StrictMode>,
);
