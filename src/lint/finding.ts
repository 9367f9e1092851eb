// A finding of `lvsplay check`: where (FILE:LINE:COL of the inventory, task, template or
// keepalived.conf line it comes from), how bad, and what to do.
import type { Pos } from '../errors.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  pos: Pos;
  severity: Severity;
  rule: string; // short id, e.g. 'vip-mismatch'
  message: string;
  host?: string; // the host the finding is about, when it is about one
}

export function formatFinding(f: Finding): string {
  const where = `${f.pos.file}:${f.pos.line}:${f.pos.col}`;
  return `${where}: ${f.severity}: ${f.host ? `${f.host}: ` : ''}${f.message} [${f.rule}]`;
}

/** Sort by file, line, column; the same finding seen from several hosts becomes one naming them all. */
export function sortFindings(list: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of list) {
    const key = `${f.pos.file}:${f.pos.line}:${f.pos.col}:${f.severity}:${f.message}`;
    const prev = byKey.get(key);
    if (!prev) byKey.set(key, { ...f });
    else if (f.host && prev.host && !prev.host.split(', ').includes(f.host)) prev.host = `${prev.host}, ${f.host}`;
  }
  return [...byKey.values()].sort(
    (a, b) => a.pos.file.localeCompare(b.pos.file) || a.pos.line - b.pos.line || a.pos.col - b.pos.col,
  );
}
