// copy with remote_src: a file on the host copied to dest on the host, as Ansible's copy module
// does it: compared by sha1; a new dest gets the source's mode (copystat), an existing one keeps
// its own, a new one 0644 (Ansible's atomic_move); backup, validate (run against src, with mode/owner/group set on src first, as Ansible),
// then mode/owner/group. No diff (Ansible's module returns none with remote_src).
import { posix } from 'node:path';
import type { ModuleContext, Plan, Step } from '../../src/types.js';
import { TaskError } from '../../src/errors.js';
import { q, sh } from '../../src/shell.js';
import { mark } from '../../src/probe.js';
import { attrs, attrsAfter, attrsStep } from './put.js';
import { str, toBool } from './args.js';
import { attrChanges, attrSteps, fileProbe, parseFileProbe, writeAfter, VALIDATE_FAILED } from './files.js';
import { wantedMode } from './mode.js';

export async function planRemoteCopy(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const src = str(a, 'src')!;
  let dest = str(a, 'dest')!;
  const [sr, md] = await Promise.all([ctx.probe(fileProbe(src)), ctx.probe(sh`md5sum -- ${src} 2>/dev/null || true`)]);
  const s = parseFileProbe(src, sr.stdout);
  if (s.kind === 'absent') return { steps: [], failed: `Source ${src} not found` };
  if (s.follows === 'directory') throw new TaskError(`copy: src ${src} is a directory on ${ctx.host}; remote_src with a directory is not supported by lvsplay`);
  if (s.follows !== 'file' || !s.sha1) return { steps: [], failed: `Cannot copy invalid source '${src}': not a file` };
  if (dest.endsWith('/')) dest = posix.join(dest, posix.basename(src));
  let d = parseFileProbe(dest, (await ctx.probe(fileProbe(dest))).stdout);
  if (d.follows === 'directory') {
    dest = posix.join(dest, posix.basename(src));
    d = parseFileProbe(dest, (await ctx.probe(fileProbe(dest))).stdout);
  }
  if (!d.parentExists) return { steps: [], failed: `Destination directory ${posix.dirname(dest)} does not exist` };
  const exists = d.kind !== 'absent';
  const mode = a.mode === 'preserve' ? (s.mode ?? 0o644).toString(8) : wantedMode(a.mode, exists ? d.mode : 0o644, false);
  const owner = str(a, 'owner');
  const group = str(a, 'group');
  const md5 = md.stdout.trim().split(' ')[0] || undefined;
  const result = { dest, src, checksum: s.sha1, md5sum: md5, size: s.size };
  // Ansible leaves an existing dest alone without force, saying so
  if (exists && !toBool(a, 'force', true)) return { steps: [], result: { dest, src, msg: 'file already exists', ...attrs(d), size: d.size } };
  const steps: Step[] = [];
  const contentChanged = d.sha1 !== s.sha1 || d.kind === 'link';
  if (contentChanged) {
    const validate = str(a, 'validate');
    if (toBool(a, 'backup', false) && exists) {
      steps.push({ describe: `back up ${dest}`, cmd: `b=${q(dest)}."$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- ${q(dest)} "$b"; ${mark('backup')}; echo "$b"` });
    }
    if (validate) {
      if (!validate.includes('%s')) throw new TaskError(`validate must contain %s: ${validate}`);
      steps.push(...attrSteps(src, attrChanges(s, { mode, owner, group })));
      steps.push({ describe: `validate: ${validate}`, cmd: `( ${validate.split('%s').join(q(src))} ) >&2 </dev/null || { echo ${q(`${VALIDATE_FAILED}${validate}`)} >&2; exit 3; }` });
    }
    const tmpl = `${posix.dirname(dest)}/.${posix.basename(dest)}.lvsplay.XXXXXX`;
    steps.push({
      describe: `copy ${src} to ${dest}`,
      cmd: [
        sh`tmp=$(mktemp ${tmpl})`,
        `trap 'rm -f "$tmp"' EXIT`,
        sh`cp --preserve=mode,timestamps -- ${src} "$tmp"`,
        // an existing dest keeps its mode and owner (Ansible's atomic_move)
        d.kind === 'file' ? sh`chmod --reference=${dest} "$tmp"; chown --reference=${dest} "$tmp" 2>/dev/null || true` : 'chmod 644 "$tmp"',
        sh`mv -f -- "$tmp" ${dest}`,
        'trap - EXIT',
      ].join('\n'),
    });
    steps.push(...attrSteps(dest, { mode, owner, group }));
  } else if (exists) {
    steps.push(...attrSteps(dest, attrChanges(d, { mode, owner, group })));
  }
  if (!steps.length) return { steps, result: { ...result, ...attrs(d) } };
  steps.push(attrsStep(dest));
  return {
    steps,
    result: { ...result, ...(ctx.check ? attrs({ ...d, mode: mode ? parseInt(mode, 8) : exists ? d.mode : 0o644 }) : {}) },
    after: (res) => {
      if (res.rc === 3 && res.stderr.includes(VALIDATE_FAILED)) {
        // Ansible's message; the validator's output is in stderr
        const err = res.stderr.split('\n').filter((l) => !l.startsWith(VALIDATE_FAILED)).join('\n');
        throw new TaskError('failed to validate', { exit_status: 1, stdout: '', stderr: err, changed: false }, { alone: true });
      }
      return { ...writeAfter(res), ...attrsAfter(res.stdout) };
    },
  };
}
