import { useEffect, useRef, useState } from 'react';
import { searchKinds } from '../panels/search-kinds.ts';

/** Double-click on the canvas: type to find a kind, Enter to add it where you clicked. */
export function QuickAdd({ at, onPick, onClose }: { at: { x: number; y: number }; onPick: (kind: string) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const results = searchKinds(query).slice(0, 10);
  useEffect(() => input.current?.focus(), []);
  return (
    <div className="quick-add" style={{ left: at.x, top: at.y }} onDoubleClick={(e) => e.stopPropagation()}>
      <input
        ref={input}
        placeholder="Add a node…"
        aria-label="Add a node"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onBlur={() => setTimeout(onClose, 150)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
          if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          if (e.key === 'Enter' && results[active]) onPick(results[active].kind);
        }}
      />
      {results.map((k, i) => (
        <div key={k.kind} className={`item${i === active ? ' active' : ''}`} onMouseDown={() => onPick(k.kind)}>
          {k.title} <span className="muted">{k.kind}</span>
        </div>
      ))}
    </div>
  );
}
