// Read-only monaco diff of two texts (previous vs current message on a topic).
import { useEffect, useRef } from 'react';
import { monaco } from './monaco';

interface Props { original: string; modified: string; language?: string; testId?: string }

export function DiffEditor({ original, modified, language = 'plaintext', testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const ed = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);

  useEffect(() => {
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
    };
  }, []);

  useEffect(() => {
    const editor = ed.current!;
    const old = editor.getModel();
    editor.setModel({
      original: monaco.editor.createModel(original, language),
      modified: monaco.editor.createModel(modified, language),
    });
    old?.original.dispose();
    old?.modified.dispose();
  }, [original, modified, language]);

  return <div className="code-editor" ref={host} data-testid={testId} />;
}
