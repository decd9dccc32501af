import { useState } from 'react';
import type { ModelArtifact } from '../../engine/ml/artifact.ts';

/** A fitted artifact: what it is, what it was fitted on, its training metrics and its numbers. */
export function ModelView({ artifact }: { artifact: ModelArtifact }) {
  const [jsonOpen, setJsonOpen] = useState(false);
  return (
    <div className="model-view" data-testid="model-view">
      <h4 style={{ margin: '4px 0' }}>
        {artifact.kind} · {artifact.task}
        {artifact.target ? ` · predicts ${artifact.target}` : ''}
      </h4>
      <p className="muted">
        Fitted on {artifact.training.rows.toLocaleString('en-US')} rows; features: {artifact.features.map((f) => f.name).join(', ')}
        {artifact.classes ? `; classes: ${artifact.classes.join(', ')}` : ''}
        {artifact.preprocessing?.length ? `; applies ${artifact.preprocessing.map((p) => p.kind).join(' → ')} first` : ''}.
      </p>
      {artifact.metrics && (
        <table className="metrics">
          <tbody>
            {Object.entries(artifact.metrics).map(([k, v]) => (
              <tr key={k}>
                <td>{k}</td>
                <td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{Number.isInteger(v) ? v : v.toPrecision(6)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details onToggle={(e) => setJsonOpen(e.currentTarget.open)}>
        <summary>Artifact (JSON)</summary>
        {jsonOpen && <ArtifactJson artifact={artifact} />}
      </details>
    </div>
  );
}

/** The artifact's JSON (built only while its section is open), cut short for large models (a forest's trees). */
function ArtifactJson({ artifact }: { artifact: ModelArtifact }) {
  const text = JSON.stringify(artifact, null, 1);
  const limit = 200_000;
  return (
    <pre style={{ maxHeight: 240, overflow: 'auto' }}>
      {text.length > limit ? `${text.slice(0, limit)}\n… (${(text.length / 1e6).toFixed(1)} MB in all: export the model to see the rest)` : text}
    </pre>
  );
}
