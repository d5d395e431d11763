// Application menu: trace files through native dialogs, plus the usual roles.
import { Menu, app, dialog, type MenuItemConstructorOptions } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Core } from '../core/core';

export function installMenu(core: Core): void {
  const openTrace = async () => {
    const r = await dialog.showOpenDialog({ filters: [{ name: 'MQScope trace', extensions: ['mqtrace'] }], properties: ['openFile'] });
    if (r.canceled || !r.filePaths[0]) return;
    try {
      // Opens as its own document beside the live capture; traceDocOpened tells the window to show it.
      await core.traceOpen({ fileB64: (await readFile(r.filePaths[0])).toString('base64'), name: basename(r.filePaths[0]) });
    } catch (e) {
      dialog.showErrorBox('Could not open trace', `${r.filePaths[0]}: ${(e as Error).message}\nNothing was changed.`);
    }
  };
  const saveTrace = async () => {
    const r = await dialog.showSaveDialog({ defaultPath: 'capture.mqtrace', filters: [{ name: 'MQScope trace', extensions: ['mqtrace'] }] });
    if (r.canceled || !r.filePath) return;
    const { fileB64 } = await core.traceExport(undefined);
    await writeFile(r.filePath, Buffer.from(fileB64, 'base64'));
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
