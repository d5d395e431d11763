// Variables for repeated publishes, in topic or payload: {{seq}} (1, 2, 3…), {{now}} (epoch ms),
// {{iso}} (ISO 8601 time), {{random}} (0 ≤ x < 1), {{randint}} (0–99).
export const VARIABLES = ['{{seq}}', '{{now}}', '{{iso}}', '{{random}}', '{{randint}}'];

export function expandVars(text: string, seq: number, nowMs = Date.now(), random = Math.random): string {
  return text.replace(/\{\{\s*(seq|now|iso|random|randint)\s*\}\}/g, (_, name: string) => {
    switch (name) {
      case 'seq': return String(seq);
      case 'now': return String(nowMs);
      case 'iso': return new Date(nowMs).toISOString();
      case 'random': return String(random());
      default: return String(Math.floor(random() * 100));
    }
  });
}
