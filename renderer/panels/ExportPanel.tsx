import { python } from '@codemirror/lang-python';
import { PostgreSQL, sql } from '@codemirror/lang-sql';
import { EditorState } from '@codemirror/state';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExportSchema, ExportTarget, PipelineDocument } from '../../engine/index.ts';
import type { RunResults } from '../../engine/service/engine-api.ts';
import { exportForPanel, panelFiles, shownFile, skippedLines, targetChoices, today, type PanelFile } from './export-panel-model.ts';

export interface ExportPanelProps {
  /** The document being edited (exported as it is now). */
  doc: PipelineDocument;
  /** Output columns of each node, from the engine's last check or run (`exportSchema`); without it, nodes that need columns are left out with that reason. */
  schema: ExportSchema | undefined;
  /** Models and reports of the last run still current for `doc`: tuners export their best params from them. */
  results?: RunResults;
  /** Kanvas version for the header. */
  version: string;
  /** Header date (YYYY-MM-DD); today by default. */
  date?: string;
  /** Target shown first. */
  initialTarget?: ExportTarget;
  onCopy(text: string): void;
  onSave(name: string, text: string): void;
  onClose?(): void;
}

/** Export as code: pick a target, read the generated file(s), see what was left out, copy or save. */
export function ExportPanel({ doc, schema, results, version, date, initialTarget = 'pandas', onCopy, onSave, onClose }: ExportPanelProps) {
  const [target, setTarget] = useState<ExportTarget>(initialTarget);
  const [picked, setPicked] = useState<string | null>(null);
  const exported = useMemo(() => exportForPanel(doc, target, { schema, results, version, date: date ?? today() }), [doc, target, schema, results, version, date]);
  const file = exported.ok ? shownFile(exported.result, picked) : null;

  return (
    <section className="export-panel" aria-label="Export as code">
      <header className="export-panel-header">
        <div role="radiogroup" aria-label="Target" className="export-targets">
          {targetChoices.map((t) => (
            <label key={t.value} title={t.description}>
              <input type="radio" name="export-target" value={t.value} checked={t.value === target} onChange={() => { setTarget(t.value); setPicked(null); }} />
              {t.label}
            </label>
          ))}
        </div>
        <div className="export-actions">
          <button type="button" disabled={!file} onClick={() => file && onCopy(file.text)}>Copy</button>
          <button type="button" disabled={!file} onClick={() => file && onSave(file.name, file.text)}>Save…</button>
          {onClose && <button type="button" aria-label="Close" onClick={onClose}>×</button>}
        </div>
      </header>
      {!exported.ok ? (
        <p role="alert" className="export-error">{exported.message}</p>
      ) : (
        <>
          {panelFiles(exported.result).length > 1 && (
            <nav className="export-files" aria-label="Files">
              {panelFiles(exported.result).map((f) => (
                <button key={f.name} type="button" aria-pressed={f.name === file!.name} onClick={() => setPicked(f.name)}>{f.name}</button>
              ))}
            </nav>
          )}
          <CodePreview file={file!} />
          {exported.result.skipped.length > 0 && (
            <div className="export-skipped">
              <h4>Not exported</h4>
              <ul>
                {skippedLines(exported.result).map((line, i) => (
                  <li key={exported.result.skipped[i]!.node}>{line}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** A read-only CodeMirror view of one file, highlighted as Python or SQL. */
function CodePreview({ file }: { file: PanelFile }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const language = file.language === 'python' ? [python()] : file.language === 'sql' ? [sql({ dialect: PostgreSQL })] : [];
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: file.text,
        extensions: [basicSetup, ...language, EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.contentAttributes.of({ 'aria-label': file.name })],
      }),
    });
    return () => view.destroy();
  }, [file.text, file.language, file.name]);
  return <div className="code export-code" ref={host} />;
}
