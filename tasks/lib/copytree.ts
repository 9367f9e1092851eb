// copy of a controller directory (Ansible's recursive copy): `src: dir/` puts its contents in dest,
// `src: dir` the directory itself. One probe of every target path, then one exec: new directories
// (directory_mode, owner, group), existing subdirectories brought to directory_mode, files whose
// sha1 differs written atomically (their bytes in one stdin stream, in order), attributes fixed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { posix, join } from 'node:path';
import type { FileDiff, ModuleContext, Plan, Step } from '../../src/types.js';
import { TaskError } from '../../src/errors.js';
import { readControllerFile } from '../../src/vault/files.js';
import { q, sh } from '../../src/shell.js';
import { mark, sections } from '../../src/probe.js';
import { str, toBool } from './args.js';
import { attrChanges, attrSteps, chownSpec, contentDiff, sha1, type FileState, type Kind } from './files.js';
import { wantedMode } from './mode.js';
import { planPut } from './put.js';

const MAX_DIFF = 64 * 1024;

interface SrcFile { rel: string; data: string | Buffer; mode: number }

/** The tree under `top` (links followed, as Ansible's local_follow default): directories and files, relative, sorted; vault-encrypted files decrypted unless `decrypt` is false. */
function walk(top: string, decrypt: boolean): { dirs: string[]; files: SrcFile[] } {
  const dirs: string[] = [];
  const files: SrcFile[] = [];
  const rec = (abs: string, rel: string, seen: Set<string>): void => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) throw new TaskError(`copy: ${p} is a broken symlink; copying symlinks is not supported by lvsplay`);
      if (st.isDirectory()) {
        const id = `${st.dev}:${st.ino}`;
        if (seen.has(id)) throw new TaskError(`copy: ${p} is a symlink loop; copying symlinks is not supported by lvsplay`);
        dirs.push(r);
        rec(p, r, new Set([...seen, id]));
      } else if (st.isFile()) {
        files.push({ rel: r, data: decrypt ? readControllerFile(p).data : readFileSync(p), mode: st.mode & 0o7777 });
      } else throw new TaskError(`copy: ${p} is not a regular file or directory`);
    }
  };
  const st = statSync(top);
  rec(top, '', new Set([`${st.dev}:${st.ino}`]));
  return { dirs, files };
}

/** Shell printing, for every path read on stdin (one a line), `kind<TAB>sha1<TAB>mode uid gid owner group`. */
const TREE_PROBE = [
  'while IFS= read -r p; do',
  '  if [ -L "$p" ]; then k=link; elif [ -d "$p" ]; then k=directory; elif [ -f "$p" ]; then k=file; elif [ -e "$p" ]; then k=other; else k=absent; fi',
  "  s=-; h=-; [ \"$k\" = absent ] || s=$(stat -c '%a %u %g %U %G %s' -- \"$p\")",
  '  [ "$k" != file ] || { h=$(sha1sum -- "$p"); h=${h%% *}; }',
  "  printf '%s\\t%s\\t%s\\n' \"$k\" \"$h\" \"$s\"",
  'done',
].join('\n');

async function probeTree(ctx: ModuleContext, paths: string[]): Promise<FileState[]> {
  const res = await ctx.probe(TREE_PROBE, paths.map((p) => `${p}\n`).join(''));
  const lines = res.stdout.split('\n');
  return paths.map((path, i) => {
    const [kind, h, s] = (lines[i] ?? '').split('\t');
    if (!['absent', 'file', 'directory', 'link', 'other'].includes(kind)) throw new TaskError(`copy: could not read the state of ${path} on ${ctx.host}: ${res.stderr.trim() || res.stdout.slice(0, 300)}`);
    const st: FileState = { path, kind: kind as Kind, parentExists: true };
    const f = (s ?? '-').split(' ');
    if (f.length >= 6) Object.assign(st, { mode: parseInt(f[0], 8), uid: Number(f[1]), gid: Number(f[2]), owner: f[3], group: f[4], size: Number(f[5]) });
    if (h && h !== '-') st.sha1 = h;
    return st;
  });
}

/** Steps writing `data` (read from the plan's stdin stream, `n` bytes) to dest atomically. */
function streamWrite(dest: string, n: number, mode: string, own: string | undefined): Step[] {
  const tmpl = `${posix.dirname(dest)}/.${posix.basename(dest)}.lvsplay.XXXXXX`;
  return [
    {
      describe: `write ${dest} (${n} bytes)`,
      cmd: [
        sh`tmp=$(mktemp ${tmpl})`,
        `trap 'rm -f "$tmp"' EXIT`,
        n ? `head -c ${n} > "$tmp"` : ': > "$tmp"',
        `[ $(wc -c < "$tmp") -eq ${n} ] || { echo ${q(`lvsplay: incomplete upload of ${dest} (connection lost?): the file was not changed`)} >&2; exit 1; }`,
        `chmod ${q(mode)} "$tmp"`,
        ...(own !== undefined ? [`chown ${q(own)} "$tmp"`] : []),
        sh`mv -f -- "$tmp" ${dest}`,
        "trap - EXIT",
      ].join('\n'),
    },
  ];
}

