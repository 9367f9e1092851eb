// user's generate_ssh_key, as Ansible's user module does it: the key file (ssh_key_file, relative to
// the user's home; default .ssh/id_TYPE) made with ssh-keygen when missing (or always with force),
// its directory created 0700 and both files owned by the user; the result's ssh_key_file,
// ssh_fingerprint (ssh-keygen -l) and ssh_public_key (the .pub file).
import type { Step, Vars } from '../../src/types.js';
import { mark, sections } from '../../src/probe.js';
import { q } from '../../src/shell.js';
import { str, toBool } from './args.js';

export interface KeyWish {
  type: string;
  bits: number;
  file: string;
  /** Unset: Ansible's "ansible-generated on HOSTNAME" (the host's name). */
  comment?: string;
  force: boolean;
}

/** The key the arguments ask for (undefined: generate_ssh_key is not set). */
export function keyWish(a: Vars): KeyWish | undefined {
  if (!toBool(a, 'generate_ssh_key', false)) return undefined;
  const type = str(a, 'ssh_key_type') ?? 'rsa';
  return {
    type,
    bits: Number(a.ssh_key_bits ?? 0),
    file: str(a, 'ssh_key_file') ?? `.ssh/id_${type}`,
    comment: str(a, 'ssh_key_comment'),
    force: toBool(a, 'force', false),
  };
}

// the key's path from the user's home as the passwd database has it now (after useradd/usermod)
// (`noHome`: what to do when a relative file has no home to be in)
const locate = (name: string, k: KeyWish, noHome: string): string =>
  [
    `pw=$(getent passwd ${q(name)}); h=$(printf '%s' "$pw" | cut -d: -f6); own=$(printf '%s' "$pw" | cut -d: -f3,4)`,
    k.file.startsWith('/') ? `f=${q(k.file)}` : `[ -n "$h" ] && [ -e "$h" ] || { ${noHome}; }; f="$h"/${q(k.file)}`,
  ].join('\n');

// what the result reports about the key file (Ansible: the fingerprint, or ssh-keygen's error; the public key)
const report = (): string =>
  [mark('keyfile'), `printf '%s\\n' "$f"`, mark('keyfp'), `ssh-keygen -l -f "$f" 2>&1 || true`, mark('keypub'), `cat -- "$f.pub" 2>/dev/null || printf '\\001'`].join('\n');

/** Probe: whether the key exists already (the user exists), and what the result would report. */
export function keyProbe(name: string, k: KeyWish): string {
  return `${mark('keyhere')}\n( ${locate(name, k, 'exit 0')}\n[ -e "$f" ] && echo 1\n${report()} )`;
}

/** Whether the probe found the key file. */
export const keyThere = (stdout: string): boolean => (sections(stdout).get('keyhere') ?? '').trim() === '1';

/** The step making the key (after the account's own steps), reporting the result's fields. */
export function keyStep(name: string, k: KeyWish): Step {
  const gen = `${['ssh-keygen', '-t', k.type, ...(k.bits > 0 ? ['-b', String(k.bits)] : []), '-C'].map(q).join(' ')} ${k.comment !== undefined ? q(k.comment) : '"ansible-generated on $(uname -n)"'} -f`;
  return {
    describe: `ssh-keygen -t ${k.type}${k.bits > 0 ? ` -b ${k.bits}` : ''} -f ${k.file} (for ${name})`,
    cmd: [
      locate(name, k, `printf '%s' ${q(`User ${name} home directory does not exist`)} >&2; exit 1`), // Ansible's text (an exception's: no newline)
      `d=$(dirname -- "$f"); if [ ! -e "$d" ]; then mkdir -m 0700 -- "$d" && chown "$own" -- "$d" || exit 1; fi`,
      // ssh-keygen asks before overwriting (force): answered yes, as Ansible does
      `printf 'y\\n' | ${gen} "$f" -N '' >/dev/null || exit 1`,
      `chown "$own" -- "$f" "$f.pub"`,
      report(),
    ].join('\n'),
  };
}

/** The result's fields from a probe's or a step's output. */
export function keyFields(stdout: string): Vars {
  const s = sections(stdout);
  const pub = s.get('keypub') ?? '';
  return {
    ssh_fingerprint: (s.get('keyfp') ?? '').trim(),
    ssh_key_file: (s.get('keyfile') ?? '').trim(),
    ssh_public_key: pub === '\x01' || pub.startsWith('\x01') ? null : pub.trim(),
  };
}
