// Medians, ratios and the Markdown table the bench prints and writes.
export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function secs(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  if (x < 1) return `${Math.round(x * 1000)} ms`;
  return `${x.toFixed(2)} s`;
}

export function ratio(slow: number | undefined, fast: number | undefined): string {
  if (slow === undefined || fast === undefined || !Number.isFinite(slow) || !Number.isFinite(fast) || fast <= 0) return '-';
  const r = slow / fast;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}x`;
}

export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(w[i])).join(' | ')} |`;
  return [line(head), `| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
