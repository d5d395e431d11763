// The Electron shell without the Electron binary: the bundled main and preload run against a recording
// stand-in for the 'electron' module. Checks the security settings, the one bridge, and that IPC calls
// are answered only for our own page and only after validation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { IPC_CALL, IPC_EVENT } from '../../shared/contract/api';
import { waitFor } from '../support/wait';

const root = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
let dataDir: string;
const sent: unknown[] = [];
const ipcMain = new EventEmitter();
const windows: { options: { webPreferences: Record<string, unknown> }; url?: string; handlers: Map<string, (...a: unknown[]) => void>; openHandler?: (d: { url: string }) => unknown }[] = [];
let ready!: () => void;
const exposed = new Map<string, Record<string, (...a: unknown[]) => unknown>>();
const rendererIpc = new EventEmitter();
const rendererSent: unknown[][] = [];
let sandboxEnabled = false;

const fakeElectron = {
  app: {
    enableSandbox: () => { sandboxEnabled = true; },
    whenReady: () => new Promise<void>((r) => { ready = r; }),
    getPath: () => dataDir,
    getVersion: () => '0.0.0-test',
    on: () => {},
    quit: () => {},
    exit: () => {},
  },
  ipcMain,
  BrowserWindow: class {
    webContents: Record<string, unknown>;
    constructor(options: { webPreferences: Record<string, unknown> }) {
      const w = { options, handlers: new Map(), url: undefined as string | undefined, openHandler: undefined as ((d: { url: string }) => unknown) | undefined };
      windows.push(w);
      this.webContents = {
        on: (name: string, h: (...a: unknown[]) => void) => w.handlers.set(name, h),
        setWindowOpenHandler: (h: (d: { url: string }) => unknown) => { w.openHandler = h; },
        send: (_channel: string, msg: unknown) => sent.push(msg),
      };
      (this as unknown as { loadURL: (u: string) => Promise<void> }).loadURL = async (u: string) => { w.url = u; };
    }
    isDestroyed() { return false; }
  },
  nativeTheme: { shouldUseDarkColors: false },
  session: { defaultSession: { setPermissionRequestHandler: () => {}, webRequest: { onBeforeRequest: () => {} } } },
  shell: { openExternal: async () => {} },
  safeStorage: { isEncryptionAvailable: () => true, encryptString: (s: string) => Buffer.from(`enc:${s}`), decryptString: (b: Buffer) => b.toString().slice(4) },
  Menu: { setApplicationMenu: () => {}, buildFromTemplate: (t: unknown) => t },
  dialog: {},
  contextBridge: { exposeInMainWorld: (name: string, api: Record<string, (...a: unknown[]) => unknown>) => exposed.set(name, api) },
  ipcRenderer: Object.assign(rendererIpc, { send: (...a: unknown[]) => rendererSent.push(a) }),
};

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mqscope-electron-'));
  execFileSync(process.execPath, [join(root, 'build/build-electron.mjs')]);
  const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load = function (req: string, ...rest: unknown[]) {
    return req === 'electron' ? fakeElectron : load.call(this, req, ...rest);
  };
  require(join(root, 'dist/electron/main.cjs'));
  require(join(root, 'dist/electron/preload.cjs'));
  ready();
  await waitFor(() => windows.length === 1, { what: 'the window' });
});
after(async () => {
  ipcMain.removeAllListeners();
  await rm(dataDir, { recursive: true, force: true });
});

test('the window is sandboxed and isolated, loads our page, and cannot navigate or open windows', () => {
  assert.equal(sandboxEnabled, true);
  const w = windows[0];
  assert.deepEqual(
    { contextIsolation: w.options.webPreferences.contextIsolation, sandbox: w.options.webPreferences.sandbox, nodeIntegration: w.options.webPreferences.nodeIntegration },
    { contextIsolation: true, sandbox: true, nodeIntegration: false },
  );
  assert.equal(w.url, pathToFileURL(join(root, 'dist/renderer/index.html')).toString());
  let prevented = false;
  w.handlers.get('will-navigate')!({ preventDefault: () => { prevented = true; } }, 'https://evil.example/');
  assert.equal(prevented, true);
  assert.deepEqual(w.openHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
});

test('the preload exposes exactly send and onMessage on one channel pair', () => {
  const api = exposed.get('mqscope')!;
  assert.deepEqual(Object.keys(api).sort(), ['onMessage', 'send']);
  api.send({ t: 'req', id: 1, method: 'hostInfo' });
  assert.deepEqual(rendererSent.at(-1), [IPC_CALL, { t: 'req', id: 1, method: 'hostInfo' }]);
  const got: unknown[] = [];
  const off = api.onMessage((m: unknown) => got.push(m)) as () => void;
  rendererIpc.emit(IPC_EVENT, {}, { t: 'evt', name: 'traceBatch', payload: 1 });
  off();
  rendererIpc.emit(IPC_EVENT, {}, { t: 'evt', name: 'traceBatch', payload: 2 });
  assert.deepEqual(got, [{ t: 'evt', name: 'traceBatch', payload: 1 }]);
});

test('IPC calls from our page are validated and answered; calls from any other frame are ignored', async () => {
  const ours = { senderFrame: { url: pathToFileURL(join(root, 'dist/renderer/index.html')).toString() } };
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 7, method: 'hostInfo' });
  const info = await waitFor(() => sent.find((m) => (m as { id?: number }).id === 7) as { ok: boolean; result: { host: string; secretStorage: string } } | undefined);
  assert.equal(info.ok, true);
  assert.equal(info.result.host, 'electron');
  assert.equal(info.result.secretStorage, 'safeStorage');
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 8, method: 'traceSetBudget', params: { bytes: 5 } });
  const bad = await waitFor(() => sent.find((m) => (m as { id?: number }).id === 8) as { ok: boolean; error: { message: string } } | undefined);
  assert.equal(bad.ok, false);
  assert.match(bad.error.message, /budget must be at least 8 MiB/);
  ipcMain.emit(IPC_CALL, { senderFrame: { url: 'https://evil.example/' } }, { t: 'req', id: 9, method: 'hostInfo' });
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 10, method: 'hostInfo' });
  await waitFor(() => sent.some((m) => (m as { id?: number }).id === 10));
  assert.equal(sent.some((m) => (m as { id?: number }).id === 9), false);
});

test('saved passwords go through safeStorage: never plain text on disk', async () => {
  const ours = { senderFrame: { url: pathToFileURL(join(root, 'dist/renderer/index.html')).toString() } };
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 20, method: 'docSet', params: { key: 'profiles', value: [{ name: 'plant', password: 'hunter2' }] } });
  await waitFor(() => sent.find((m) => (m as { id?: number }).id === 20));
  const { readFile } = await import('node:fs/promises');
  const onDisk = await readFile(join(dataDir, 'docs', 'profiles.json'), 'utf8');
  assert.doesNotMatch(onDisk, /hunter2/);
  assert.match(onDisk, /"kind": "safeStorage"/);
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 21, method: 'docGet', params: { key: 'profiles' } });
  const got = await waitFor(() => sent.find((m) => (m as { id?: number }).id === 21) as { result: { value: { password: string }[] } } | undefined);
  assert.equal(got.result.value[0].password, 'hunter2');
});
