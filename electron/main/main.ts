// Electron main: the thin shell. Creates the core, binds the contract to IPC, opens the window.
import { app, ipcMain } from 'electron';
import { join } from 'node:path';
import { EVENT_NAMES, IPC_CALL, IPC_EVENT } from '../../shared/contract/api';
import { answer, type Envelope } from '../../shared/contract/rpc';
import { createCore, type Core } from '../core/core';
import { installMenu } from './menu';
import { safeStorageBox } from './secrets';
import { createWindow, isOurFrame } from './window';

// dist/electron/main.cjs → dist/
const appDir = join(__dirname, '..');
let core: Core | null = null;

app.enableSandbox();

app.whenReady().then(() => {
  core = createCore({ host: 'electron', dataDir: app.getPath('userData'), secrets: safeStorageBox(), version: app.getVersion() });
  const c = core;
  const win = createWindow(appDir);
  const send = (msg: Envelope) => { if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, msg); };
  for (const name of EVENT_NAMES) {
    (c.events as unknown as NodeJS.EventEmitter).on(name, (payload: unknown) => send({ t: 'evt', name, payload }));
  }
  ipcMain.on(IPC_CALL, (e, msg: unknown) => {
    // Only our own page may call; every call is validated by answer() against the contract's schemas.
    if (!e.senderFrame || !isOurFrame(e.senderFrame.url, appDir)) return;
    void answer(c, msg).then((res) => { if (res) send(res); });
  });
  installMenu(c);
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (e) => {
  if (!core) return;
  e.preventDefault();
  const c = core;
  core = null;
  void c.dispose().finally(() => app.exit(0));
});
