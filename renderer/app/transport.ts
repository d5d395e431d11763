// The one way the renderer reaches core: Electron's preload bridge when present, else a loopback WebSocket
// to the headless web host. Both carry the same Envelopes (shared/contract/rpc.ts).
import type { Envelope, Transport } from '../../shared/contract/rpc';

interface PreloadBridge {
  send(msg: Envelope): void;
  onMessage(cb: (msg: Envelope) => void): () => void;
}

declare global {
  interface Window { mqscope?: PreloadBridge }
}

export interface CoreLink {
  kind: 'electron' | 'websocket';
  transport: Transport;
  /** Resolves when messages can flow; rejects with a plain-words reason. */
  ready: Promise<void>;
  /** Called once if the link drops after (or instead of) opening. */
  onClose(cb: (reason: string) => void): void;
}

const TOKEN_KEY = 'mqscope.token';

/** Reads `#token=...` once, keeps it in sessionStorage so reloads work, and hides it from the address bar. */
export function takeToken(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    const token = decodeURIComponent(m[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function electronLink(bridge: PreloadBridge): CoreLink {
  return {
    kind: 'electron',
    transport: { send: (m) => bridge.send(m), onMessage: (h) => bridge.onMessage(h) },
    ready: Promise.resolve(),
    onClose: () => { /* IPC lives as long as the window */ },
  };
}

function websocketLink(): CoreLink {
  const token = takeToken() ?? '';
  const ws = new WebSocket(`ws://${location.host}/rpc?token=${encodeURIComponent(token)}`);
  const queue: string[] = [];
  const handlers = new Set<(m: Envelope) => void>();
  const closeCbs: ((reason: string) => void)[] = [];
  let opened = false;
  let closed = false;
  const ready = new Promise<void>((resolve, reject) => {
    ws.onopen = () => {
      opened = true;
      for (const text of queue.splice(0)) ws.send(text);
      resolve();
    };
    ws.onclose = (ev) => {
      if (closed) return;
      closed = true;
      const reason = opened
        ? `the connection closed${ev.reason ? ` (${ev.reason})` : ''}`
        : token ? 'the core refused the connection (is the token still valid?)' : 'no access token in the URL (open the link that `npm run web` printed)';
      if (!opened) reject(new Error(reason));
      closeCbs.forEach((cb) => cb(reason));
    };
  });
  ws.onmessage = (ev) => {
    if (typeof ev.data !== 'string') return;
    let msg: Envelope;
    try { msg = JSON.parse(ev.data) as Envelope; } catch { return; }
    handlers.forEach((h) => h(msg));
  };
  return {
    kind: 'websocket',
    transport: {
      send(msg) {
        const text = JSON.stringify(msg);
        if (closed) throw new Error('connection to MQScope core closed');
        if (opened) ws.send(text); else queue.push(text);
      },
      onMessage(h) { handlers.add(h); return () => handlers.delete(h); },
    },
    ready,
    onClose: (cb) => { closeCbs.push(cb); },
  };
}

export function openCoreLink(): CoreLink {
  return window.mqscope ? electronLink(window.mqscope) : websocketLink();
}
