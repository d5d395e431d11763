// The one window: sandboxed, isolated, no Node, no navigation, no remote content.
import { BrowserWindow, nativeTheme, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function createWindow(appDir: string): BrowserWindow {
  const indexUrl = pathToFileURL(join(appDir, 'renderer', 'index.html')).toString();
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    title: 'MQScope',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1f22' : '#ffffff',
    webPreferences: {
      preload: join(appDir, 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const ours = (url: string) => url.startsWith(pathToFileURL(join(appDir, 'renderer')).toString());
  win.webContents.on('will-navigate', (e, url) => { if (url !== indexUrl) e.preventDefault(); });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to docs open in the user's browser, never inside the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, done) => done(false));
  session.defaultSession.webRequest.onBeforeRequest((details, done) => {
    const allowed = ours(details.url) || details.url.startsWith('devtools://') || details.url.startsWith('blob:') || details.url.startsWith('data:');
    done({ cancel: !allowed });
  });
  void win.loadURL(indexUrl);
  return win;
}

export function isOurFrame(url: string, appDir: string): boolean {
  return url.startsWith(pathToFileURL(join(appDir, 'renderer')).toString());
}
