import type { ColumnInfo } from '../db/database.ts';
import type { ModelValue, PortValue, ReportValue } from '../catalog/define-node.ts';
import type { Fingerprint } from './fingerprint.ts';

/** A cached node output as persisted: tables as Parquet files, reports and models as JSON. */
export interface StoredEntry {
  outputs: Record<string, { type: 'table'; file: string; columns: ColumnInfo[]; rows: number | null } | ReportValue | ModelValue>;
  /** Files a sink wrote, checked on disk before the entry counts. */
  files: { path: string; size: number; mtimeMs: number; rows: number }[];
}

/** Outputs a node left with `ctx.checkpoint` in a run that did not complete, for its next run over the same inputs. */
export interface Checkpoint {
  kind: string;
  version: number;
  /** Canonical JSON of the fingerprint's inputs (upstream keys) when it was saved. */
  inputs: string;
  outputs: Record<string, PortValue>;
}

/**
 * Where node outputs outlive the engine (the CLI keeps them under `.kanvas/cache/` beside the
 * pipeline), so a re-run in a new process does no work either. The engine's in-memory cache
 * comes first; the store is asked on a miss and told about every new output.
 */
export interface OutputStore {
  /** Fingerprints of each node's last run, to say why a node re-runs. */
  fingerprints(): Promise<Record<string, Fingerprint>>;
  get(key: string): Promise<StoredEntry | undefined>;
  /** Path for a table output's Parquet file; the engine writes it, then calls `put`. */
  tablePath(key: string, port: string): string;
  put(key: string, entry: StoredEntry): Promise<void>;
  /** Checkpoints of nodes whose last run did not complete (a cancelled study). */
  checkpoints(): Promise<Record<string, Checkpoint>>;
  /**
   * Ends a run: records fingerprints, which entries were used and the checkpoints now held
   * (those whose outputs are all reports and models), and evicts past the size budget.
   */
  commit(fingerprints: Record<string, Fingerprint>, used: string[], checkpoints: Record<string, Checkpoint>): Promise<void>;
}
