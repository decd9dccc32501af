/** The application menu as data: each item sends a command the renderer runs (or a role). */
export interface MenuItem {
  label?: string;
  accelerator?: string;
  command?: string;
  role?: string;
  type?: 'separator';
  submenu?: MenuItem[];
  path?: string;
}

export function menuTemplate(recent: string[], isMac: boolean): MenuItem[] {
  const sep: MenuItem = { type: 'separator' };
  const settings: MenuItem = { label: 'Settings…', accelerator: 'CmdOrCtrl+,', command: 'settings' };
  return [
    ...(isMac ? [{ label: 'Kanvas', submenu: [{ role: 'about' }, sep, settings, sep, { role: 'hide' }, { role: 'hideOthers' }, sep, { role: 'quit' }] }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New', accelerator: 'CmdOrCtrl+Alt+N', command: 'new' },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', command: 'open' },
        { label: 'Open Recent', submenu: recent.length ? recent.map((path) => ({ label: path, command: 'openRecent', path })) : [{ label: 'No recent files', command: 'none' }] },
        sep,
        { label: 'Save', accelerator: 'CmdOrCtrl+S', command: 'save' },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', command: 'saveAs' },
        sep,
        { label: 'Export Code…', accelerator: 'CmdOrCtrl+E', command: 'export' },
        ...(isMac ? [] : [sep, settings, sep, { role: 'quit' }]),
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', command: 'undo' },
        { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', command: 'redo' },
        sep,
        { role: 'cut' },
        { label: 'Copy Nodes', accelerator: 'CmdOrCtrl+C', command: 'copy' },
        { label: 'Paste Nodes', accelerator: 'CmdOrCtrl+V', command: 'paste' },
        { label: 'Duplicate', accelerator: 'CmdOrCtrl+D', command: 'duplicate' },
        { label: 'Select All', accelerator: 'CmdOrCtrl+A', command: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Auto Layout', accelerator: 'L', command: 'layout' },
        { label: 'Fit View', accelerator: 'F', command: 'fitView' },
        { label: 'Toggle Theme', accelerator: 'T', command: 'theme' },
        sep,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        sep,
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Run',
      submenu: [
        { label: 'Run', accelerator: 'CmdOrCtrl+Enter', command: 'run' },
        { label: 'Run to Here', accelerator: 'Shift+Enter', command: 'runToHere' },
        { label: 'Preview', accelerator: 'P', command: 'preview' },
        { label: 'Cancel', accelerator: 'CmdOrCtrl+.', command: 'cancel' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'Keyboard Shortcuts', accelerator: '?', command: 'help' },
        { label: 'Documentation', command: 'docs' },
      ],
    },
  ];
}
