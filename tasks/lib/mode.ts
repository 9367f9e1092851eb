// File modes: octal (string or YAML 1.1 octal number) and symbolic ('u=rw,g=r,o=r', 'a+x', 'u+X').
import { TaskError } from '../../src/errors.js';

/**
 * The wanted mode as an octal string without leading zeros ('644'), given the current mode
 * (undefined for a new file; then symbolic modes apply to 0644/0755) and whether it is a directory.
 */
export function wantedMode(mode: unknown, current: number | undefined, isDir: boolean): string | undefined {
  if (mode === undefined || mode === null || mode === '') return undefined;
  // YAML 1.1 (like Ansible) reads 0644 as the number 420: its octal digits are the mode.
  if (typeof mode === 'number') return fmt(mode);
  const s = String(mode).trim();
  if (/^0*[0-7]{1,4}$/.test(s)) return fmt(parseInt(s, 8)); // '01777' as Ansible's int(mode, 8)
  return fmt(symbolic(s, current ?? (isDir ? 0o755 : 0o644), isDir));
}

function fmt(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0o7777) throw new TaskError(`mode ${n} is out of range (0000-7777 octal)`);
  return n.toString(8);
}

const WHO: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007 };

/** chmod(1)'s symbolic modes, applied to `base`. */
export function symbolic(spec: string, base: number, isDir: boolean): number {
  let mode = base;
  for (const clause of spec.split(',')) {
    // one or more operations per clause, as chmod and Ansible read them: 'u+rwX-x'
    const m = /^([ugoa]*)((?:[-+=][rwxXst]*)+)$/.exec(clause.trim());
    if (!m) throw new TaskError(`mode '${spec}' is neither octal (0644) nor symbolic (u=rw,g=r,o=r)`);
    const who = (m[1] || 'a').replace('a', 'ugo');
    let mask = 0;
    for (const w of who) mask |= WHO[w];
    for (const [, op, perms] of m[2].matchAll(/([-+=])([rwxXst]*)/g)) {
      let bits = 0;
      for (const p of perms) {
        if (p === 'r') bits |= 0o444;
        else if (p === 'w') bits |= 0o222;
        else if (p === 'x') bits |= 0o111;
        else if (p === 'X') bits |= isDir || (mode & 0o111) !== 0 ? 0o111 : 0; // the mode so far, as Ansible
        else if (p === 's') bits |= 0o6000;
        else if (p === 't') bits |= 0o1000;
      }
      bits &= mask;
      if (op === '+') mode |= bits;
      else if (op === '-') mode &= ~bits;
      else mode = (mode & ~mask) | bits;
    }
  }
  return mode;
}
