// file state=hard: a hard link to src at path, by Ansible's rules (an existing different file or
// hard link is replaced only with force; the replacement is a link made beside it and renamed over it).
import { posix } from 'node:path';
import type { Plan } from '../../src/types.js';
import { q, sh } from '../../src/shell.js';
import { mark, sections } from '../../src/probe.js';
import type { FileState } from './files.js';

/** Probe snippet: inode of src (or `none`) and inode + link count of path. */
export function hardProbe(src: string): string {
  return [mark('hsrc'), `stat -L -c '%i' -- ${q(src)} 2>/dev/null || echo none`, mark('hpath'), `stat -c '%i %h' -- "$p" 2>/dev/null || true`].join('\n');
}

export function hardPlan(path: string, src: string, cur: FileState, probeOut: string, force: boolean): Plan {
  const s = sections(probeOut);
  const srcIno = (s.get('hsrc') ?? '').trim();
  const [ino, links] = (s.get('hpath') ?? '').trim().split(' ');
  const res = { dest: path, src };
  if (srcIno === 'none' || srcIno === '') return { steps: [], failed: 'src does not exist', result: res };
  const prev = cur.kind === 'file' && Number(links) > 1 ? 'hard' : cur.kind;
  const replace = { describe: `hard link ${path} => ${src} (replacing)`, cmd: `t=${q(`${posix.dirname(path)}/.${posix.basename(path)}.lvsplay.tmp`)}; ${sh`ln -f -- ${src}`} "$t" && ${sh`mv -f -T -- "$t" ${path}`.replace(`'"$t"'`, '"$t"')}` };
  switch (prev) {
    case 'absent':
      return { steps: [{ describe: `hard link ${path} => ${src}`, cmd: sh`ln -- ${src} ${path}` }], result: res };
    case 'link':
      return cur.linkTarget === src ? { steps: [], result: res } : { steps: [replace], result: res };
    case 'hard':
      if (ino === srcIno) return { steps: [], result: res };
      return force ? { steps: [replace], result: res } : { steps: [], failed: 'Cannot link, different hard link exists at destination', result: res };
    case 'file':
      return force ? { steps: [replace], result: res } : { steps: [], failed: 'Cannot link, file exists at destination', result: res };
    default:
      return { steps: [], failed: `Cannot link: ${path} is a ${cur.kind}`, result: res };
  }
}
