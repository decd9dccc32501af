import { shortcuts } from './shortcuts.ts';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <div className="overlay" onClick={onClose} role="dialog" aria-label="Keyboard shortcuts">
      <div className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {shortcuts.map((s) => (
              <tr key={s.command}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && ' or '}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>Delete</kbd>
              </td>
              <td>Delete selected nodes and edges</td>
            </tr>
            <tr>
              <td>double-click</td>
              <td>Search and add a node where you clicked</td>
            </tr>
          </tbody>
        </table>
        <p>
          <button onClick={onClose}>Close</button>
        </p>
      </div>
    </div>
  );
}
