// The probe-section protocol of facts and modules: one probe exec prints several answers, each
// after a marker line. A section named `content` (or starting with `content`) takes everything
// after its marker, so file content (which may lack a final newline) always goes last.

/** The modules' marker; the facts probe has its own (src/facts/script.ts), parsed the same way. */
export const TAG = '@@lvsplay:';

/** Shell that prints a section marker on its own line (a newline first, in case output before it was unterminated). */
export function mark(name: string, tag = TAG): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`internal: bad section name ${name}`);
  return `printf '\\n${tag}${name}\\n'`;
}

/** The sections of a probe's output by name (each printed after its marker). */
export function sections(stdout: string, tag = TAG): Map<string, string> {
  const out = new Map<string, string>();
  const text = stdout;
  const findMarker = (t: string, from: number): number => {
    let i = t.indexOf(tag, from);
    while (i !== -1 && i > 0 && t[i - 1] !== '\n') i = t.indexOf(tag, i + 1);
    return i;
  };
  let pos = findMarker(text, 0);
  while (pos !== -1) {
    const eol = text.indexOf('\n', pos);
    const name = text.slice(pos + tag.length, eol === -1 ? text.length : eol).trim();
    const bodyStart = eol === -1 ? text.length : eol + 1;
    if (name.startsWith('content')) {
      out.set(name, text.slice(bodyStart));
      break;
    }
    const next = findMarker(text, bodyStart);
    const body = text.slice(bodyStart, next === -1 ? text.length : next);
    out.set(name, body.replace(/\n+$/, ''));
    pos = next;
  }
  return out;
}

/** Whitespace-normalised value (sysctl and friends). */
export function norm(s: string): string {
  return s.trim().split(/\s+/).join(' ');
}
