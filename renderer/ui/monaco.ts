// The way to monaco: a ~4 MB chunk fetched and parsed the first time an editor is shown, not at start-up.
import type * as Monaco from 'monaco-editor/editor/editor.api';

export type { Monaco };
type MonacoApi = typeof Monaco;

let loading: Promise<MonacoApi> | null = null;
let loaded: MonacoApi | null = null;
let dark = false;

const themeName = () => (dark ? 'vs-dark' : 'vs');

export function loadMonaco(): Promise<MonacoApi> {
  loading ??= import('./monaco-impl').then(({ monaco }) => {
    loaded = monaco;
    monaco.editor.setTheme(themeName());
    return monaco;
  });
  return loading;
}

export function setMonacoTheme(isDark: boolean): void {
  dark = isDark;
  loaded?.editor.setTheme(themeName());
}
