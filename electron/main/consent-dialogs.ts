// The native dialogs behind Consent (consent.ts): a file dialog to confirm a path, a question for the network.
import { dialog, type BrowserWindow } from 'electron';
import { extname } from 'node:path';
import type { ConsentAsker } from './consent';

export function dialogAsker(win: () => BrowserWindow | null): ConsentAsker {
  return {
    async choosePath(purpose, kind, suggested, extensions) {
      const w = win();
      if (kind === 'save') {
        // Offer the type the page suggested (.mqtrace or .pcap); the system asks before replacing a file.
        const ext = extname(suggested).slice(1);
        const save: Electron.SaveDialogOptions = {
          title: `Choose ${purpose}`,
          defaultPath: suggested,
          filters: ext ? [{ name: `${ext} file`, extensions: [ext] }] : [],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        };
        const r = w ? await dialog.showSaveDialog(w, save) : await dialog.showSaveDialog(save);
        return r.canceled || !r.filePath ? null : r.filePath;
      }
      const opts: Electron.OpenDialogOptions = {
        title: `Allow MQScope to read ${purpose}`,
        message: `MQScope reads only files you choose here. Confirm ${purpose}:`,
        defaultPath: suggested,
        properties: kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'],
        filters: extensions ? [{ name: extensions.map((e) => `.${e}`).join(', '), extensions }] : [],
      };
      const r = w ? await dialog.showOpenDialog(w, opts) : await dialog.showOpenDialog(opts);
      return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
    },
    async allowExposure(hosts) {
      const opts: Electron.MessageBoxOptions = {
        type: 'warning',
        title: 'Open the broker to the network?',
        message: `Start the embedded broker on ${hosts.join(', ')}?`,
        detail: 'Other machines on your network will be able to connect to it. 127.0.0.1 keeps it on this computer.',
        buttons: ['Keep it local', 'Open to the network'],
        defaultId: 0,
        cancelId: 0,
      };
      const w = win();
      const r = w ? await dialog.showMessageBox(w, opts) : await dialog.showMessageBox(opts);
      return r.response === 1;
    },
  };
}
