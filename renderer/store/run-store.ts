import { createStore } from 'zustand/vanilla';
import type { NodeRecord, PipelineDocument, Problem, ProgressEvent, RunRecord } from '../../engine/index.ts';
import { signaturesOf } from './signatures.ts';

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
  /** Signatures of the document being run: a node's result belongs to them as it arrives. */
  runSignatures: Record<string, string>;
  log: LogLine[];
  start(doc: PipelineDocument, nodes: string[]): void;
  progress(e: ProgressEvent): void;
  finish(doc: PipelineDocument, record: RunRecord | null, error?: string): void;
  /** A run refused before it started (the document does not validate). */
  refuse(doc: PipelineDocument, problems: Problem[], text: (p: Problem) => string): void;
  logLine(line: Omit<LogLine, 'at'>): void;
  reset(): void;
}

/** Run state per node, apart from the document so runs never enter the undo history. */
export function createRunStore() {
  return createStore<RunState>()((set, get) => ({
    nodes: {},
    running: false,
    runSignatures: {},
    log: [],
    start(doc, ids) {
      const nodes = { ...get().nodes };
      for (const id of ids) nodes[id] = { ...nodes[id], status: 'queued', progress: undefined, stepText: undefined };
      set({ nodes, running: true, runSignatures: signaturesOf(doc) });
    },
    progress(e) {
      const nodes = { ...get().nodes };
      const prev = nodes[e.node] ?? { status: 'queued' as const };
      if (e.phase === 'start') nodes[e.node] = { ...prev, status: 'running', progress: undefined };
      else if (e.phase === 'step' && e.step) {
        nodes[e.node] = { ...prev, status: 'running', progress: e.step.total ? e.step.done / e.step.total : undefined, ...(e.step.message ? { stepText: e.step.message } : {}) };
      } else if (e.record) nodes[e.node] = { ...prev, ...result(e.record, get().runSignatures[e.node]), progress: undefined };
      set({ nodes });
      if (e.record?.status === 'error' && e.record.error) get().logLine({ node: e.node, level: 'error', text: e.record.error.message });
    },
    finish(doc, record, error) {
      const signatures = signaturesOf(doc);
      const nodes = { ...get().nodes };
      for (const [id, n] of Object.entries(nodes)) {
        const rec = record?.nodes[id];
        if (rec) nodes[id] = result(rec, signatures[id]);
        else if (n.status === 'queued' || n.status === 'running') nodes[id] = { ...n, status: 'cancelled', progress: undefined };
      }
      set({ nodes, running: false });
      if (record) {
        const counts = Object.values(record.nodes).reduce<Record<string, number>>((a, n) => ({ ...a, [n.status]: (a[n.status] ?? 0) + 1 }), {});
        get().logLine({ level: record.status === 'error' ? 'error' : 'info', text: `run ${record.status} in ${record.durationMs} ms — ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')}` });
      }
      if (error) get().logLine({ level: 'error', text: error });
    },
    refuse(doc, problems, text) {
      // Problems of a node show on that node, as an error while running would: the log alone is
      // out of sight when the preview tab is open.
      const nodes = { ...get().nodes };
      const signatures = signaturesOf(doc);
      const shown = new Set<string>(); // a node's first problem
      for (const p of problems) {
        const kind = doc.nodes.find((n) => n.id === p.node)?.kind;
        if (!p.node || !kind || shown.has(p.node)) continue;
        shown.add(p.node);
        nodes[p.node] = result({ kind, status: 'error', durationMs: 0, cache: { hit: false, reason: 'not run' }, error: p }, signatures[p.node]);
      }
      set({ nodes });
      for (const p of problems) get().logLine({ level: 'error', ...(p.node ? { node: p.node } : {}), text: text(p) });
      get().logLine({ level: 'error', text: `run not started — ${problems.length} problem${problems.length === 1 ? '' : 's'} in the pipeline` });
    },
    logLine(line) {
      set({ log: [...get().log.slice(-499), { ...line, at: Date.now() }] });
    },
    reset() {
      set({ nodes: {}, running: false, runSignatures: {}, log: [] });
    },
  }));
}

/**
 * A node's state from its record. Results and errors keep the signature they were made for:
 * once the node or its inputs change they are stale, and an error no longer shows for an
 * expression the user has since fixed.
 */
function result(record: NodeRecord, signature: string | undefined): NodeRunState {
  const settled = record.status === 'done' || record.status === 'cached' || record.status === 'error';
  return { status: record.status, record, ...(settled && signature ? { signature } : {}) };
}

export type RunStore = ReturnType<typeof createRunStore>;
