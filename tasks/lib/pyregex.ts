// Python `re` patterns and replacement templates (what Ansible's modules take) on JavaScript RegExps:
// (?P<n>...), (?P=n), leading inline flags (?ims), \A and \Z, Python's `$` (also before a final
// newline), and re.sub's templates (\1, \g<n>, \g<name>, \n, \t, \\).
import { TaskError } from '../../src/errors.js';

/** A JavaScript RegExp for a Python pattern; `flags` are extra JS flags (e.g. 'm' for re.MULTILINE). */
export function pyRegExp(src: string, flags = '', what = 'regexp'): RegExp {
  let f = new Set(flags);
  let s = src;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(s);
  if (inline) {
    for (const c of inline[1]) if ('ims'.includes(c)) f.add(c);
    s = s.slice(inline[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1] ?? '';
      i++;
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += c + n;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (s[i + 1] === '^') out += s[++i];
      if (s[i + 1] === ']') out += `\\${s[++i]}`;
    } else if (s.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (s.startsWith('(?P=', i)) {
      const end = s.indexOf(')', i);
      out += `\\k<${s.slice(i + 4, end)}>`;
      i = end;
    } else if (c === '$' && !f.has('m')) {
      out += '(?=\\n?(?![\\s\\S]))';
    } else out += c;
  }
  f = new Set([...f].filter((c) => 'dgimsy'.includes(c)));
  try {
    return new RegExp(out, [...f].join(''));
  } catch (e) {
    throw new TaskError(`${what} is not a valid regular expression: ${(e as Error).message}`);
  }
}

/** Python's match.expand(template): \1, \g<1>, \g<name>, and the escapes \n \t \r \\ . */
export function expandTemplate(template: string, m: RegExpExecArray | RegExpMatchArray): string {
  return template.replace(/\\(?:(\d{1,2})|g<(\w+)>|(.))/gs, (all, num: string | undefined, g: string | undefined, esc: string | undefined) => {
    if (num !== undefined) return m[Number(num)] ?? '';
    if (g !== undefined) return (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? '';
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', f: '\f', v: '\v', a: '\x07', b: '\b' };
    if (esc! in map) return map[esc!];
    if (/[A-Za-z]/.test(esc!)) throw new TaskError(`bad escape \\${esc} in the replacement ${JSON.stringify(template)}`);
    return all;
  });
}

/** re.subn(pattern, template, text): the new text and the number of replacements. */
export function pySubn(re: RegExp, template: string, text: string): [string, number] {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  let n = 0;
  const out = text.replace(g, (...args: unknown[]) => {
    n++;
    const hasGroups = typeof args[args.length - 1] === 'object';
    const groups = hasGroups ? (args[args.length - 1] as Record<string, string>) : undefined;
    const m = args.slice(0, hasGroups ? -3 : -2) as unknown as RegExpMatchArray;
    m.groups = groups;
    return expandTemplate(template, m);
  });
  return [out, n];
}
