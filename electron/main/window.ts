// The one window: sandboxed, isolated, no Node, no navigation, no remote content, our app:// origin only.
import { app, BrowserWindow, nativeTheme, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { INDEX_URL, isOurPage, isOurResource } from './app-protocol';
import { isAllowedExternal } from './links';

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
      // DevTools only in development: a packaged app gives no console to paste code into.
      devTools: !app.isPackaged,
    },
  });
  lockDown(win.webContents);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _perm, done) => done(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, done) => done({ cancel: !requestAllowed(details.url, details.resourceType, app.isPackaged) }));
  void win.loadURL(INDEX_URL);
  return win;
}

/** Navigation, redirects, new windows and webviews: none, whatever the page tries. */
export function lockDown(wc: WebContents): void {
  wc.on('will-navigate', (e, url) => { if (!isOurPage(url)) e.preventDefault(); });
  wc.on('will-frame-navigate', (e: { url: string; preventDefault(): void }) => { if (!isOurPage(e.url)) e.preventDefault(); });
  wc.on('will-redirect', (e) => e.preventDefault());
  wc.on('will-attach-webview', (e) => e.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    // Links to docs open in the user's browser, never inside the app; only allow-listed https hosts.
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Requests the page may make: our origin; blob: of our origin (monaco's workers); data: images and fonts. */
export function requestAllowed(url: string, resourceType: string | undefined, packaged: boolean): boolean {
  if (isOurResource(url)) return true;
  if (url.startsWith('blob:')) return isOurResource(url.slice(5));
  if (url.startsWith('data:')) return resourceType === 'image' || resourceType === 'font';
  if (url.startsWith('devtools://')) return !packaged;
  return false;
}

/** IPC senders: exactly our page, nothing that merely starts like it. */
export function isOurFrame(url: string): boolean { return isOurPage(url); }
