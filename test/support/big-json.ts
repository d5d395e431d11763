// A ~5 MB one-line JSON array (as devices send it) whose last item carries END-OF-PAYLOAD-7f3a: the large
// payload e2e test and its bench load the same document.
export function bigJsonPayload(): Buffer {
  const items: unknown[] = [];
  let len = 0;
  for (let n = 0; len < 5_000_000; n++) {
    const it = { id: n, name: `sensor-${n}`, values: [n, n * 2, n * 3], ok: n % 2 === 0 };
    items.push(it);
    len += JSON.stringify(it).length + 1;
  }
  items.push({ end: 'END-OF-PAYLOAD-7f3a' });
  return Buffer.from(JSON.stringify(items));
}
