// Session state, CONNACK result and errors in plain words.
import type { SessionInfo } from '../../../shared/contract/types';

export function stateWords(s: SessionInfo): string {
  switch (s.state) {
    case 'idle': return 'Not connected';
    case 'connecting': return 'Connecting…';
    case 'connected': return 'Connected';
    case 'reconnecting': return `Reconnecting (try ${s.reconnectTries})…`;
    case 'disconnected': return 'Disconnected';
    case 'failed': return 'Failed';
  }
}

export function connackWords(s: SessionInfo): string | null {
  const c = s.connack;
  if (!c) return null;
  const code = `0x${c.reasonCode.toString(16).padStart(2, '0')}`;
  const ok = c.reasonCode === 0;
  const reason = c.reason.charAt(0).toUpperCase() + c.reason.slice(1);
  return `${ok ? 'Broker accepted' : 'Broker refused'}: ${reason} (${code})${ok && c.sessionPresent ? ', resumed its stored session' : ''}`;
}

export const stateClass = (s: SessionInfo) => `state-${s.state}`;
