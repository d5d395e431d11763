// Light/dark: follows the OS (prefers-color-scheme) unless the user picked one. Sets data-theme on <html>
// and the monaco theme.
import { useEffect, useState } from 'react';
import { setMonacoTheme } from '../ui/monaco';
import { useApp } from './store';

const media = () => window.matchMedia('(prefers-color-scheme: dark)');

export function useResolvedTheme(): 'light' | 'dark' {
  const pref = useApp((s) => s.themePref);
  const [osDark, setOsDark] = useState(media().matches);
  useEffect(() => {
    const m = media();
    const on = () => setOsDark(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  const theme = pref === 'system' ? (osDark ? 'dark' : 'light') : pref;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    setMonacoTheme(theme === 'dark');
  }, [theme]);
  return theme;
}

export function nextThemePref(p: 'system' | 'light' | 'dark'): 'system' | 'light' | 'dark' {
  return p === 'system' ? 'light' : p === 'light' ? 'dark' : 'system';
}
