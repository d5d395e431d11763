// The Electron shell without the Electron binary: the bundled main and preload run against a recording
// stand-in for the 'electron' module. Checks the security settings, the one bridge, and that IPC calls
// are answered only for our own page and only after validation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IPC_CALL, IPC_EVENT } from '../../shared/contract/api';
import { waitFor } from '../support/wait';
import { readTrace } from '../support/trace-file';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { writeTraceFile } from '../../electron/core/trace/trace-io';
import { TraceStore } from '../../electron/core/trace/trace-store';

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
const appHandlers = new Map<string, (...a: unknown[]) => void>();
const schemes: { scheme: string; privileges: Record<string, boolean> }[] = [];
const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
let permissionCheck: (() => boolean) | undefined;
let requestFilter: ((d: { url: string; resourceType: string }, done: (r: { cancel: boolean }) => void) => void) | undefined;
const opened: string[] = [];
const dialogs: string[] = [];
const dialogAnswers = { open: null as string | null, save: null as string | null, exposure: 0 };
/** Sees each message the main process sends to the window, as it is sent. */
let onSent: ((msg: unknown) => void) | undefined;
const APP_INDEX = 'app://mqscope/index.html';

const fakeElectron = {
  app: {
    enableSandbox: () => { sandboxEnabled = true; },
    whenReady: () => new Promise<void>((r) => { ready = r; }),
    getPath: () => dataDir,
    getVersion: () => '0.0.0-test',
    isPackaged: true,
    on: (name: string, h: (...a: unknown[]) => void) => appHandlers.set(name, h),
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
        mainFrame: null,
        setWindowOpenHandler: (h: (d: { url: string }) => unknown) => { w.openHandler = h; },
        send: (_channel: string, msg: unknown) => { sent.push(msg); onSent?.(msg); },
      };
      (this as unknown as { loadURL: (u: string) => Promise<void> }).loadURL = async (u: string) => { w.url = u; };
    }
    isDestroyed() { return false; }
  },
  nativeTheme: { shouldUseDarkColors: false },
  session: { defaultSession: {
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: (h: () => boolean) => { permissionCheck = h; },
    webRequest: { onBeforeRequest: (h: typeof requestFilter) => { requestFilter = h; } },
  } },
  protocol: {
    registerSchemesAsPrivileged: (list: typeof schemes) => schemes.push(...list),
    handle: (scheme: string, h: (req: Request) => Promise<Response>) => protocolHandlers.set(scheme, h),
  },
  shell: { openExternal: async (url: string) => { opened.push(url); } },
  safeStorage: { isEncryptionAvailable: () => true, encryptString: (s: string) => Buffer.from(`enc:${s}`), decryptString: (b: Buffer) => b.toString().slice(4) },
  Menu: { setApplicationMenu: () => {}, buildFromTemplate: (t: unknown) => t },
  dialog: {
    showOpenDialog: async (...a: unknown[]) => {
      const o = a.at(-1) as { title: string };
      dialogs.push(o.title);
      return dialogAnswers.open === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [dialogAnswers.open] };
    },
    showSaveDialog: async (...a: unknown[]) => {
      const o = a.at(-1) as { title: string; defaultPath: string; filters: { extensions: string[] }[] };
      dialogs.push(`${o.title} [${o.defaultPath}] (${o.filters.flatMap((f) => f.extensions).join(',')})`);
      return dialogAnswers.save === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: dialogAnswers.save };
    },
    showMessageBox: async (...a: unknown[]) => { dialogs.push((a.at(-1) as { message: string }).message); return { response: dialogAnswers.exposure }; },
  },
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