/** Plan copying the controller directory `top` (src as written: `srcArg`) to args.dest. */
export async function planTree(ctx: ModuleContext, top: string, srcArg: string): Promise<Plan> {
  const a = ctx.args;
  const dest0 = str(a, 'dest')!;
  const dest = dest0.endsWith('/') ? dest0 : `${dest0}/`;
  const root = srcArg.endsWith('/') ? dest.replace(/\/+$/, '') || '/' : posix.join(dest, posix.basename(top));
  const { dirs, files } = walk(top, toBool(a, 'decrypt', true));
  const at = (rel: string): string => posix.join(root, rel);
  // the root and its parents when they are missing: created (Ansible's copy creates them with directory_mode)
  const paths = [root, ...dirs.map(at), ...files.map((f) => at(f.rel))];
  const states = await probeTree(ctx, paths);
  const [rootSt, dirSts, fileSts] = [states[0], states.slice(1, 1 + dirs.length), states.slice(1 + dirs.length)];
  if (files.length === 1 && !dirs.length && rootSt.kind === 'directory') {
    // one file: Ansible returns that file's copy result
    const f = files[0];
    const args = { ...a, dest: at(f.rel), ...(a.mode === 'preserve' ? { mode: f.mode.toString(8) } : {}) };
    return planPut({ ...ctx, args }, f.data, f.rel, { checkChangeOnly: true });
  }
  const owner = str(a, 'owner');
  const group = str(a, 'group');
  const dirMode = wantedMode(a.directory_mode, undefined, true);
  const steps: Step[] = [];
  const own = chownSpec(owner, group);
  const newDir = (p: string): void => {
    steps.push({ describe: `mkdir ${p}`, cmd: sh`mkdir -p -- ${p}` });
    steps.push(...attrSteps(p, { mode: dirMode, owner, group }));
  };
  if (rootSt.kind === 'absent') {
    if (files.length || !srcArg.endsWith('/')) newDir(root);
  } else if (rootSt.kind !== 'directory') throw new TaskError(`copy: dest ${root} exists on ${ctx.host} and is not a directory`);
  dirs.forEach((d, i) => {
    const st = dirSts[i];
    if (st.kind === 'absent') newDir(at(d));
    else if (st.kind !== 'directory') throw new TaskError(`copy: ${at(d)} exists on ${ctx.host} and is not a directory`);
    else steps.push(...attrSteps(at(d), attrChanges(st, { mode: dirMode, owner, group })));
  });
  const chunks: Buffer[] = [];
  const diff: FileDiff[] = [];
  const before: [number, string][] = [];
  files.forEach((f, i) => {
    const st = fileSts[i];
    const path = at(f.rel);
    if (st.kind === 'directory' || st.kind === 'other') throw new TaskError(`copy: ${path} exists on ${ctx.host} and is a ${st.kind}, not a file`);
    const exists = st.kind !== 'absent';
    const m = a.mode === 'preserve' ? f.mode.toString(8) : wantedMode(a.mode, exists ? st.mode : undefined, false);
    if (exists && !toBool(a, 'force', true)) return;
    if (st.kind === 'file' && st.sha1 === sha1(f.data)) {
      steps.push(...attrSteps(path, attrChanges(st, { mode: m, owner, group })));
      return;
    }
    const buf = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data);
    chunks.push(buf);
    const keepOwn = chownSpec(owner ?? (st.kind === 'file' ? String(st.uid) : undefined), group ?? (st.kind === 'file' ? String(st.gid) : undefined));
    steps.push(...streamWrite(path, buf.length, m ?? (st.kind === 'file' && st.mode !== undefined ? st.mode.toString(8) : '644'), keepOwn ?? own));
    diff.push(contentDiff(path, undefined, f.data, st));
    if (st.kind === 'file' && (st.size ?? 0) <= MAX_DIFF) before.push([diff.length - 1, path]);
  });
  if (ctx.diff && before.length) {
    // the current content of the replaced files, for the diff (probes of one tick: one exec)
    const got = await Promise.all(before.map(([, p]) => ctx.probe(`${mark('content')}; cat -- ${q(p)}`)));
    before.forEach(([d], i) => { const c = sections(got[i].stdout).get('content'); if (c !== undefined) diff[d].before = c; });
  }
  if (chunks.length) steps[steps.findIndex((s) => s.describe.startsWith('write '))].stdin = Buffer.concat(chunks);
  return { steps, diff, result: { dest, src: top } };
}
