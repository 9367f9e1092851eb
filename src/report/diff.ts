// Unified diffs of planned file changes (--diff), like Ansible's: `--- before: PATH` / `+++ after: PATH`.
import { structuredPatch } from 'diff';
import { paint as P } from './color.js';
import type { FileDiff } from '../types.js';

/** difflib's _format_range_unified: `3` for one line, `2,0` for none, `1,4` otherwise. */
function range(start: number, len: number): string {
  if (len === 1) return String(start);
  if (len === 0) return `${start - 1},0`; // jsdiff counts an empty range from the next line
  return `${start},${len}`;
}

export function unifiedDiff(d: FileDiff, color = false): string {
  // as Ansible's _get_diff: `before: HEADER`, or `before` alone for a diff without a header
  const head = (w: string) => (d.path === undefined ? w : `${w}: ${d.path}`);
  const patch = structuredPatch(head('before'), head('after'), d.before, d.after, '', '', { context: 3 });
  if (patch.hunks.length === 0) return '';
  const out: string[] = [];
  const paint = (s: string, f: (x: string) => string) => (color ? f(s) : s);
  out.push(paint(`--- ${patch.oldFileName}`, P('diffRemove')), paint(`+++ ${patch.newFileName}`, P('diffAdd')));
  for (const h of patch.hunks) {
    out.push(paint(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`, P('diffLines')));
    for (const line of h.lines) {
      if (line.startsWith('\\')) out.push(line);
      else if (line[0] === '+') out.push(paint(line, P('diffAdd')));
      else if (line[0] === '-') out.push(paint(line, P('diffRemove')));
      else out.push(line);
    }
  }
  return out.join('\n') + '\n';
}
