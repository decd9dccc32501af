import { parsePipeline } from '../../engine/index.ts';
import { examples } from '../engine/assets.ts';
import type { Autosave } from './autosave.ts';
import type { RecentEntry } from './host-api.ts';

export function StartPage(props: {
  recovery: Autosave | null;
  recent: RecentEntry[];
  onRecent: (id: string) => void;
  onExample: (id: string) => void;
  onNew: () => void;
  onOpen: () => void;
  onRecover: () => void;
  onDiscard: () => void;
  onClose?: () => void;
}) {
  return (
    <div className="overlay" role="dialog" aria-label="Start">
      <div className="dialog start">
        <h2>Kanvas</h2>
        {props.recovery && (
          <div className="banner" role="alert">
            <span style={{ flex: 1 }}>
              Unsaved work on “{props.recovery.doc.name}” from {new Date(props.recovery.at).toLocaleString()} was kept when the app closed.
            </span>
            <button className="primary" onClick={props.onRecover}>
              Recover
            </button>
            <button onClick={props.onDiscard}>Discard</button>
          </div>
        )}
        <p className="muted">A visual notebook for data pipelines, run locally on DuckDB. Start from an example:</p>
        <div className="cards">
          {examples.map((ex) => {
            const parsed = parsePipeline(ex.text);
            const doc = parsed.ok ? parsed.doc : null;
            return (
              <button key={ex.id} className="card" onClick={() => props.onExample(ex.id)} data-example={ex.id}>
                <strong>{doc?.name ?? ex.id}</strong>
                <small>{doc?.description ?? ''}</small>
                <small>{doc ? `${doc.nodes.length} nodes` : ''}</small>
              </button>
            );
          })}
        </div>
        {props.recent.length > 0 && (
          <section aria-label="Recent pipelines">
            <p className="muted">Recent:</p>
            <ul className="recent">
              {props.recent.map((r) => (
                <li key={r.id}>
                  <button className="link" onClick={() => props.onRecent(r.id)} title={r.detail}>
                    {r.label}
                  </button>{' '}
                  <small className="muted">{r.detail}</small>
                </li>
              ))}
            </ul>
          </section>
        )}
        <div style={{ display: 'flex', gap: 8 }}>
          <button onClick={props.onNew}>New pipeline</button>
          <button onClick={props.onOpen}>Open pipeline…</button>
          {props.onClose && <button onClick={props.onClose}>Close</button>}
        </div>
      </div>
    </div>
  );
}
