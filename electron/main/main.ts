// Electron main: the thin shell. Creates the core, binds the contract to IPC, opens the window.
import { app, dialog, ipcMain, protocol } from 'electron';
import { join } from 'node:path';
import { EVENT_NAMES, IPC_CALL, IPC_EVENT } from '../../shared/contract/api';
import { answer, type Envelope } from '../../shared/contract/rpc';
import { createCore, type Core } from '../core/core';
import { installMenu } from './menu';
import { safeStorageBox } from './secrets';
import { appProtocolHandler, APP_SCHEME, registerAppScheme } from './app-protocol';
import { CallGate } from './gate';
import { createWindow, isOurFrame, lockDown } from './window';

// dist/electron/main.cjs → dist/
const appDir = join(__dirname, '..');
let core: Core | null = null;

app.enableSandbox();
registerAppScheme();
// Every web contents, not only our window's, gets the navigation and webview locks.
app.on('web-contents-created', (_e, wc) => lockDown(wc));

app.whenReady().then(() => {
  core = createCore({ host: 'electron', dataDir: app.getPath('userData'), secrets: safeStorageBox(), version: app.getVersion() });
  const c = core;
  protocol.handle(APP_SCHEME, appProtocolHandler(join(appDir, 'renderer')));
  const win = createWindow(appDir);
  const gate = new CallGate({
    confirm: async (title, detail) => (await dialog.showMessageBox(win, { type: 'warning', title, message: title, detail, buttons: ['Cancel', 'Allow'], defaultId: 0, cancelId: 0 })).response === 1,
    pickFile: async (title, suggested) => {
      const r = await dialog.showOpenDialog(win, { title, defaultPath: suggested, properties: ['openFile'] });
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
  });
  const send = (msg: Envelope) => { if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, msg); };
  for (const name of EVENT_NAMES) {
    (c.events as unknown as NodeJS.EventEmitter).on(name, (payload: unknown) => send({ t: 'evt', name, payload }));
  }
  ipcMain.on(IPC_CALL, (e, msg: unknown) => {
    // Only our own page may call; every call is validated by answer() against the contract's schemas.
    if (!e.senderFrame || !isOurFrame(e.senderFrame.url)) return;
    // Network exposure and file paths need the user's word in a native dialog first (see gate.ts).
    void gate.check(msg)
      .then((g) => ('refuse' in g ? g.refuse : answer(c, g.pass)))
      .then((res) => { if (res) send(res); })
      .catch(() => {});
  });
  installMenu(c, (path) => gate.chose(path));
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (e) => {
  if (!core) return;
  e.preventDefault();
  const c = core;
  core = null;
  void c.dispose().finally(() => app.exit(0));
});
