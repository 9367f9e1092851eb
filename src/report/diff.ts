// Unified diffs of planned file changes (--diff), like Ansible's: `--- before: PATH` / `+++ after: PATH`.
import { structuredPatch } from 'diff';
import pc from 'picocolors';
import type { FileDiff } from '../types.js';

export function unifiedDiff(d: FileDiff, color = false): string {
  const p = d.path ?? '';
  const patch = structuredPatch(`before: ${p}`, `after: ${p}`, d.before, d.after, '', '', { context: 3 });
  if (patch.hunks.length === 0) return '';
  const out: string[] = [];
  const paint = (s: string, f: (x: string) => string) => (color ? f(s) : s);
  out.push(paint(`--- ${patch.oldFileName}`, pc.red), paint(`+++ ${patch.newFileName}`, pc.green));
  for (const h of patch.hunks) {
    out.push(paint(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, pc.cyan));
    for (const line of h.lines) {
      if (line.startsWith('\\')) out.push(line);
      else if (line[0] === '+') out.push(paint(line, pc.green));
      else if (line[0] === '-') out.push(paint(line, pc.red));
      else out.push(line);
    }
  }
  return out.join('\n') + '\n';
}
