// A monaco editor bound to a string value. Uncontrolled inside (monaco owns the text); `value` changes
// from outside replace the text only when they differ. Ctrl/Cmd+Enter calls onSubmit. Monaco arrives
// asynchronously (lazy chunk); whatever props changed meanwhile are applied when it does.
import { useEffect, useRef } from 'react';
import { loadMonaco, type Monaco } from './monaco';

interface Props {
  value: string;
  language?: string;
  readOnly?: boolean;
  onChange?(text: string): void;
  onSubmit?(): void;
  testId?: string;
  wordWrap?: boolean;
}

export function CodeEditor({ value, language = 'plaintext', readOnly, onChange, onSubmit, testId, wordWrap = true }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const api = useRef<typeof Monaco | null>(null);
  const cbs = useRef({ onChange, onSubmit });
  cbs.current = { onChange, onSubmit };
  const latest = useRef({ value, language, readOnly });
  latest.current = { value, language, readOnly };

  useEffect(() => {
    let disposed = false;
    let editor: Monaco.editor.IStandaloneCodeEditor | null = null;
    void loadMonaco().then((monaco) => {
      if (disposed || !host.current) return;
      api.current = monaco;
      const { value, language, readOnly } = latest.current;
      editor = monaco.editor.create(host.current, {
        value,
        language,
        readOnly,
        automaticLayout: true,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 12,
        lineNumbersMinChars: 3,
        wordWrap: wordWrap ? 'on' : 'off',
        renderLineHighlight: readOnly ? 'none' : 'line',
        tabSize: 2,
        fixedOverflowWidgets: true,
      });
      const e = editor;
      ed.current = e;
      e.onDidChangeModelContent(() => cbs.current.onChange?.(e.getValue()));
      e.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => cbs.current.onSubmit?.());
    });
    return () => {
      disposed = true;
      editor?.getModel()?.dispose();
      editor?.dispose();
      ed.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = ed.current;
    if (editor && editor.getValue() !== value) editor.setValue(value);
  }, [value]);

  useEffect(() => {
    const model = ed.current?.getModel();
    if (model && api.current) api.current.editor.setModelLanguage(model, language);
  }, [language]);

  useEffect(() => { ed.current?.updateOptions({ readOnly }); }, [readOnly]);

  return <div className="code-editor" ref={host} data-testid={testId} />;
}

/** Pretty-prints JSON text (the publish editor's "Format" button); throws on invalid JSON. */
export function formatJsonText(text: string): string {
  return JSON.stringify(JSON.parse(text), null, 2);
}
