import { useEffect, useState } from 'react';
import type { ExportSchema } from '../../engine/index.ts';
import type { RunResults } from '../../engine/service/engine-api.ts';
import { ExportPanel } from '../panels/ExportPanel.tsx';
import { useEditor, useSession } from './context.ts';

declare const __KANVAS_VERSION__: string;

/** The export dialog: binds the pipeline for its columns, then shows the generated code. */
export function ExportView({ onClose, onStatus }: { onClose: () => void; onStatus: (text: string) => void }) {
  const session = useSession();
  const doc = useEditor((s) => s.doc);
  const baseDir = useEditor((s) => s.baseDir);
  // Column types come from binding the pipeline against its files; until then, say so.
  const [schema, setSchema] = useState<{ schema: ExportSchema; results: RunResults } | 'loading' | { error: string }>('loading');
  useEffect(() => {
    let live = true;
    session.engine.exportSchema({ doc, baseDir }).then(
      (r) => live && setSchema(r.ok ? { schema: r.schema, results: r.results } : { error: r.problems.map((p) => p.message).join('; ') }),
      (err: Error) => live && setSchema({ error: err.message }),
    );
    return () => {
      live = false;
    };
  }, [doc, baseDir, session]);
  return (
    <div className="overlay" role="dialog" aria-label="Export code" onClick={onClose}>
      <div className="dialog export" onClick={(e) => e.stopPropagation()}>
        {schema === 'loading' ? (
          <p className="muted">Checking the pipeline against its files…</p>
        ) : (
          <>
            {'error' in schema && <p className="problems">The pipeline could not be checked ({schema.error}); nodes that need column types are left out.</p>}
            <ExportPanel
              doc={doc}
              schema={'error' in schema ? undefined : schema.schema}
              results={'error' in schema ? {} : schema.results}
              version={__KANVAS_VERSION__}
              onCopy={(text) => void navigator.clipboard?.writeText(text).then(() => onStatus('copied the exported code'))}
              onSave={(name, text) =>
                void session.host.saveExport(name, text).then(
                  (saved) => saved && onStatus(`saved ${saved}`),
                  (err: Error) => onStatus(err.message),
                )
              }
              onClose={onClose}
            />
          </>
        )}
      </div>
    </div>
  );
}
