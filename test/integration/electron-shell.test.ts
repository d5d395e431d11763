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
const appHandlers = new Map<string, (...a: unknown[]) => void>();
const schemes: unknown[] = [];
const protocolHandlers = new Map<string, (req: { url: string }) => Promise<Response>>();
const ses: { permissionRequest?: (...a: unknown[]) => void; permissionCheck?: (...a: unknown[]) => unknown; beforeRequest?: (d: { url: string; resourceType?: string }, done: (r: { cancel: boolean }) => void) => void } = {};
const opened: string[] = [];
const dialogAnswers = { confirm: false, pick: null as string | null };
const dialogsShown: string[] = [];
let menuTemplate: { label?: string; role?: string; submenu?: { role?: string }[] }[] = [];

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
        setWindowOpenHandler: (h: (d: { url: string }) => unknown) => { w.openHandler = h; },
        send: (_channel: string, msg: unknown) => sent.push(msg),
      };
      (this as unknown as { loadURL: (u: string) => Promise<void> }).loadURL = async (u: string) => { w.url = u; };
    }
    isDestroyed() { return false; }
  },
  nativeTheme: { shouldUseDarkColors: false },
  session: { defaultSession: {
    setPermissionRequestHandler: (h: (...a: unknown[]) => void) => { ses.permissionRequest = h; },
    setPermissionCheckHandler: (h: (...a: unknown[]) => unknown) => { ses.permissionCheck = h; },
    webRequest: { onBeforeRequest: (h: typeof ses.beforeRequest) => { ses.beforeRequest = h; } },
  } },
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => schemes.push(...s),
    handle: (scheme: string, h: (req: { url: string }) => Promise<Response>) => protocolHandlers.set(scheme, h),
  },
  shell: { openExternal: async (url: string) => { opened.push(url); } },
  safeStorage: { isEncryptionAvailable: () => true, encryptString: (s: string) => Buffer.from(`enc:${s}`), decryptString: (b: Buffer) => b.toString().slice(4) },
  Menu: { setApplicationMenu: () => {}, buildFromTemplate: (t: typeof menuTemplate) => { menuTemplate = t; return t; } },
  dialog: {
    showMessageBox: async (_w: unknown, o: { title: string }) => { dialogsShown.push(`confirm: ${o.title}`); return { response: dialogAnswers.confirm ? 1 : 0 }; },
    showOpenDialog: async (_w: unknown, o: { title: string }) => { dialogsShown.push(`pick: ${o.title}`); return dialogAnswers.pick ? { canceled: false, filePaths: [dialogAnswers.pick] } : { canceled: true, filePaths: [] }; },
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

test('the window is sandboxed and isolated, loads our page, and cannot navigate or open windows', () => {
  assert.equal(sandboxEnabled, true);
  const w = windows[0];
  assert.deepEqual(
    { contextIsolation: w.options.webPreferences.contextIsolation, sandbox: w.options.webPreferences.sandbox, nodeIntegration: w.options.webPreferences.nodeIntegration },
    { contextIsolation: true, sandbox: true, nodeIntegration: false },
  );
  assert.equal(w.url, 'app://mqscope/index.html');
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
  const ours = { senderFrame: { url: 'app://mqscope/index.html' } };
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
  const ours = { senderFrame: { url: 'app://mqscope/index.html' } };
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

// ---- issue 9, finding 8 ----

const ours = { senderFrame: { url: 'app://mqscope/index.html' } };
async function call(id: number, method: string, params?: unknown): Promise<{ ok: boolean; result?: unknown; error?: { message: string } }> {
  ipcMain.emit(IPC_CALL, ours, { t: 'req', id, method, params });
  return waitFor(() => sent.find((m) => (m as { id?: number }).id === id) as { ok: boolean; error?: { message: string } } | undefined, { what: `answer ${id}` });
}

test('the renderer comes from app://mqscope/ (a privileged standard scheme), not file://; files outside it are not served', async () => {
  assert.deepEqual(schemes, [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  const serve = protocolHandlers.get('app')!;
  const page = await serve({ url: 'app://mqscope/index.html' });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  for (const url of ['app://mqscope/../../package.json', 'app://mqscope/%2e%2e/%2e%2e/package.json', 'app://other/index.html', 'app://mqscope/%', 'app://mqscope/nope.js']) {
    assert.notEqual((await serve({ url })).status, 200, url);
  }
});

test('IPC sender and request checks are exact: look-alike paths and origins are refused', async () => {
  for (const url of ['file:///x/dist/renderer-evil/x.html', pathToFileURL(join(root, 'dist/renderer/index.html')).toString(), 'app://mqscope/evil.html', 'app://mqscope.evil/index.html', 'app://u:p@mqscope/index.html']) {
    const id = 100 + Math.floor(Math.random() * 1e6);
    ipcMain.emit(IPC_CALL, { senderFrame: { url } }, { t: 'req', id, method: 'hostInfo' });
    await call(id + 1e7, 'hostInfo');
    assert.equal(sent.some((m) => (m as { id?: number }).id === id), false, url);
  }
  const allowed = (url: string, type?: string) => { let r = true; ses.beforeRequest!({ url, resourceType: type }, (x) => { r = !x.cancel; }); return r; };
  assert.equal(allowed('app://mqscope/assets/index.js', 'script'), true);
  assert.equal(allowed('blob:app://mqscope/1234', 'other'), true);
  assert.equal(allowed('data:font/woff2;base64,AAAA', 'font'), true);
  assert.equal(allowed('data:text/html,<script>1</script>', 'subFrame'), false);
  assert.equal(allowed('blob:https://evil.example/1', 'other'), false);
  assert.equal(allowed('file:///etc/passwd', 'xhr'), false);
  assert.equal(allowed('https://evil.example/x.js', 'script'), false);
  assert.equal(allowed('devtools://devtools/bundled/x', 'other'), false, 'no DevTools in a packaged build');
});

test('navigation, redirects, webviews, permissions, external links and DevTools are locked down', () => {
  const w = windows[0];
  assert.equal(w.options.webPreferences.devTools, false);
  assert.equal(w.options.webPreferences.webviewTag, false);
  let prevented = 0;
  const ev = (url?: string) => ({ url, preventDefault: () => { prevented++; } });
  w.handlers.get('will-frame-navigate')!(ev('https://evil.example/'));
  w.handlers.get('will-frame-navigate')!(ev('app://mqscope/index.html'));
  w.handlers.get('will-redirect')!(ev(), 'https://evil.example/');
  w.handlers.get('will-attach-webview')!(ev(), {}, {});
  assert.equal(prevented, 3);
  assert.equal(typeof appHandlers.get('web-contents-created'), 'function', 'every web contents gets the same locks');
  let granted: boolean | undefined;
  ses.permissionRequest!({}, 'media', (ok: boolean) => { granted = ok; });
  assert.equal(granted, false);
  assert.equal(ses.permissionCheck!({}, 'clipboard-read'), false);
  for (const url of ['https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html', 'https://evil.example/', 'http://mqtt.org/', 'file:///etc/passwd', 'ms-msdt:/id PCWDiagnostic', 'https://user:pw@github.com/', 'https://github.com:8443/']) {
    assert.deepEqual(w.openHandler!({ url }), { action: 'deny' });
  }
  assert.deepEqual(opened, ['https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html']);
  const view = menuTemplate.find((m) => m.label === 'View')!;
  assert.equal(view.submenu!.some((i) => i.role === 'toggleDevTools'), false);
});

test('the bridge cannot open the broker to the network or name files without the user answering a dialog', async () => {
  const cfg = { host: '0.0.0.0', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null };
  dialogAnswers.confirm = false;
  const no = await call(300, 'brokerStart', { config: cfg });
  assert.equal(no.ok, false);
  assert.match(no.error!.message, /needs your consent in the dialog; it was not given/);
  assert.ok(dialogsShown.includes('confirm: Open the broker to the network?'));
  dialogAnswers.confirm = true;
  const yes = await call(301, 'brokerStart', { config: { ...cfg, host: '127.0.0.1' } });
  assert.equal(yes.ok, true, 'loopback needs no consent');
  // A TLS path typed into the page: the user must pick it in a file dialog; cancelling refuses the call.
  dialogAnswers.pick = null;
  const tls = await call(302, 'brokerStart', { config: { ...cfg, host: '127.0.0.1', tls: { port: 0, certPath: '/etc/shadow', keyPath: '/etc/shadow' } } });
  assert.equal(tls.ok, false);
  assert.match(tls.error!.message, /TLS certPath was not chosen in the file dialog/);
  const session = await call(303, 'sessionOpen', { options: { name: 's', url: 'mqtts://127.0.0.1:1', protocolVersion: 4, clientId: 'x', keepalive: 30, clean: true, connectTimeoutMs: 1000, tls: { caPath: '/root/.ssh/id_rsa', rejectUnauthorized: true } } });
  assert.equal(session.ok, false);
  assert.match(session.error!.message, /TLS caPath was not chosen/);
  assert.ok(dialogsShown.some((d) => d.startsWith('pick: Choose the TLS file')));
  await call(304, 'brokerStop');
});

test('fuses: the build flips RunAsNode, NODE_OPTIONS and --inspect off, cookie encryption on (checked on a binary with a fuse wire)', async () => {
  const { writeFile, readFile } = await import('node:fs/promises');
  const { applyFuses } = await import('../../build/fuses.mjs');
  const bin = join(dataDir, 'electron-stand-in');
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  await writeFile(bin, Buffer.concat([Buffer.from('ELF...'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('01111111'), Buffer.from('...')]));
  await applyFuses(bin);
  const b = await readFile(bin);
  const wire = b.subarray(b.indexOf(SENTINEL) + SENTINEL.length + 2, b.indexOf(SENTINEL) + SENTINEL.length + 10).toString();
  // RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, OnlyAsar, V8Snapshot, FileProtocolPrivileges
  assert.equal(wire, '01001110');
});
