// Is a zip archive already unpacked in dest? Ansible 2.14's ZipArchive.is_unarchived, from the
// zipinfo -T -s listing and one probe of the members in dest (type, mode, size, mtime, owner,
// CRC-32 through gzip's trailer): the members to extract again, and Ansible's itemized diff.
import { TaskError } from '../../src/errors.js';
import { mark, sections } from '../../src/probe.js';
import { q } from '../../src/shell.js';
import type { ArchiveInfo, ZipEntry } from './archive.js';
import { wantedMode } from './mode.js';

interface Member { kind: string; mode: number; size: number; mtime: number; uid: number; owner: string; gid: number; group: string; crc?: number }

/** One probe: each member's state in dest, the umask, and the owner/group the files should have. */
export function zipStateProbe(dest: string, entries: ZipEntry[], owner?: string, group?: string): string {
  const lines = [
    mark('umask'), 'umask',
    mark('fut'),
    owner ? `getent passwd ${q(owner)} | cut -d: -f1,3 | head -n1` : 'echo',
    group ? `getent group ${q(group)} | cut -d: -f1,3 | head -n1` : 'echo',
  ];
  entries.forEach((e, i) => {
    lines.push(
      mark(`m${i}`),
      `p=${q(`${dest.replace(/\/$/, '')}/${e.path}`)}`,
      'if [ -L "$p" ]; then k=L; elif [ -d "$p" ]; then k=d; elif [ -f "$p" ]; then k=f; elif [ -e "$p" ]; then k=o; else k=-; fi',
      `if [ "$k" != - ]; then echo "$k $(stat -c '%a %s %.9Y %u %U %g %G' -- "$p")"; fi`,
      'if [ "$k" = f ]; then gzip -c < "$p" | tail -c8 | od -An -tx4 | awk \'{print $1}\'; fi',
    );
  });
  return lines.join('\n');
}

function member(text: string | undefined): Member | undefined {
  const [head, crc] = (text ?? '').trim().split('\n');
  if (!head) return undefined;
  const [kind, mode, size, mtime, uid, owner, gid, group] = head.split(' ');
  return { kind, mode: parseInt(mode, 8), size: Number(size), mtime: Number(mtime), uid: Number(uid), owner, gid: Number(gid), group, crc: crc ? parseInt(crc, 16) : undefined };
}

const permOctal = (perm: string, umask: number): number => {
  const rev = [...perm].reverse();
  let m = 0;
  for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) if ('rwxst'.includes(rev[i + 3 * j])) m += 2 ** (i + 3 * j);
  return m & ~umask;
};

/** Python's time.mktime of zipinfo's local YYYYMMDD.HHMMSS (the controller's zone; connection local). */
const localEpoch = (t: string): number =>
  new Date(Number(t.slice(0, 4)), Number(t.slice(4, 6)) - 1, Number(t.slice(6, 8)), Number(t.slice(9, 11)), Number(t.slice(11, 13)), Number(t.slice(13, 15))).getTime() / 1000;

export interface ZipCheck { unarchived: boolean; includes: string[]; diff: string }

export function zipCheck(info: ArchiveInfo, entries: ZipEntry[], probe: string, crcOf: Map<string, number>, o: { excludes: string[]; mode?: unknown; owner?: string; group?: string; keepNewer: boolean }): ZipCheck {
  const s = sections(probe);
  const umask = parseInt((s.get('umask') ?? '22').trim(), 8);
  const [futU, futG] = (s.get('fut') ?? '').split('\n');
  const fut = {
    owner: o.owner ? (futU?.split(':')[0] || info.user) : info.user,
    uid: o.owner ? Number(futU?.split(':')[1] ?? info.uid) : info.uid,
    group: o.group ? (futG?.split(':')[0] || info.groupName) : info.groupName,
    gid: o.group ? Number(futG?.split(':')[1] ?? info.gid) : info.gid,
  };
  let unarchived = info.diffRc === 0;
  const includes: string[] = [];
  let diff = '';
  const add = (p: string): void => void (includes.includes(p) || includes.push(p));
  entries.forEach((e, i) => {
    if (o.excludes.includes(e.path)) return;
    const ftype = e.path.endsWith('/') ? 'd' : e.ztype === 'l' ? 'L' : 'f';
    let perm = e.perm;
    let fileUmask = 0;
    if (perm.length === 6) {
      perm = e.path.endsWith('/') || perm === 'rwx---' ? 'rwxrwxrwx' : 'rw-rw-rw-';
      fileUmask = umask;
    }
    const st = member(s.get(`m${i}`));
    if (!st) {
      add(e.path);
      diff += `>${ftype}++++++.?? ${e.path}\n`;
      return;
    }
    const wrongKind = (ftype === 'd' && st.kind !== 'd') || (ftype === 'f' && st.kind !== 'f') || (ftype === 'L' && st.kind !== 'L');
    if (wrongKind) {
      if (ftype === 'f') unarchived = false;
      add(e.path);
      diff += `c${ftype}++++++.?? ${e.path}\n`;
      return;
    }
    const item = [...`.${ftype}.......??`];
    let change = false;
    if (st.kind === 'f') {
      const ts = localEpoch(e.time);
      if (o.keepNewer) {
        if (ts > st.mtime) { change = true; add(e.path); item[4] = 't'; }
        else if (ts < st.mtime) { o.excludes.push(e.path); return; }
      } else if (ts !== st.mtime) { change = true; add(e.path); item[4] = 't'; }
      if (e.size !== st.size) { change = true; item[3] = 's'; }
      if (st.crc !== crcOf.get(e.path)) { change = true; item[2] = 'c'; }
    }
    if (ftype !== 'L') {
      let mode: number;
      if (o.mode !== undefined && o.mode !== null && o.mode !== '') mode = parseInt(wantedMode(o.mode, st.mode, st.kind === 'd')!, 8);
      else mode = permOctal(perm, e.ztype === '?' ? 0 : fileUmask);
      if (mode !== st.mode) { change = true; item[5] = 'p'; }
    }
    if (info.uid !== 0 && (fut.owner !== info.user || fut.uid !== info.uid)) throw new TaskError(`Cannot change ownership of ${e.path} to ${fut.owner}, as user ${info.user}`);
    if (st.owner !== fut.owner) { change = true; item[6] = 'o'; }
    if (info.uid !== 0 && (fut.group !== info.groupName || fut.gid !== info.gid)) throw new TaskError(`Cannot change group ownership of ${e.path} to ${fut.group}, as user ${info.user}`);
    if (st.group !== fut.group) { change = true; item[6] = 'g'; }
    if (change) {
      add(e.path);
      diff += `${item.join('')} ${e.path}\n`;
    }
  });
  if (includes.length) unarchived = false;
  return { unarchived, includes, diff };
}
