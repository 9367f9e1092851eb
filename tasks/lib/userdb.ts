// The local user database as the user module reads it, in one probe: the passwd and shadow entries,
// the groups listing the user as a member, the named groups (by name or gid), whether the home
// directories exist, and login.defs' UMASK.
import { q, sh } from '../../src/shell.js';
import { mark, sections } from '../../src/probe.js';

export interface Passwd {
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}
export interface Shadow {
  hash: string;
  min: number | undefined;
  max: number | undefined;
  /** days since the epoch, -1 when unset */
  expire: number;
}
export interface UserDb {
  pw?: Passwd;
  shadow: Shadow;
  /** groups whose member list names the user (the primary group only when listed too) */
  member: string[];
  /** a group asked about (name or gid) -> its name and gid; absent when it does not exist */
  groups: Map<string, { name: string; gid: number }>;
  /** path -> exists (the current home, the home argument and its parent) */
  exists: Map<string, boolean>;
  umask?: number;
}

export const parsePasswd = (line: string): Passwd | undefined => {
  const f = line.trim().split('\n')[0]?.split(':') ?? [];
  if (f.length < 7) return undefined;
  return { uid: Number(f[2]), gid: Number(f[3]), comment: f[4], home: f[5], shell: f[6] };
};

const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));

/** The probe: groups are the names/gids to look up, paths the directories whose existence matters. */
export function userProbe(name: string, groups: string[], paths: string[]): string {
  const memberAwk = `{n=split($4,m,",");for(i=1;i<=n;i++)if(m[i]==u){print $1;break}}`;
  return [
    mark('passwd'),
    sh`getent passwd ${name} || true`,
    mark('shadow'),
    sh`getent shadow ${name} || true`,
    mark('member'),
    `getent group | awk -F: -v u=${q(name)} ${q(memberAwk)}`,
    mark('groups'),
    ...groups.map((g) => sh`printf '%s\t' ${g}; getent group ${g} || echo`),
    mark('homes'),
    // the current home too (from the passwd entry): an existing user's missing home is created
    sh`h=$(getent passwd ${name} | cut -d: -f6); if [ -n "$h" ] && [ -e "$h" ]; then printf '%s\t1\n' "$h"; fi`,
    ...paths.map((p) => sh`if [ -e ${p} ]; then printf '%s\t1\n' ${p}; else printf '%s\t0\n' ${p}; fi`),
    mark('umask'),
    `sed -n 's/^UMASK[[:space:]]\\{1,\\}\\([0-9]\\{1,\\}\\)[[:space:]]*$/\\1/p' /etc/login.defs 2>/dev/null | tail -n 1`,
  ].join('\n');
}

export function parseUserDb(stdout: string): UserDb {
  const s = sections(stdout);
  const sf = (s.get('shadow') ?? '').trim().split(':');
  const groups = new Map<string, { name: string; gid: number }>();
  for (const line of (s.get('groups') ?? '').split('\n')) {
    const [key, entry] = line.split('\t');
    const f = (entry ?? '').split(':');
    if (key && f.length >= 3) groups.set(key, { name: f[0], gid: Number(f[2]) });
  }
  const exists = new Map<string, boolean>();
  for (const line of (s.get('homes') ?? '').split('\n')) {
    const [p, e] = line.split('\t');
    if (p) exists.set(p, e === '1' || exists.get(p) === true);
  }
  const um = (s.get('umask') ?? '').trim();
  return {
    pw: parsePasswd(s.get('passwd') ?? ''),
    shadow: { hash: sf[1] ?? '', min: num(sf[3]), max: num(sf[4]), expire: num(sf[7]) ?? -1 },
    member: (s.get('member') ?? '').split('\n').filter(Boolean),
    groups,
    exists,
    umask: um ? parseInt(um, 8) : undefined,
  };
}

/** Shell creating a missing home as Ansible does: a copy of the skeleton (or an empty directory), mode 0777 & ~UMASK, owned by the user. */
export function createHome(home: string, skel: string, umask: number | undefined, owner?: string): string {
  const mode = umask === undefined ? '' : sh`; chmod ${(0o777 & ~umask).toString(8)} ${home}`;
  const chown = owner === undefined ? '' : sh`; chown -R ${owner} ${home}`;
  return sh`if [ -e ${skel} ]; then mkdir -p "$(dirname ${home})" && cp -a ${`${skel}/.`} ${home}; else mkdir -p ${home}; fi` + mode + chown;
}
