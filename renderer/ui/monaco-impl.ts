// Monaco from the local package (no CDN): the editor API, its standard features, JSON language support,
// and workers bundled by build/build-renderer.mjs as editor.worker.js and json.worker.js next to app.js.
// Loaded only through ./monaco's loadMonaco(), so it is a lazy chunk the first screen never parses.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/features/json/register';

interface MonacoEnv {
  getWorkerUrl(moduleId: string, label: string): string;
  getWorker(moduleId: string, label: string): Worker;
}

function workerUrl(label: string): string {
  const file = label === 'json' ? 'json.worker.js' : 'editor.worker.js';
  return new URL(file, document.baseURI).toString();
}

(self as unknown as { MonacoEnvironment: MonacoEnv }).MonacoEnvironment = {
  getWorkerUrl: (_moduleId, label) => workerUrl(label),
  getWorker: (_moduleId, label) => new Worker(workerUrl(label), { name: label }),
};

export { monaco };
