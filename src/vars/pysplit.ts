// Python's str.split(sep=None, maxsplit=-1), for the filters that split as Ansible's Python does.

/** Python str.split(sep=None, maxsplit=-1). */
export function pySplit(s: string, sep?: unknown, maxsplit?: unknown): string[] {
  const max = typeof maxsplit === 'number' && maxsplit >= 0 ? maxsplit : Infinity;
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length) {
      if (out.length >= max) {
        out.push(rest.replace(/\s+$/, ''));
        return out;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const sp = String(sep);
  if (sp === '') throw new Error('empty separator');
  const parts = s.split(sp);
  if (parts.length - 1 <= max) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(sp)];
}
