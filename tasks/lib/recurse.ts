// file's recurse: the mode/owner/group of everything under a directory, one listing in the probe,
// `chmod` / `chown -R` steps only when some entry differs. As Ansible's recursive_set_attributes:
// a symlink's own owner and group are set (lchown), never its mode; with `follow` (the default)
// what each link points to gets the attributes too, and a linked directory is walked into.
import type { Step } from '../../src/types.js';
import { q, sh } from '../../src/shell.js';
import { chownSpec, type AttrWish } from './files.js';
import { wantedMode } from './mode.js';
import { mark, sections } from '../../src/probe.js';

const FIELDS = `'%y %m %U %G %u %g\\0'`;

/** Probe snippet listing what is under path (type, mode, uid, gid, user, group; NUL-separated): the entries themselves, and with `follow` what they lead to. */
export function treeProbe(path: string, follow: boolean): string {
  const own = `${mark('tree')}\n${sh`find ${path} -mindepth 1 -printf`} ${FIELDS} 2>/dev/null || true`;
  // -L: each link's target (a link that leads nowhere stays a link), linked directories walked into
  return follow ? `${own}\n${mark('ltree')}\n${sh`find -L ${path} -mindepth 1 ! -type l -printf`} ${FIELDS} 2>/dev/null || true` : own;
}

/** Steps making every entry under path match the wish (same mode rules as the directory's own). */
export function recurseSteps(path: string, probeOut: string, mode: unknown, want: AttrWish, follow: boolean): Step[] {
  const parse = (name: string) => (sections(probeOut).get(name) ?? '').split('\0').filter((e) => e.includes(' ')).map((e) => e.split(' '));
  const own = parse('tree');
  const reached = follow ? parse('ltree') : [];
  const all = [...own, ...reached];
  const steps: Step[] = [];
  const modeOff = mode !== undefined && mode !== null && all.some(([t, m]) => t !== 'l' && wantedMode(mode, parseInt(m, 8), t === 'd') !== parseInt(m, 8).toString(8));
  const ownerOff = want.owner !== undefined && all.some(([, , uid, , user]) => user !== want.owner && uid !== want.owner);
  const groupOff = want.group !== undefined && all.some(([, , , gid, , group]) => group !== want.group && gid !== want.group);
  if (modeOff) {
    const m = typeof mode === 'number' ? mode.toString(8) : String(mode);
    steps.push({ describe: `chmod -R ${m} ${path}${follow ? ' (and what its links lead to)' : ''}`, cmd: `find ${follow ? '-L ' : ''}${q(path)} ! -type l -exec chmod ${q(m)} {} +` });
  }
  const ch = chownSpec(ownerOff ? want.owner : undefined, groupOff ? want.group : undefined);
  if (ch !== undefined) {
    // -R changes the links themselves; with follow, find -L reaches what they lead to (not a link that leads nowhere)
    steps.push({ describe: `chown -R ${ch} ${path}`, cmd: sh`chown -R ${ch} -- ${path}` });
    if (follow && reached.length) steps.push({ describe: `chown ${ch} on what the links under ${path} lead to`, cmd: `find -L ${q(path)} -mindepth 1 ! -type l -exec chown ${q(ch)} {} +` });
  }
  return steps;
}
