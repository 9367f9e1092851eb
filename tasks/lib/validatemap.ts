// A validator's complaint about a rendered template, shown next to the template lines that
// produced it. Validators name the temp file and a line (keepalived: `(FILE: Line N) msg`; others
// `FILE:N:` or `line N`): that line of the rendered text is matched back to the template source.
import { isAbsolute, relative } from 'node:path';

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Template lines that can render to `rendered`: literal text must match, {{ }} and {% %} match anything. */
export function templateLinesFor(rendered: string, source: string): { line: number; col: number; text: string }[] {
  const want = rendered.trim();
  if (!want) return [];
  const out: { line: number; col: number; text: string; literal: number }[] = [];
  source.split('\n').forEach((text, i) => {
    const t = text.trim();
    if (!t || /^\{%[^]*%\}$|^\{#[^]*#\}$/.test(t)) return;
    const parts = t.split(/\{\{[^]*?\}\}|\{%[^]*?%\}|\{#[^]*?#\}/);
    const literal = parts.join('').trim().length;
    if (!literal && parts.length < 2) return;
    const re = new RegExp(`^${parts.map(esc).join('.*?')}$`);
    if (re.test(want)) out.push({ line: i + 1, col: text.length - text.trimStart().length + 1, text, literal });
  });
  const best = Math.max(0, ...out.map((o) => o.literal));
  return out.filter((o) => o.literal === best).map(({ line, col, text }) => ({ line, col, text }));
}

function shown(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
}

/**
 * Rewrite a validation failure: each `(TMP: Line N) message` becomes the message, the rendered line N
 * and the template line(s) it came from as FILE:LINE:COL. Unchanged when no line is named.
 */
export function explainValidation(msg: string, rendered: string, tplPath: string, tplSource: string): string {
  const lines = rendered.split('\n');
  const out: string[] = [];
  let mapped = false;
  for (const l of msg.split('\n')) {
    const m = /^\((\S+): Line (\d+)\)\s*(.*)$/.exec(l) ?? /^(\S+?):(\d+):\s*(.*)$/.exec(l);
    if (!m || !/lvsplay\.|tmp/i.test(m[1])) {
      out.push(l);
      continue;
    }
    const n = Number(m[2]);
    const r = lines[n - 1];
    if (r === undefined) {
      out.push(l);
      continue;
    }
    mapped = true;
    const from = templateLinesFor(r, tplSource);
    out.push(`${m[3]}`);
    out.push(`    rendered line ${n}: ${r.trim()}`);
    if (from.length) for (const f of from.slice(0, 3)) out.push(`    from ${shown(tplPath)}:${f.line}:${f.col}: ${f.text.trim()}`);
    else out.push(`    from ${shown(tplPath)} (no single template line produced it)`);
  }
  return mapped ? out.join('\n') : msg;
}
