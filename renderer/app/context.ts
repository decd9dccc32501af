import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { EngineApi } from '../../engine/service/engine-api.ts';
import type { EditorState, EditorStore } from '../store/editor-store.ts';
import type { Host } from './host-api.ts';
import type { RunState, RunStore } from '../store/run-store.ts';

export interface Session {
  editor: EditorStore;
  runs: RunStore;
  engine: EngineApi;
  host: Host;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

/** A narrow slice of the document store; components re-render only when it changes. */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useSession().editor, selector);
}

export function useRuns<T>(selector: (s: RunState) => T): T {
  return useStore(useSession().runs, selector);
}
