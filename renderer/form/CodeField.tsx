import { autocompletion } from '@codemirror/autocomplete';
import { sql, PostgreSQL } from '@codemirror/lang-sql';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

/** SQL in CodeMirror, completing the input's column names. */
export function CodeField({ value, onChange, columns, label }: { value: string; onChange: (v: string) => void; columns: string[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      doc: value,
      extensions: [
        basicSetup,
        sql({ dialect: PostgreSQL, schema: { input: columns }, defaultTable: 'input', upperCaseKeywords: true }),
        autocompletion(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) change.current(u.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor is rebuilt when the columns change (completions); value syncs below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [columns.join('\u0000')]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div className="code" ref={host} />;
}
