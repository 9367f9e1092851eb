// Probe output in sections: one probe exec prints several answers, each after a marker line.
// A section named `content` (or starting with `content`) takes everything after its marker, so
// file content (which may lack a final newline) always goes last.

const TAG = '@@lvsplay:';

/** Shell that prints a section marker on its own line (a newline first, in case output before it was unterminated). */
export function mark(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`internal: bad section name ${name}`);
  return `printf '\\n${TAG}${name}\\n'`;
}

export function sections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  const text = stdout;
  let pos = findMarker(text, 0);
  while (pos !== -1) {
    const eol = text.indexOf('\n', pos);
    const name = text.slice(pos + TAG.length, eol === -1 ? text.length : eol);
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

function findMarker(text: string, from: number): number {
  let i = text.indexOf(TAG, from);
  while (i !== -1 && i > 0 && text[i - 1] !== '\n') i = text.indexOf(TAG, i + 1);
  return i;
}

/** Whitespace-normalised value (sysctl and friends). */
export function norm(s: string): string {
  return s.trim().split(/\s+/).join(' ');
}
