import { useMemo } from 'react';
import { z } from 'zod';
import { catalog, type ColumnInfo } from '../../engine/index.ts';
import { useEditor, useRuns } from '../app/context.ts';
import { SchemaForm, type FormContext } from '../form/SchemaForm.tsx';
import { pathKey, type FieldSchema } from '../form/json-schema.ts';
import { edgePorts } from '../../engine/index.ts';
import { signaturesOf } from '../store/signatures.ts';
import { nodeById } from '../store/editor-store.ts';

export interface InspectorProps {
  /** Output columns per node and port, from binding the pipeline. */
  schemas: Record<string, Record<string, ColumnInfo[]>>;
  pickFile?: FormContext['pickFile'];
  onRunTo: (node: string) => void;
  onPreview: (node: string) => void;
}

/** The selected node's params as a form generated from its kind's schema, validated as you type. */
export function Inspector({ schemas, pickFile, onRunTo, onPreview }: InspectorProps) {
  const selection = useEditor((s) => s.selection);
  const doc = useEditor((s) => s.doc);
  const apply = useEditor((s) => s.apply);
  const id = selection.length === 1 ? selection[0]! : null;
  const node = id ? nodeById(doc, id) : undefined;
  const run = useRuns((s) => (id ? s.nodes[id] : undefined));
  const def = node ? catalog.get(node.kind) : undefined;
  const schema = useMemo(() => (def ? (z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as FieldSchema) : null), [def]);

  if (selection.length > 1) return <aside className="inspector">{selection.length} nodes selected</aside>;
  if (!node || !def || !schema) {
    return (
      <aside className="inspector" aria-label="Inspector">
        <h3>Pipeline</h3>
        <p>
          {doc.nodes.length} nodes, {doc.edges.length} edges.
        </p>
        <p className="muted">Select a node to edit its params. Drag kinds from the palette, double-click the canvas to search, or drop a CSV/Parquet/JSON file here.</p>
      </aside>
    );
  }

  const result = def.params.safeParse(node.params);
  const issues: Record<string, string[]> = {};
  if (!result.success) {
    for (const i of result.error.issues) {
      const key = pathKey(i.path.filter((p): p is string | number => typeof p !== 'symbol'));
      const message = i.code === 'unrecognized_keys' ? `unknown param ${i.keys.join(', ')}` : i.message.replace(/^Invalid input: /, '');
      (issues[key] ??= []).push(message);
    }
  }
  // An error made for other params than the current ones is gone until the next run.
  const error = run?.status === 'error' && run.signature === signaturesOf(doc)[node.id] ? run.record?.error : undefined;
  if (error?.param) (issues[error.param] ??= []).push(error.message);

  const inputs: Record<string, ColumnInfo[]> = {};
  for (const e of doc.edges.filter((e) => e.to === node.id)) {
    const ports = edgePorts(doc, catalog, e);
    const columns = schemas[e.from]?.[ports.fromPort ?? ''];
    if (columns && ports.toPort) inputs[ports.toPort] = columns;
  }

  return (
    <aside className="inspector" aria-label="Inspector">
      <div className="field">
        <label htmlFor="node-title">{def.title}</label>
        <input
          id="node-title"
          type="text"
          placeholder={node.id}
          value={node.title ?? ''}
          onChange={(e) => apply([{ type: 'set-title', id: node.id, title: e.target.value || undefined }], { merge: `title:${node.id}` })}
        />
        <div className="help">
          id <code>{node.id}</code> · {def.kind} v{def.version}
        </div>
      </div>
      <p className="muted">{def.description}</p>
      <div style={{ display: 'flex', gap: 6 }}>
        <button type="button" onClick={() => onRunTo(node.id)}>
          Run to here
        </button>
        <button type="button" onClick={() => onPreview(node.id)}>
          Preview
        </button>
      </div>
      <h3>Params</h3>
      {/* One form per node: drafts, half-typed numbers and a code editor's undo history belong
          to the node they were typed for, not to the next node of the same kind. */}
      <SchemaForm
        key={node.id}
        schema={schema}
        value={node.params}
        ctx={{ inputs, issues, ...(pickFile ? { pickFile } : {}) }}
        onChange={(params) => apply([{ type: 'set-params', id: node.id, params }], { merge: `params:${node.id}` })}
      />
      {error && !error.param && (
        <p className="problems" role="alert">
          {error.message}
        </p>
      )}
      {def.docs && (
        <details>
          <summary>About {def.title}</summary>
          <p style={{ whiteSpace: 'pre-wrap' }}>{def.docs}</p>
        </details>
      )}
    </aside>
  );
}
