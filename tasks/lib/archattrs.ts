// mode/owner/group of every unpacked member (Ansible's set_fs_attributes_if_different after
// unarchive): one probe of their current attributes, and chmod/chown steps for those that differ
// (for all of them right after unpacking, when their attributes are not known yet).
import type { Step } from '../../src/types.js';
import { mark, sections } from '../../src/probe.js';
import { sh } from '../../src/shell.js';
import { wantedMode } from './mode.js';
import { chownSpec } from './files.js';

export function attrProbe(paths: string[]): string {
  return paths.map((p, i) => `${mark(`a${i}`)}\n${sh`stat -c '%a %U %G %u %g %F' -- ${p}`} 2>/dev/null || true`).join('\n');
}

export interface Attrs { mode?: unknown; owner?: string; group?: string }

/** Steps setting the wished attributes: only where they differ when `probed` (attrProbe's output) is given. */
export function attrSteps(paths: string[], want: Attrs, probed?: string): Step[] {
  const s = probed === undefined ? undefined : sections(probed);
  const steps: Step[] = [];
  paths.forEach((p, i) => {
    const cur = s?.get(`a${i}`)?.trim().split(' ');
    const isDir = cur?.slice(5).join(' ') === 'directory';
    const curMode = cur ? parseInt(cur[0], 8) : undefined;
    if (want.mode !== undefined && want.mode !== null && want.mode !== '') {
      const m = wantedMode(want.mode, curMode, isDir)!;
      // a symbolic mode is relative to each file's own mode: chmod applies it itself when not probed
      const arg = cur || /^[0-7]+$/.test(String(want.mode)) || typeof want.mode === 'number' ? m : String(want.mode);
      if (!cur || parseInt(m, 8) !== curMode) steps.push({ describe: `chmod ${arg} ${p}`, cmd: sh`chmod ${arg} -- ${p}` });
    }
    const owner = want.owner !== undefined && (!cur || (want.owner !== cur[1] && want.owner !== cur[3])) ? want.owner : undefined;
    const group = want.group !== undefined && (!cur || (want.group !== cur[2] && want.group !== cur[4])) ? want.group : undefined;
    const own = chownSpec(owner, group);
    if (own !== undefined) steps.push({ describe: `chown ${own} ${p}`, cmd: sh`chown -h ${own} -- ${p}` });
  });
  return steps;
}
