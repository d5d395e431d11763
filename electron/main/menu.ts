// Application menu: trace files through native dialogs, plus the usual roles.
import { app, Menu, dialog, type MenuItemConstructorOptions } from 'electron';
import type { Core } from '../core/core';

export function installMenu(core: Core): void {
  const openTrace = async () => {
    const r = await dialog.showOpenDialog({ filters: [{ name: 'MQScope trace', extensions: ['mqtrace'] }], properties: ['openFile'] });
    if (r.canceled || !r.filePaths[0]) return;
    try {
      // Streamed from the path the user just chose, as a document of its own beside the live capture;
      // traceDocOpened tells the window to show it. The file is never read whole into memory.
      const stats = await core.openTraceFile(r.filePaths[0]);
      if (stats.warning) void dialog.showMessageBox({ type: 'warning', message: 'The trace file was cut short', detail: stats.warning });
    } catch (e) {
      dialog.showErrorBox('Could not open trace', `${r.filePaths[0]}: ${(e as Error).message}\nNothing was changed.`);
    }
  };
  const saveTrace = async () => {
    const r = await dialog.showSaveDialog({ defaultPath: 'capture.mqtrace', filters: [{ name: 'MQScope trace', extensions: ['mqtrace'] }] });
    if (r.canceled || !r.filePath) return;
    try {
      const saved = await core.saveTraceFile(r.filePath);
      if (saved.evicted > 0) {
        void dialog.showMessageBox({
          type: 'warning', message: 'Some frames are not in the saved file',
          detail: `${saved.evicted.toLocaleString('en')} older frames were evicted by the trace budget while saving.`,
        });
      }
    } catch (e) {
      dialog.showErrorBox('Could not save trace', `${r.filePath}: ${(e as Error).message}`);
    }
  };
  const template: MenuItemConstructorOptions[] = [
    { label: 'File', submenu: [
      { label: 'Open Trace…', accelerator: 'CmdOrCtrl+O', click: () => void openTrace() },
      { label: 'Save Trace As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => void saveTrace() },
      { type: 'separator' },
      { role: 'quit' },
    ] },
    { role: 'editMenu' },
    { label: 'View', submenu: [
      // DevTools only in a development run: a packaged app does not open its insides to whoever sits there.
      { role: 'reload' }, ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]), { type: 'separator' },
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
    ] },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
