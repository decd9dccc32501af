/** Keyboard shortcuts: one list, read by the key handler and by the help overlay. */
export type Command =
  | 'undo' | 'redo' | 'copy' | 'paste' | 'duplicate' | 'selectAll' | 'save' | 'saveAs' | 'open' | 'new' | 'export'
  | 'run' | 'runToHere' | 'cancel' | 'layout' | 'fitView' | 'help' | 'preview' | 'theme' | 'settings';

export const shortcuts: { command: Command; keys: string[]; label: string }[] = [
  { command: 'run', keys: ['Ctrl+Enter'], label: 'Run the pipeline' },
  { command: 'runToHere', keys: ['Shift+Enter'], label: 'Run to the selected node' },
  { command: 'preview', keys: ['P'], label: 'Preview the selected node' },
  { command: 'cancel', keys: ['Ctrl+.'], label: 'Cancel the run' },
  { command: 'undo', keys: ['Ctrl+Z'], label: 'Undo' },
  { command: 'redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], label: 'Redo' },
  { command: 'copy', keys: ['Ctrl+C'], label: 'Copy selected nodes' },
  { command: 'paste', keys: ['Ctrl+V'], label: 'Paste nodes' },
  { command: 'duplicate', keys: ['Ctrl+D'], label: 'Duplicate selected nodes' },
  { command: 'selectAll', keys: ['Ctrl+A'], label: 'Select all nodes' },
  { command: 'layout', keys: ['L'], label: 'Auto-layout the graph' },
  { command: 'fitView', keys: ['F'], label: 'Fit the graph in view' },
  { command: 'save', keys: ['Ctrl+S'], label: 'Save the pipeline (download it, in a browser)' },
  { command: 'saveAs', keys: ['Ctrl+Shift+S'], label: 'Save the pipeline under another name' },
  { command: 'export', keys: ['Ctrl+E'], label: 'Export the pipeline as code' },
  { command: 'open', keys: ['Ctrl+O'], label: 'Open a pipeline' },
  { command: 'new', keys: ['Ctrl+Alt+N'], label: 'New pipeline' },
  { command: 'theme', keys: ['T'], label: 'Switch light / dark theme' },
  { command: 'settings', keys: ['Ctrl+,'], label: 'Settings (theme, engine threads)' },
  { command: 'help', keys: ['?'], label: 'Show these shortcuts' },
];

/** `Ctrl+Shift+Z` style name of a key event (Cmd counts as Ctrl on macOS). */
function keyName(e: KeyboardEvent): string {
  const parts = [];
  if (e.ctrlKey || e.metaKey) parts.push('Ctrl');
  if (e.altKey) parts.push('Alt');
  const key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
  if (e.shiftKey && key !== '?') parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

export function commandFor(e: KeyboardEvent): Command | undefined {
  const name = keyName(e);
  return shortcuts.find((s) => s.keys.includes(name))?.command;
}

/** Single-letter shortcuts must not fire while typing in a field. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable || !!el.closest?.('.cm-editor'));
}