test('the window is sandboxed and isolated, loads our page from app://, and cannot navigate, redirect, embed or open windows', () => {
  assert.equal(sandboxEnabled, true);
  const w = windows[0];
  assert.deepEqual(
    { contextIsolation: w.options.webPreferences.contextIsolation, sandbox: w.options.webPreferences.sandbox, nodeIntegration: w.options.webPreferences.nodeIntegration, webviewTag: w.options.webPreferences.webviewTag },
    { contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false },
  );
  assert.equal(w.options.webPreferences.devTools, false, 'no DevTools in a packaged build');
  assert.equal(w.url, APP_INDEX);
  const prevented = (name: string, ...args: unknown[]) => {
    let p = false;
    const e = { preventDefault: () => { p = true; }, url: args[0] };
    w.handlers.get(name)!(e, ...args);
    return p;
  };
  assert.equal(prevented('will-navigate', 'https://evil.example/'), true);
  assert.equal(prevented('will-navigate', 'app://mqscope/index.html.evil'), true);
  assert.equal(prevented('will-navigate', APP_INDEX), false);
  assert.equal(prevented('will-frame-navigate', 'file:///etc/passwd'), true);
  assert.equal(prevented('will-redirect', 'https://evil.example/'), true);
  assert.equal(prevented('will-attach-webview'), true);
  assert.deepEqual(w.openHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  assert.deepEqual(w.openHandler!({ url: 'https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html' }), { action: 'deny' });
  assert.deepEqual(opened, ['https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html'], 'only allow-listed links reach the browser');
  assert.equal(typeof appHandlers.get('web-contents-created'), 'function', 'every web contents is locked down, not only the window');
  assert.equal(permissionCheck!(), false, 'permission checks are denied');
});

test('the renderer is served from app://mqscope with the CSP, nothing outside dist/renderer, and no other requests pass', async () => {
  assert.deepEqual(schemes.map((x) => [x.scheme, x.privileges.standard, x.privileges.secure]), [['app', true, true]]);
  const serve = protocolHandlers.get('app')!;
  const index = await serve(new Request(APP_INDEX));
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.match(await index.text(), /<div id="root">/);
  for (const bad of ['app://mqscope/../../package.json', 'app://mqscope/%2e%2e/%2e%2e/package.json', 'app://other/index.html', 'app://mqscope/%']) {
    assert.equal((await serve(new Request(bad))).status, 404, bad);
  }
  const allowed = (url: string, resourceType = 'script') => new Promise<boolean>((r) => requestFilter!({ url, resourceType }, (x) => r(!x.cancel)));
  assert.equal(await allowed('app://mqscope/app.js'), true);
  assert.equal(await allowed('blob:app://mqscope/1b2c'), true);
  assert.equal(await allowed('data:font/ttf;base64,AAAA', 'font'), true);
  assert.equal(await allowed('data:text/javascript,alert(1)', 'script'), false);
  assert.equal(await allowed('blob:https://evil.example/1b2c'), false);
  assert.equal(await allowed('file:///etc/passwd'), false);
  assert.equal(await allowed('https://evil.example/x.js'), false);
  assert.equal(await allowed('devtools://devtools/bundled/inspector.html'), false, 'no DevTools when packaged');
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
  const ours = { senderFrame: { url: APP_INDEX, parent: null } };
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 7, method: 'hostInfo' });
  const info = await waitFor(() => sent.find((m) => (m as { id?: number }).id === 7) as { ok: boolean; result: { host: string; secretStorage: string } } | undefined);
  assert.equal(info.ok, true);
  assert.equal(info.result.host, 'electron');
  assert.equal(info.result.secretStorage, 'safeStorage');
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 8, method: 'traceSetBudget', params: { bytes: 5 } });
  const bad = await waitFor(() => sent.find((m) => (m as { id?: number }).id === 8) as { ok: boolean; error: { message: string } } | undefined);
  assert.equal(bad.ok, false);
  assert.match(bad.error.message, /budget must be at least 8 MiB/);
  ipcMain.emit(IPC_CALL, { senderFrame: { url: 'https://evil.example/', parent: null } }, { t: 'req', id: 9, method: 'hostInfo' });
  ipcMain.emit(IPC_CALL, { senderFrame: { url: 'app://mqscope/renderer-evil/x.html', parent: null } }, { t: 'req', id: 11, method: 'hostInfo' });
  ipcMain.emit(IPC_CALL, { senderFrame: { url: 'app://mqscope/index.html.evil', parent: null } }, { t: 'req', id: 12, method: 'hostInfo' });
  ipcMain.emit(IPC_CALL, { senderFrame: { url: APP_INDEX, parent: {} } }, { t: 'req', id: 13, method: 'hostInfo' });
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 10, method: 'hostInfo' });
  await waitFor(() => sent.some((m) => (m as { id?: number }).id === 10));
  for (const id of [9, 11, 12, 13]) assert.equal(sent.some((m) => (m as { id?: number }).id === id), false, `call ${id} from a foreign page or a sub-frame is ignored`);
});

test('a call that names a file or opens the broker to the network needs the user\'s yes in a native dialog', async () => {
  const ours = { senderFrame: { url: APP_INDEX, parent: null } };
  const reply = (id: number) => waitFor(() => sent.find((m) => (m as { id?: number }).id === id) as { ok: boolean; error?: { code: string; message: string }; result?: unknown } | undefined);
  dialogAnswers.open = null;
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 30, method: 'brokerStart', params: { config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: { port: 0, certPath: '/root/.ssh/id_rsa', keyPath: '/root/.ssh/id_rsa' }, auth: null } } });
  const refused = await reply(30);
  assert.equal(refused.ok, false);
  assert.equal(refused.error!.code, 'declined');
  assert.match(refused.error!.message, /did not confirm a TLS certificate \(\/root\/\.ssh\/id_rsa\)/);
  assert.match(dialogs.at(-1)!, /Allow MQScope to read a TLS certificate/);
  dialogAnswers.exposure = 0;
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 31, method: 'brokerStart', params: { config: { host: '0.0.0.0', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } } });
  const kept = await reply(31);
  assert.equal(kept.ok, false);
  assert.match(kept.error!.message, /kept the broker local/);
  assert.match(dialogs.at(-1)!, /on 0\.0\.0\.0/);
  // Loopback and no files: no question asked.
  const asked = dialogs.length;
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 32, method: 'traceQuery', params: { dir: 'c2s', limit: 1 } });
  assert.equal((await reply(32)).ok, true);
  assert.equal(dialogs.length, asked);
});

