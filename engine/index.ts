/**
 * The engine's public API. Pure TypeScript over a `Database` and `HostFiles` the host supplies:
 * it runs in Node (CLI, tests, the desktop app's utility process) and in a Web Worker.
 */
import { catalog } from './catalog/catalog.ts';
import { formatPath, parsePipeline } from './document/parse.ts';
import { pipelineDocument } from './document/schema.ts';
import type { Problem } from './errors.ts';
import { validatePipeline, type ResolvedPipeline } from './validate/validate.ts';

export { catalog } from './catalog/catalog.ts';
export { sourceKindByExtension } from './catalog/data-files.ts';
export { defineNode, isRunNode } from './catalog/define-node.ts';
export type { NodeDefinition, PortValue, TableValue, ReportValue, PlotSpec } from './catalog/define-node.ts';
export { portsCompatible, type PortType, type PortSpec } from './catalog/ports.ts';
export { parsePipeline, type SourceMap } from './document/parse.ts';
export { formatPipeline } from './document/format.ts';
export { CURRENT_VERSION, pipelineDocument, type PipelineDocument, type PipelineNode, type PipelineEdge } from './document/schema.ts';
export { validatePipeline, type ResolvedPipeline, type ResolvedNode, type ResolvedEdge } from './validate/validate.ts';
export { connectionProblem, edgePorts } from './validate/connection.ts';
export { topoSort, findCycle, upstreamOf } from './graph/graph.ts';
export { Engine, type EngineOptions, type RunOptions } from './exec/engine.ts';
export type { RunRecord, NodeRecord, ProgressEvent } from './exec/run-record.ts';
export { PipelineError, formatProblem, type Problem } from './errors.ts';
export type { Database, HostFiles, ColumnInfo, Primitive } from './db/database.ts';
export { readRows, describe } from './db/read-rows.ts';
export { catalogJson } from './catalog/catalog-json.ts';
export { previewNode, type Preview, type ColumnSummary } from './exec/preview.ts';
export { exportCode, documentHash, slug } from './export/export.ts';
export { exportSchema, type SchemaResult } from './export/schema.ts';
export { exportTargets, type ExportTarget, type ExportOptions, type ExportResult, type ExportSchema, type SkippedNode, type Codegen } from './export/types.ts';

export type LoadResult = { ok: true; pipeline: ResolvedPipeline; migratedFrom?: number } | { ok: false; problems: Problem[] };

/** Parses and validates a pipeline file's text against the catalog. */
export function loadPipeline(text: string, file?: string): LoadResult {
  const parsed = parsePipeline(text, file);
  if (!parsed.ok) return parsed;
  const valid = validatePipeline(parsed.doc, catalog, parsed.map);
  if (!valid.ok) return valid;
  return { ok: true, pipeline: valid.pipeline, ...(parsed.migratedFrom ? { migratedFrom: parsed.migratedFrom } : {}) };
}

/** Validates a document held in memory (the editor's), without a file around it. */
export function loadDocument(doc: unknown): LoadResult {
  const parsed = pipelineDocument.safeParse(doc);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        code: 'schema' as const,
        message: `${formatPath(i.path.filter((p): p is string | number => typeof p !== 'symbol'))}: ${i.message}`,
      })),
    };
  }
  const valid = validatePipeline(parsed.data, catalog);
  return valid.ok ? { ok: true, pipeline: valid.pipeline } : valid;
}
