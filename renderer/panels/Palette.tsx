import { useState } from 'react';
import { searchKinds } from './search-kinds.ts';

const categoryTitles: Record<string, string> = {
  source: 'Sources',
  transform: 'Transforms',
  features: 'Features',
  model: 'Models',
  tune: 'Tuning',
  analysis: 'Analyses',
  sink: 'Sinks',
};

/** Every kind in the catalog, grouped by category; drag one onto the canvas to add it. */
export function Palette({ onAdd }: { onAdd: (kind: string) => void }) {
  const [query, setQuery] = useState('');
  const kinds = searchKinds(query);
  const categories = [...new Set(kinds.map((k) => k.category))];
  return (
    <aside className="palette" aria-label="Node palette">
      <input type="search" placeholder="Search nodes…" aria-label="Search nodes" value={query} onChange={(e) => setQuery(e.target.value)} />
      {categories.map((c) => (
        <section key={c}>
          <h3>{categoryTitles[c] ?? c}</h3>
          {kinds
            .filter((k) => k.category === c)
            .map((k) => (
              <div
                key={k.kind}
                className="item"
                draggable
                data-kind={k.kind}
                title={k.description}
                onDragStart={(e) => {
                  e.dataTransfer.setData('application/kanvas-kind', k.kind);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onDoubleClick={() => onAdd(k.kind)}
              >
                {k.title}
                <small>{k.kind}</small>
              </div>
            ))}
        </section>
      ))}
      {kinds.length === 0 && <p className="muted">No node matches “{query}”.</p>}
    </aside>
  );
}
