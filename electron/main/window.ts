// The one window: sandboxed, isolated, no Node, no navigation, no remote content, no permissions.
import { BrowserWindow, app, nativeTheme, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { APP_INDEX, APP_ORIGIN } from './app-protocol';

/** Links the app may hand to the user's browser; anything else is dropped. */
export const EXTERNAL_LINK_HOSTS = new Set(['docs.oasis-open.org', 'mqtt.org', 'github.com']);

export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && EXTERNAL_LINK_HOSTS.has(u.hostname) && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Our page, exactly: app://mqscope/index.html (a hash or query does not make another page). */
export function isOurPage(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}` === APP_INDEX;
  } catch {
    return false;
  }
}

/** Requests the renderer may make: our own files, our own blobs, inline images/fonts; devtools only unpackaged. */
export function isAllowedRequest(url: string, resourceType: string, packaged: boolean): boolean {
  if (url.startsWith(`${APP_ORIGIN}/`)) return true;
  if (url.startsWith(`blob:${APP_ORIGIN}/`)) return true;
  if (url.startsWith('data:')) return resourceType === 'image' || resourceType === 'font';
  if (url.startsWith('devtools://')) return !packaged;
  return false;
}

/** Navigation, redirects and webviews are refused for every web contents the app ever creates. */
export function lockDown(contents: WebContents): void {
  const stay = (e: { preventDefault(): void }, url: string) => { if (!isOurPage(url)) e.preventDefault(); };
  contents.on('will-navigate', stay);
  contents.on('will-frame-navigate', (e) => { if (!isOurPage(e.url)) e.preventDefault(); });
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function createWindow(appDir: string): BrowserWindow {
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
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  lockDown(win.webContents);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _perm, done) => done(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, done) => {
    done({ cancel: !isAllowedRequest(details.url, details.resourceType, app.isPackaged) });
  });
  void win.loadURL(APP_INDEX);
  return win;
}