test('saved passwords go through safeStorage: never plain text on disk', async () => {
  const ours = { senderFrame: { url: APP_INDEX, parent: null } };
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

test('in-page Open…/Save…: the path is the one chosen in a native dialog, core streams the file, progress and cancel go over IPC', async () => {
  const ours = { senderFrame: { url: APP_INDEX, parent: null } };
  const reply = (id: number) => waitFor(() => sent.find((m) => (m as { id?: number }).id === id) as { ok: boolean; error?: { code: string; message: string }; result?: any } | undefined);
  const progress = (transfer: string) => sent.filter((m) => (m as { name?: string }).name === 'traceFileProgress' && (m as { payload: { transfer: string } }).payload.transfer === transfer)
    .map((m) => (m as { payload: { done: number; total: number; unit: string } }).payload);
  // A ~3 MiB trace file to open: 3,000 PUBLISHes of 1 KiB.
  const big = join(dataDir, 'big.mqtrace');
  const store = new TraceStore(64 * 2 ** 20);
  const recorder = new TraceRecorder(store, () => {});
  recorder.dispose();
  const conn = recorder.adopt({ id: 1, side: 'broker', transport: 'tcp', remote: '127.0.0.1:50000', local: '127.0.0.1:1883', openedAtMs: Date.now() }, true);
  const publish = Buffer.concat([Buffer.from([0x30, 0x85, 0x08, 0x00, 0x03]), Buffer.from('a/b'), Buffer.alloc(1024, 7)]);
  for (let i = 0; i < 3000; i++) store.importFrame(conn, false, 'packet', i * 1000, publish, null);
  await writeTraceFile(recorder, big);

  // Open: the page suggests a name, the user picks the file in the dialog, core reads that file.
  dialogAnswers.open = big;
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 40, method: 'traceFileOpen', params: { openFile: 'capture.mqtrace', transfer: 'open-1' } });
  const opened = await reply(40);
  assert.equal(opened.ok, true, JSON.stringify(opened.error));
  assert.equal(opened.result.name, 'big.mqtrace');
  assert.equal(opened.result.stats.frames, 3000);
  assert.match(dialogs.at(-1)!, /Allow MQScope to read the trace file to open/);
  const size = (await stat(big)).size;
  assert.deepEqual(progress('open-1').at(-1), { transfer: 'open-1', done: size, total: size, unit: 'bytes' });
  assert.ok(sent.some((m) => (m as { name?: string }).name === 'traceDocOpened'), 'the window is told to show the new document');

  // Cancel: sent by the page when the first progress event arrives; nothing is opened.
  const docsBefore = opened.result.id;
  onSent = (m) => {
    if ((m as { name?: string }).name === 'traceFileProgress' && (m as { payload: { transfer: string } }).payload.transfer === 'open-2') {
      onSent = undefined;
      ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 42, method: 'traceFileCancel', params: { transfer: 'open-2' } });
    }
  };
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 41, method: 'traceFileOpen', params: { openFile: 'capture.mqtrace', transfer: 'open-2' } });
  const cancelled = await reply(41);
  assert.deepEqual({ ok: cancelled.ok, code: cancelled.error?.code }, { ok: false, code: 'cancelled' });
  assert.deepEqual((await reply(42)).result, { cancelled: true });
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 43, method: 'traceDocs' });
  assert.deepEqual((await reply(43)).result.map((d: { id: string }) => d.id), ['live', docsBefore]);

  // Save: a save dialog offers the suggested name and type; core writes where the user chose.
  const target = join(dataDir, 'chosen.mqtrace');
  dialogAnswers.save = target;
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 44, method: 'traceFileSave', params: { saveFile: 'capture-1.mqtrace', transfer: 'save-1', doc: docsBefore } });
  const saved = await reply(44);
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  assert.equal(saved.result.path, target);
  assert.equal(saved.result.frames, 3000);
  assert.equal(dialogs.at(-1), 'Choose the file to save the trace in [capture-1.mqtrace] (mqtrace)');
  assert.equal((await readTrace(target)).frames.length, 3000);
  assert.equal(progress('save-1').at(-1)?.done, 3000);

  // The user closing either dialog: declined, nothing read or written, and the path the page named unused.
  dialogAnswers.save = null;
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 45, method: 'traceFileSave', params: { saveFile: join(dataDir, 'page-chose.mqtrace'), transfer: 'save-2' } });
  const declined = await reply(45);
  assert.equal(declined.error?.code, 'declined');
  assert.match(declined.error!.message, /you did not choose the file to save the trace in .*so nothing was written/);
  dialogAnswers.open = null;
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id: 46, method: 'traceFileOpen', params: { openFile: big, transfer: 'open-3' } });
  assert.equal((await reply(46)).error?.code, 'declined', 'a file opened before is asked for again');
  assert.equal(existsSync(join(dataDir, 'page-chose.mqtrace')), false);
});
