// The whole bridge: two functions over one pair of channels. Nothing else of Node or Electron reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../../shared/contract/api';
import type { Envelope } from '../../shared/contract/rpc';

contextBridge.exposeInMainWorld('mqscope', {
  send(msg: Envelope) { ipcRenderer.send(IPC_CALL, msg); },
  onMessage(handler: (msg: Envelope) => void) {
    const listener = (_e: IpcRendererEvent, msg: Envelope) => handler(msg);
    ipcRenderer.on(IPC_EVENT, listener);
    return () => { ipcRenderer.removeListener(IPC_EVENT, listener); };
  },
});
