/**
 * The Export panel's logic, apart from React so it is unit-tested: which targets, what the
 * exporter gives for the editor's document, which file is shown, what Copy and Save take.
 */
import { exportCode, exportTargets, PipelineError, formatProblem, type ExportResult, type ExportSchema, type ExportTarget, type PipelineDocument } from '../../engine/index.ts';
import type { RunResults } from '../../engine/service/engine-api.ts';

export const targetChoices: { value: ExportTarget; label: string; description: string }[] = [
  { value: 'pandas', label: 'pandas', description: 'A Python module: one function per pipeline, a command-line runner, requirements.txt.' },
  { value: 'pyspark', label: 'PySpark', description: 'DataFrame API with a SparkSession, the same file formats.' },
  { value: 'beam', label: 'Apache Beam', description: 'A batch pipeline for the DirectRunner, Dataflow or Flink.' },
  { value: 'sql', label: 'DuckDB SQL', description: 'A script: one CTE chain per sink, written with COPY … TO.' },
];

export type PanelExport = { ok: true; result: ExportResult } | { ok: false; message: string };

/** Exports the editor's document; an invalid document gives its problems as one message. */
export function exportForPanel(doc: PipelineDocument, target: ExportTarget, o: { schema: ExportSchema | undefined; results?: RunResults; version: string; date: string }): PanelExport {
  if (!(exportTargets as readonly string[]).includes(target)) return { ok: false, message: `unknown target "${target}"` };
  const results = o.results ?? {};
  try {
    return { ok: true, result: exportCode(doc, target, { date: o.date, version: o.version, ...(o.schema ? { schema: o.schema } : {}), results: (node, port) => results[node]?.[port] }) };
  } catch (err) {
    if (err instanceof PipelineError) return { ok: false, message: err.problems.map(formatProblem).join('\n') };
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

export interface PanelFile {
  name: string;
  text: string;
  language: 'python' | 'sql' | 'text';
}

/** The files of an export, the main one first, with the language to highlight them in. */
export function panelFiles(result: ExportResult): PanelFile[] {
  const names = [result.main, ...Object.keys(result.files).filter((n) => n !== result.main).sort()];
  return names.map((name) => ({ name, text: result.files[name]!, language: name.endsWith('.py') ? 'python' : name.endsWith('.sql') ? 'sql' : 'text' }));
}

/** The file shown: the one picked if the export still has it, else the main file. */
export function shownFile(result: ExportResult, picked: string | null): PanelFile {
  const files = panelFiles(result);
  return files.find((f) => f.name === picked) ?? files[0]!;
}

/** One line per node left out, for the list under the preview. */
export function skippedLines(result: ExportResult): string[] {
  return result.skipped.map((s) => `${s.title} (${s.node}, ${s.kind}): ${s.reason}`);
}

/** Today's date as the header's date (YYYY-MM-DD, UTC). */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
