// The one quoting helper for every remote command. Remote /bin/sh may be dash: POSIX single quotes only.

/** Quote one value as a single POSIX shell word. */
export function q(value: unknown): string {
  const s = String(value);
  if (s !== '' && /^[A-Za-z0-9_\-+=.,/:@%^]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Tagged template: interpolated values are quoted, literal parts are kept. Arrays become several words. */
export function sh(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0];
  values.forEach((v, i) => {
    out += Array.isArray(v) ? v.map(q).join(' ') : q(v);
    out += strings[i + 1];
  });
  return out;
}

/** Run a script under /bin/sh -c with the script quoted (for become wrappers and batching). */
export function shC(script: string): string {
  return `/bin/sh -c ${q(script)}`;
}
