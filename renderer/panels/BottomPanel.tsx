import { useState } from 'react';
import type { Preview } from '../../engine/index.ts';
import { useRuns } from '../app/context.ts';
import { DataGrid } from './DataGrid.tsx';
import { ReportView } from './ReportView.tsx';
import { ModelView } from './ModelView.tsx';

export interface PreviewState {
  node: string;
  port: string;
  ports: string[];
  result: Preview | string | 'loading';
}

/** Data preview of the selected output, and the run log. */
export function BottomPanel({ preview, onPort }: { preview: PreviewState | null; onPort: (port: string) => void }) {
  const [tab, setTab] = useState<'preview' | 'log'>('preview');
  const log = useRuns((s) => s.log);
  const errors = log.filter((l) => l.level === 'error').length;
  return (
    <section className="output" aria-label="Output">
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'preview'} className={tab === 'preview' ? 'active' : ''} onClick={() => setTab('preview')}>
          Preview{preview ? `: ${preview.node}` : ''}
        </button>
        <button role="tab" aria-selected={tab === 'log'} className={tab === 'log' ? 'active' : ''} onClick={() => setTab('log')}>
          Run log{errors ? ` (${errors} errors)` : ''}
        </button>
        <span className="spacer" />
        {tab === 'preview' && preview && preview.ports.length > 1 && (
          <select aria-label="Output port" value={preview.port} onChange={(e) => onPort(e.target.value)}>
            {preview.ports.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        )}
      </div>
      <div className="tab-body" role="tabpanel">
        {tab === 'log' ? <RunLog lines={log} /> : <PreviewBody preview={preview} />}
      </div>
    </section>
  );
}

function PreviewBody({ preview }: { preview: PreviewState | null }) {
  if (!preview) return <p className="muted">Select a node and press Preview (or run the pipeline) to see its output.</p>;
  if (preview.result === 'loading') return <p className="muted">Computing {preview.node}…</p>;
  if (typeof preview.result === 'string') return <p className="problems">{preview.result}</p>;
  const { table, report, model, record } = preview.result;
  if (report) return <ReportView report={report} />;
  if (model) return <ModelView artifact={model} />;
  if (!table) {
    const rec = record.nodes[preview.node];
    return <p className="problems">{rec?.error?.message ?? `${preview.node} did not complete (${rec?.status ?? 'not run'})`}</p>;
  }
  return (
    <div style={{ display: 'grid', gridTemplateRows: 'auto 1fr', height: '100%' }}>
      <div className="muted" data-testid="preview-summary">
        {table.totalRows.toLocaleString('en-US')} rows × {table.columns.length} columns{table.totalRows > table.rows.length ? ` (showing the first ${table.rows.length.toLocaleString('en-US')})` : ''}
      </div>
      <DataGrid columns={table.columns} rows={table.rows} summaries={table.summaries} />
    </div>
  );
}

function RunLog({ lines }: { lines: { at: number; node?: string; level: string; text: string }[] }) {
  if (lines.length === 0) return <p className="muted">Nothing has run yet.</p>;
  return (
    <div className="log">
      {lines.map((l, i) => (
        <div key={i} className={`line ${l.level}`}>
          {new Date(l.at).toLocaleTimeString()} {l.node ? `[${l.node}] ` : ''}
          {l.text}
        </div>
      ))}
    </div>
  );
}
