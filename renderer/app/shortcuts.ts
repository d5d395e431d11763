// Global keyboard shortcuts. Listed in the help overlay (F1), so they are discoverable.
import { useEffect } from 'react';
import { useApp } from './store';
import { nextThemePref } from './theme';
import type { ViewId } from './ui-slice';

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Ctrl+1 … Ctrl+6', what: 'Connections, Messages, Broker, Trace, Flows, Topics' },
  { keys: 'Ctrl+Enter', what: 'Publish the message in the editor' },
  { keys: 'Ctrl+Shift+F', what: 'Search messages' },
  { keys: 'Ctrl+Shift+P', what: 'Pause / resume the message list' },
  { keys: 'Ctrl+Shift+L', what: 'Theme: system → light → dark' },
  { keys: 'F1', what: 'Show this list' },
  { keys: 'Esc', what: 'Close dialogs' },
  { keys: '↑ ↓ PgUp PgDn Home End', what: 'Move through a focused list' },
];

const VIEWS: ViewId[] = ['connections', 'messages', 'broker', 'trace', 'flows', 'topics'];

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useApp.getState();
      const mod = e.ctrlKey || e.metaKey;
      if (e.key === 'F1') { e.preventDefault(); s.setHelpOpen(!s.helpOpen); return; }
      if (e.key === 'Escape' && s.helpOpen) { s.setHelpOpen(false); return; }
      if (!mod) return;
      if (!e.shiftKey && /^[1-6]$/.test(e.key)) { e.preventDefault(); s.setView(VIEWS[Number(e.key) - 1]); return; }
      if (e.shiftKey && e.code === 'KeyL') { e.preventDefault(); s.setThemePref(nextThemePref(s.themePref)); return; }
      if (e.shiftKey && e.code === 'KeyF') {
        e.preventDefault();
        s.setView('messages');
        requestAnimationFrame(() => (document.querySelector('[data-testid="msg-search"]') as HTMLInputElement | null)?.focus());
        return;
      }
      if (e.shiftKey && e.code === 'KeyP' && s.activeSessionId) {
        e.preventDefault();
        (document.querySelector('[data-testid="msg-pause"]') as HTMLButtonElement | null)?.click();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
