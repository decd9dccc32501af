import { createStore } from 'zustand/vanilla';
import type { NodeRecord, PipelineDocument, ProgressEvent, RunRecord } from '../../engine/index.ts';
import { nodeSignatures } from './signatures.ts';

export type NodeRunStatus = 'queued' | 'running' | NodeRecord['status'];

export interface NodeRunState {
  status: NodeRunStatus;
  /** 0–1 while running, when the step reports it. */
  progress?: number;
  stepText?: string;
  record?: NodeRecord;
  /** The node's signature when it last ran: differs from the current one when it is stale. */
  signature?: string;
}

export interface LogLine {
  at: number;
  node?: string;
  level: 'info' | 'error';
  text: string;
}

export interface RunState {
  nodes: Record<string, NodeRunState>;
  running: boolean;
  log: LogLine[];
  start(doc: PipelineDocument, nodes: string[]): void;
  progress(e: ProgressEvent): void;
  finish(doc: PipelineDocument, record: RunRecord | null, error?: string): void;
  logLine(line: Omit<LogLine, 'at'>): void;
  reset(): void;
}

/** Run state per node, apart from the document so runs never enter the undo history. */
export function createRunStore() {
  return createStore<RunState>()((set, get) => ({
    nodes: {},
    running: false,
    log: [],
    start(_doc, ids) {
      const nodes = { ...get().nodes };
      for (const id of ids) nodes[id] = { ...nodes[id], status: 'queued', progress: undefined, stepText: undefined };
      set({ nodes, running: true });
    },
    progress(e) {
      const nodes = { ...get().nodes };
      const prev = nodes[e.node] ?? { status: 'queued' as const };
      if (e.phase === 'start') nodes[e.node] = { ...prev, status: 'running', progress: undefined };
      else if (e.phase === 'step' && e.step) {
        nodes[e.node] = { ...prev, status: 'running', progress: e.step.total ? e.step.done / e.step.total : undefined, ...(e.step.message ? { stepText: e.step.message } : {}) };
      } else if (e.record) nodes[e.node] = { ...prev, status: e.record.status, record: e.record, progress: undefined };
      set({ nodes });
      if (e.record?.status === 'error' && e.record.error) get().logLine({ node: e.node, level: 'error', text: e.record.error.message });
    },
    finish(doc, record, error) {
      const signatures = nodeSignatures(doc);
      const nodes = { ...get().nodes };
      for (const [id, n] of Object.entries(nodes)) {
        const rec = record?.nodes[id];
        if (rec) nodes[id] = { status: rec.status, record: rec, ...(rec.status === 'done' || rec.status === 'cached' ? { signature: signatures[id] } : {}) };
        else if (n.status === 'queued' || n.status === 'running') nodes[id] = { ...n, status: 'cancelled', progress: undefined };
      }
      set({ nodes, running: false });
      if (record) {
        const counts = Object.values(record.nodes).reduce<Record<string, number>>((a, n) => ({ ...a, [n.status]: (a[n.status] ?? 0) + 1 }), {});
        get().logLine({ level: record.status === 'error' ? 'error' : 'info', text: `run ${record.status} in ${record.durationMs} ms — ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')}` });
      }
      if (error) get().logLine({ level: 'error', text: error });
    },
    logLine(line) {
      set({ log: [...get().log.slice(-499), { ...line, at: Date.now() }] });
    },
    reset() {
      set({ nodes: {}, running: false, log: [] });
    },
  }));
}

export type RunStore = ReturnType<typeof createRunStore>;
