import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Engine, loadPipeline, type PipelineDocument, type ResolvedPipeline, type RunRecord } from '../../engine/index.ts';
import { nodeHostFiles } from '../../engine/node/host-files.ts';
import { openDatabase, type EngineKind } from '../../engine/node/open-database.ts';

/** Both DuckDB adapters: suites run once per adapter, so dialect drift shows up as a failure. */
export const engineKinds: EngineKind[] = ['native', 'wasm'];

export async function openEngine(kind: EngineKind): Promise<Engine> {
  return new Engine({ db: await openDatabase(kind), files: nodeHostFiles });
}

export function tempDir(prefix = 'kanvas-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes files (name → content) into a fresh temp folder and returns its path. */
export function fixtureDir(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

type NodeSpec = { id: string; kind: string; params?: Record<string, unknown> };
type EdgeSpec = string | { from: string; to: string; fromPort?: string; toPort?: string };

/** A pipeline document from short specs; edges as `"a->b"` or objects. */
export function pipeline(nodes: NodeSpec[], edges: EdgeSpec[] = [], name = 'test'): PipelineDocument {
  return {
    format: 'kanvas.pipeline',
    version: 1,
    name,
    nodes: nodes.map((n) => ({ id: n.id, kind: n.kind, params: n.params ?? {} })),
    edges: edges.map((e) => {
      if (typeof e !== 'string') return e;
      const [from, to] = e.split('->').map((s) => s.trim()) as [string, string];
      return { from, to };
    }),
    layout: {},
  };
}

/** Validates a document, failing the test with the problems if it is invalid. */
export function resolve(doc: PipelineDocument): ResolvedPipeline {
  const result = loadPipeline(JSON.stringify(doc));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.pipeline;
}

/** Runs a document; returns the record and a reader for any node's stored table output. */
export async function runDoc(engine: Engine, doc: PipelineDocument, baseDir: string, extra: Partial<Parameters<Engine['run']>[1]> = {}) {
  const p = resolve(doc);
  const record: RunRecord = await engine.run(p, { baseDir, materialize: 'all', ...extra });
  const rows = async (node: string, port = 'out') => {
    const value = engine.output(p, node, port);
    if (!value || value.type !== 'table') throw new Error(`no table output ${node}.${port}: ${JSON.stringify(record.nodes[node])}`);
    const { readRows } = await import('../../engine/index.ts');
    return readRows(engine.db, `SELECT * FROM ${value.relation}`);
  };
  return { record, rows, pipeline: p };
}
