import { autocompletion } from '@codemirror/autocomplete';
import { PostgreSQL, schemaCompletionSource, sql } from '@codemirror/lang-sql';
import { EditorView, basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

/** SQL in CodeMirror, completing the input's column names. */
export function CodeField({ value, onChange, columns, label }: { value: string; onChange: (v: string) => void; columns: string[]; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const change = useRef(onChange);
  change.current = onChange;
  // Columns arrive when the pipeline has been bound, often while the user is typing: the
  // completion reads them when asked, so the editor is never rebuilt (a rebuild drops the
  // focus, and the next keys would go to the canvas: Ctrl+A, Delete…).
  const known = useRef(columns);
  known.current = columns;

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      doc: value,
      extensions: [
        basicSetup,
        sql({ dialect: PostgreSQL, upperCaseKeywords: true }),
        PostgreSQL.language.data.of({
          autocomplete: schemaColumns(() => known.current),
        }),
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
    // Built once; the value syncs below and the columns are read through the ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div className="code" ref={host} />;
}

/** Completes the columns of the node's input (the table `input` in the expression's scope). */
function schemaColumns(columns: () => string[]): ReturnType<typeof schemaCompletionSource> {
  return (context) => schemaCompletionSource({ dialect: PostgreSQL, schema: { input: columns() }, defaultTable: 'input' })(context);
}
