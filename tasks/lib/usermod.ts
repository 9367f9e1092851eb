// The usermod options that bring an existing user to what the task asks, decided as Ansible's user
// module does on Linux (groups compared with the user's current memberships, append adds -a, a
// password only when its hash differs, lock/unlock from the shadow hash's '!').
import type { Passwd, UserDb } from './userdb.js';

export interface UserWant {
  name: string;
  uid?: number;
  nonUnique: boolean;
  group?: string;
  /** comma-joined, as Ansible keeps it (and returns it) */
  groups?: string;
  append: boolean;
  comment?: string;
  home?: string;
  shell?: string;
  password?: string;
  updatePassword: string;
  createHome: boolean;
  skeleton?: string;
  umask?: string;
  system: boolean;
  moveHome: boolean;
  lock?: boolean;
  /** YYYY-MM-DD, or '' to remove the expiry */
  expires?: string;
  min?: number;
  max?: number;
}

const ymdOfDays = (days: number): string => new Date(days * 86400_000).toISOString().slice(0, 10);

export function usermodArgs(w: UserWant, cur: Passwd, hash: string, db: UserDb): { args: string[]; error?: string } {
  let cmd: string[] = [];
  if (w.uid !== undefined && cur.uid !== w.uid) cmd.push('-u', String(w.uid), ...(w.nonUnique ? ['-o'] : []));
  if (w.group !== undefined) {
    const g = db.groups.get(w.group);
    if (!g) return { args: [], error: `Group ${w.group} does not exist` };
    if (g.gid !== cur.gid) cmd.push('-g', String(g.gid));
  }
  if (w.groups !== undefined) {
    const current = new Set(db.member);
    let need = false;
    const wanted = new Set(w.groups.split(',').filter(Boolean));
    if (w.groups === '') need = current.size > 0 && !w.append;
    else {
      const diff = new Set([...current, ...wanted].filter((g) => current.has(g) !== wanted.has(g)));
      if (diff.size) {
        if (!w.append) need = true;
        else if ([...wanted].some((g) => diff.has(g))) {
          cmd.push('-a');
          need = true;
        }
      }
    }
    if (need) cmd.push('-G', [...wanted].join(','));
  }
  if (w.comment !== undefined && cur.comment !== w.comment) cmd.push('-c', w.comment);
  if (w.home !== undefined && cur.home !== w.home) cmd.push('-d', w.home, ...(w.moveHome ? ['-m'] : []));
  if (w.shell !== undefined && cur.shell !== w.shell) cmd.push('-s', w.shell);
  if (w.expires !== undefined) {
    const now = db.shadow.expire;
    if (w.expires === '') {
      if (now >= 0) cmd.push('-e', '');
    } else if (now < 0 || ymdOfDays(now) !== w.expires) cmd.push('-e', w.expires);
  }
  if (w.lock === true && !hash.startsWith('!')) cmd.push('-L');
  else if (w.lock === false && hash.startsWith('!')) cmd.push('-U');
  const strip = (s: string): string => s.replace(/^!+/, '');
  if (w.updatePassword === 'always' && w.password !== undefined && strip(hash) !== strip(w.password)) {
    cmd = cmd.filter((c) => c !== '-U' && c !== '-L');
    cmd.push('-p', w.lock ? `!${w.password}` : w.password);
  }
  return { args: cmd };
}
