// Read-only monaco diff of two texts (previous vs current message on a topic).
import { useEffect, useRef, useState } from 'react';
import { loadMonaco, type Monaco } from './monaco';

interface Props { original: string; modified: string; language?: string; testId?: string }

export function DiffEditor({ original, modified, language = 'plaintext', testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<Monaco.editor.IStandaloneDiffEditor | null>(null);
  const [monaco, setMonaco] = useState<typeof Monaco | null>(null);

  useEffect(() => {
    let disposed = false;
    void loadMonaco().then((m) => { if (!disposed) setMonaco(m); });
    return () => { disposed = true; };
  }, []);

  useEffect(() => {
    if (!monaco) return;
    const editor = monaco.editor.createDiffEditor(host.current!, {
      readOnly: true,
      automaticLayout: true,
      renderSideBySide: true,
      minimap: { enabled: false },
      fontSize: 12,
      scrollBeyondLastLine: false,
      originalEditable: false,
    });
    ed.current = editor;
    return () => {
      const m = editor.getModel();
      editor.dispose();
      m?.original.dispose();
      m?.modified.dispose();
      ed.current = null;
    };
  }, [monaco]);

  useEffect(() => {
    const editor = ed.current;
    if (!editor || !monaco) return;
    const old = editor.getModel();
    editor.setModel({
      original: monaco.editor.createModel(original, language),
      modified: monaco.editor.createModel(modified, language),
    });
    old?.original.dispose();
    old?.modified.dispose();
  }, [monaco, original, modified, language]);

  return <div className="code-editor" ref={host} data-testid={testId} />;
}
