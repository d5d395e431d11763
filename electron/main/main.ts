// Electron main: the thin shell. Creates the core, binds the contract to IPC, opens the window.
import { BrowserWindow, app, ipcMain } from 'electron';
import { join } from 'node:path';
import { IPC_CALL, IPC_EVENT } from '../../shared/contract/api';
import { answer, type Envelope } from '../../shared/contract/rpc';
import { ContractOutbox } from '../core/contract-outbox';
import { createCore, type Core } from '../core/core';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { Consent, ConsentError } from './consent';
import { dialogAsker } from './consent-dialogs';
import { installMenu } from './menu';
import { safeStorageBox } from './secrets';
import { createWindow, isOurPage, lockDown } from './window';

// dist/electron/main.cjs → dist/
const appDir = join(__dirname, '..');
let core: Core | null = null;
let win: BrowserWindow | null = null;

app.enableSandbox();
registerAppScheme();
app.on('web-contents-created', (_e, contents) => lockDown(contents));

app.whenReady().then(() => {
  serveAppScheme(join(appDir, 'renderer'));
  core = createCore({ host: 'electron', dataDir: app.getPath('userData'), secrets: safeStorageBox(), version: app.getVersion() });
  const c = core;
  const w = createWindow(appDir);
  win = w;
  const consent = new Consent(dialogAsker(() => win));
  const send = (msg: Envelope) => { if (!w.isDestroyed()) w.webContents.send(IPC_EVENT, msg); };
  // IPC cannot tell how far the renderer is behind: the outbox's summary budget per second bounds it.
  // One window for the app's life (closing it quits), so the outbox lives as long as the core.
  const outbox = new ContractOutbox(c.events, { send, backlog: () => undefined }, { inBurst: () => c.burst.inBurst() });
  ipcMain.on(IPC_CALL, (e, msg: unknown) => {
    // Only our own page's top frame may call; every call is validated by answer() against the contract's
    // schemas, and calls that read files or open the network need the user's yes first (consent.ts).
    const frame = e.senderFrame;
    if (!frame || frame.parent !== null || !isOurPage(frame.url)) return;
    void vetted(consent, msg).then(
      (ok) => answer(c, ok),
      (err: Error) => ({ t: 'res', id: (msg as { id: number }).id, ok: false, error: { code: 'declined', message: err.message } }) as Envelope,
    ).then((res) => { if (res) outbox.answer(res); });
  });
  installMenu(c);
});

/** A request whose params passed the user's consent (possibly with the paths they chose instead). */
async function vetted(consent: Consent, msg: unknown): Promise<unknown> {
  const m = msg as { t?: string; id?: unknown; method?: unknown; params?: unknown } | null;
  if (!m || m.t !== 'req' || typeof m.method !== 'string' || typeof m.id !== 'number') return msg;
  try {
    return { ...m, params: await consent.vet(m.method, m.params) };
  } catch (e) {
    // Whatever went wrong on the way (a dialog that failed included), the call does not pass unasked.
    throw e instanceof ConsentError ? e : new ConsentError(`${m.method}: could not ask for your consent (${(e as Error).message})`);
  }
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (e) => {
  if (!core) return;
  e.preventDefault();
  const c = core;
  core = null;
  void c.dispose().finally(() => app.exit(0));
});
