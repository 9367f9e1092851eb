// file's recurse: the mode/owner/group of everything under a directory (links left alone), one
// listing in the probe, `chmod -R` / `chown -R` steps only when some entry differs.
import type { Step } from '../../src/types.js';
import { q, sh } from '../../src/shell.js';
import { chownSpec, type AttrWish } from './files.js';
import { wantedMode } from './mode.js';
import { mark, sections } from '../../src/probe.js';

/** Probe snippet listing what is under path: type, mode, uid, gid, user, group (NUL-separated). */
export function treeProbe(path: string): string {
  return `${mark('tree')}\n${sh`find ${path} -mindepth 1 ! -type l -printf '%y %m %U %G %u %g\\0'`} 2>/dev/null || true`;
}

/** Steps making every entry under path match the wish (same mode rules as the directory's own). */
export function recurseSteps(path: string, probeOut: string, mode: unknown, want: AttrWish): Step[] {
  const entries = (sections(probeOut).get('tree') ?? '').split('\0').filter((e) => e.includes(' ')).map((e) => e.split(' '));
  const steps: Step[] = [];
  const modeOff = mode !== undefined && mode !== null && entries.some(([t, m]) => wantedMode(mode, parseInt(m, 8), t === 'd') !== parseInt(m, 8).toString(8));
  const ownerOff = want.owner !== undefined && entries.some(([, , uid, , user]) => user !== want.owner && uid !== want.owner);
  const groupOff = want.group !== undefined && entries.some(([, , , gid, , group]) => group !== want.group && gid !== want.group);
  if (modeOff) {
    const m = typeof mode === 'number' ? mode.toString(8) : String(mode);
    steps.push({ describe: `chmod -R ${m} ${path}`, cmd: `find ${q(path)} ! -type l -exec chmod ${q(m)} {} +` });
  }
  const own = chownSpec(ownerOff ? want.owner : undefined, groupOff ? want.group : undefined);
  if (own !== undefined) steps.push({ describe: `chown -R ${own} ${path}`, cmd: sh`chown -R ${own} -- ${path}` });
  return steps;
}
