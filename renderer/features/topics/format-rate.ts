// Rates and counts in few characters: 0.3/s, 12/s, 1.2k/s; bytes as B/s, kB/s, MB/s.
export function perSecond(n: number): string {
  if (n === 0) return '–';
  if (n < 10) return `${n.toFixed(1)}/s`;
  if (n < 10_000) return `${Math.round(n)}/s`;
  return `${(n / 1000).toFixed(1)}k/s`;
}

export function bytesPerSecond(n: number): string {
  if (n === 0) return '–';
  if (n < 1000) return `${Math.round(n)} B/s`;
  if (n < 1e6) return `${(n / 1000).toFixed(1)} kB/s`;
  return `${(n / 1e6).toFixed(1)} MB/s`;
}

export function count(n: number): string {
  return n.toLocaleString('en');
}
