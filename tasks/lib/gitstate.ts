// git's read-only side: what dest holds (cloned?, HEAD's sha, local modifications, the remote's
// URL, the head branch, submodules) and what a version names on the remote (branch, tag or sha and
// its commit), in two probes, as Ansible 2.14's git module reads them.
import type { ModuleContext } from '../../src/types.js';
import { mark, sections } from '../../src/probe.js';
import { sh } from '../../src/shell.js';

export interface GitArgs {
  git: string; // the git program
  repo: string; // file:// added to absolute paths, as Ansible
  dest: string;
  remote: string;
  version: string;
  bare: boolean;
}

export interface LocalState {
  hasGit: boolean;
  cloned: boolean;
  before?: string;
  localMods: boolean;
  remoteUrl?: string;
  headBranch?: string;
  /** version as a commit in dest (a sha or any ref git knows there). */
  versionSha?: string;
  submodulesBehind: boolean;
  hasSubmodules: boolean;
}

/** The shell computing the head branch in dest (Ansible's get_head_branch): HEAD's branch, or the remote's HEAD when detached. */
export function headBranchSh(remote: string): string {
  return sh`if b=$("$G" symbolic-ref -q HEAD); then echo "\${b#refs/heads/}"; else r=$("$G" rev-parse --git-dir)/refs/remotes/${remote}/HEAD; [ ! -f "$r" ] || sed -n '1s|^ref: refs/remotes/'${remote}'/||p' "$r"; fi`;
}

export async function localState(ctx: ModuleContext, g: GitArgs): Promise<LocalState> {
  const repoPath = g.bare ? g.dest : `${g.dest}/.git`;
  const res = await ctx.probe([
    sh`G=${g.git}; d=${g.dest}; rp=${repoPath}`,
    mark('git'), 'command -v "$G" >/dev/null 2>&1 && echo yes || echo no',
    // a .git file (worktree, separate git dir): its gitdir
    'if [ -f "$rp" ]; then x=$(sed -n "1s/^gitdir: //p" "$rp"); case $x in /*) rp=$x ;; *) rp=$d/$x ;; esac; fi',
    mark('cloned'), '[ -f "$rp/config" ] && echo yes || echo no',
    'if [ -f "$rp/config" ] && cd "$d"; then',
    `  ${mark('before')}; LANG=C "$G" rev-parse HEAD 2>/dev/null`,
    g.bare ? '' : `  ${mark('mods')}; LANG=C "$G" status --porcelain 2>/dev/null | grep -v '^??' || true`,
    `  ${mark('url')}; "$G" ls-remote --get-url ${sh`${g.remote}`} 2>/dev/null`,
    `  ${mark('head')}; ${headBranchSh(g.remote)}`,
    `  ${mark('vsha')}; "$G" rev-parse --verify -q ${sh`${`${g.version}^{commit}`}`} 2>/dev/null || true`,
    `  ${mark('gitmodules')}; [ -f .gitmodules ] && echo yes || echo no`,
    `  ${mark('subs')}; [ ! -f .gitmodules ] || "$G" submodule status 2>/dev/null | grep -v '^ ' || true`,
    'fi',
  ].filter(Boolean).join('\n'));
  const s = sections(res.stdout);
  const get = (k: string): string | undefined => {
    const v = s.get(k)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  return {
    hasGit: get('git') === 'yes',
    cloned: get('cloned') === 'yes',
    before: get('before'),
    localMods: (s.get('mods') ?? '').trim() !== '',
    remoteUrl: get('url'),
    headBranch: get('head'),
    versionSha: get('vsha'),
    hasSubmodules: get('gitmodules') === 'yes',
    submodulesBehind: (s.get('subs') ?? '').trim() !== '',
  };
}

export interface RemoteRef { kind: 'branch' | 'tag' | 'other'; head?: string; failed?: string }

/**
 * What version is on `from` (a URL, or a remote name run in dest): Ansible's is_remote_branch /
 * is_remote_tag (substring tests on ls-remote's output) and get_remote_head.
 */
export async function remoteRef(ctx: ModuleContext, g: GitArgs, from: string, inDest: boolean, headBranch: string | undefined): Promise<RemoteRef> {
  const v = g.version;
  const ls = (...a: string[]): string => `LANG=C "$G" ls-remote ${sh`${[from, ...a]}`}`;
  const res = await ctx.probe([
    sh`G=${g.git}`,
    inDest ? sh`cd ${g.dest} || exit 1` : '',
    mark('branch'), `${ls('-h', `refs/heads/${v}`)} 2>&1 || true`,
    mark('tag'), `${ls('-t', `refs/tags/${v}`)} 2>&1 || true`,
    mark('headref'), v === 'HEAD' ? `${inDest ? ls('-h', `refs/heads/${headBranch ?? 'None'}`) : ls('-h', 'HEAD')} 2>&1 || true` : 'true',
    mark('tagref'), `${ls('-t', `refs/tags/${v}*`)} 2>&1 || true`,
  ].filter(Boolean).join('\n'));
  const s = sections(res.stdout);
  const first = (out: string): string | undefined => out.trim().split(/\s+/)[0] || undefined;
  if (v === 'HEAD') {
    const out = s.get('headref') ?? '';
    return out.trim() ? { kind: 'other', head: first(out) } : { kind: 'other', failed: `Could not determine remote revision for ${v}` };
  }
  if ((s.get('branch') ?? '').includes(v)) {
    const out = s.get('branch') ?? '';
    return { kind: 'branch', head: first(out) };
  }
  if ((s.get('tag') ?? '').includes(v)) {
    let pick = '';
    for (const line of (s.get('tagref') ?? '').split('\n')) {
      if (line.endsWith(`${v}^{}`)) { pick = line; break; }
      if (line.endsWith(v)) pick = line;
    }
    return { kind: 'tag', head: first(pick || (s.get('tagref') ?? '')) };
  }
  return { kind: 'other', head: v };
}
