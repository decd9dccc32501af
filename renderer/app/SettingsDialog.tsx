import type { Settings } from './settings.ts';

interface Props {
  settings: Settings;
  /** The desktop app's native engine takes a thread count; the browser's wasm engine has one. */
  nativeEngine: boolean;
  onChange: (patch: Partial<Settings>) => void;
  onClose: () => void;
}

export function SettingsDialog({ settings, nativeEngine, onChange, onClose }: Props) {
  const cores = Math.max(1, Math.min(64, navigator.hardwareConcurrency || 1));
  const threads = settings.engine.threads;
  return (
    <div className="overlay" onClick={onClose} role="dialog" aria-label="Settings" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog settings" onClick={(e) => e.stopPropagation()}>
        <h2>Settings</h2>
        <label>
          <span>Theme</span>
          <select aria-label="Theme" value={settings.theme} onChange={(e) => onChange({ theme: e.target.value as Settings['theme'] })} autoFocus>
            <option value="system">Same as the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        {nativeEngine ? (
          <label>
            <span>Engine threads</span>
            <select
              aria-label="Engine threads"
              value={threads === null ? 'auto' : String(threads)}
              onChange={(e) => onChange({ engine: { threads: e.target.value === 'auto' ? null : Number(e.target.value) } })}
            >
              <option value="auto">Automatic (one per core)</option>
              {Array.from({ length: Math.max(cores, threads ?? 1) }, (_, i) => (
                <option key={i + 1} value={String(i + 1)}>
                  {i + 1}
                </option>
              ))}
            </select>
            <small>DuckDB's worker threads for the native engine; used from the next run.</small>
          </label>
        ) : (
          <p className="muted">The engine in the browser (duckdb-wasm) runs on one thread; the desktop app runs native DuckDB on all cores.</p>
        )}
        <p>
          <button onClick={onClose}>Close</button>
        </p>
      </div>
    </div>
  );
}
