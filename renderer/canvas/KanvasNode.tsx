import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { catalog } from '../../engine/index.ts';
import { useEditor, useRuns } from '../app/context.ts';
import { nodeById } from '../store/editor-store.ts';

export type KanvasNodeData = { stale: boolean };
export type KanvasFlowNode = Node<KanvasNodeData, 'kanvas'>;

/** A node on the canvas: title, kind, typed ports, and its run state. */
export const KanvasNode = memo(function KanvasNode({ id, data, selected }: NodeProps<KanvasFlowNode>) {
  const node = useEditor((s) => nodeById(s.doc, id));
  const run = useRuns((s) => s.nodes[id]);
  if (!node) return null;
  const def = catalog.get(node.kind);
  const inputs = Object.entries(def?.inputs ?? {});
  const outputs = Object.entries(def?.outputs ?? {});
  // A result or an error made for other params (or inputs) than the current ones is stale.
  const status = run && data.stale && (run.status === 'done' || run.status === 'cached' || run.status === 'error') ? 'stale' : (run?.status ?? 'stale');
  const rows = run?.record?.outputs ? Object.values(run.record.outputs).find((o) => o.rows !== undefined)?.rows : undefined;
  const written = run?.record?.files?.[0]?.rows;
  const fused = run?.record?.fusedInto;
  const error = run?.record?.error;
  return (
    <div className={`knode${selected ? ' selected' : ''}${status === 'error' ? ' error' : ''}`} data-node-id={id} data-status={status}>
      <div className="head">
        <div className="title">{node.title ?? id}</div>
        <div className="kind">{def?.title ?? node.kind}</div>
      </div>
      <div className="ports">
        <div>
          {inputs.map(([name, p], i) => (
            <div className="port" key={name}>
              <Handle type="target" position={Position.Left} id={name} className={`handle-${p.type}`} data-port={name} />
              {inputs.length > 1 || i > 0 ? `${name}${p.optional ? '?' : ''}` : ''}
            </div>
          ))}
        </div>
        <div style={{ textAlign: 'right' }}>
          {outputs.map(([name, p]) => (
            <div className="port" key={name}>
              {outputs.length > 1 ? name : ''}
              <Handle type="source" position={Position.Right} id={name} className={`handle-${p.type}`} data-port={name} />
            </div>
          ))}
        </div>
      </div>
      <div className="state" title={fused ? `ran inside the query of "${fused}"` : undefined}>
        <span className={`badge ${status}`}>{status}</span>
        {status === 'running' && (
          <div className="bar" role="progressbar" aria-valuenow={Math.round((run?.progress ?? 0) * 100)}>
            <div style={{ width: `${Math.round((run?.progress ?? 0.05) * 100)}%` }} />
          </div>
        )}
        {(status === 'done' || status === 'cached') && rows !== undefined && <span className="rows">{count(rows, 'row')}</span>}
        {(status === 'done' || status === 'cached') && written !== undefined && <span className="rows">wrote {count(written, 'row')}</span>}
        {(status === 'done' || status === 'cached') && fused && rows === undefined && <span className="muted">in {fused}</span>}
      </div>
      {status === 'error' && error && <div className="message">{error.param ? `${error.param}: ` : ''}{error.message}</div>}
    </div>
  );
});

/** `1 row`, `2,500 rows`. */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
