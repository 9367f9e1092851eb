// git: a checkout of a repository at a version (branch, tag, sha or HEAD), as Ansible 2.14's git
// module: clone when dest holds none, else (update) fetch and switch to the version; local
// modifications fail unless force (then reset). The plan reads dest and ls-remote; it has steps
// only when the checkout would move (before != the version's commit, a new remote URL, local
// modifications, submodules behind). Result: before, after, remote_url_changed, changed.
import { posix } from 'node:path';
import type { ModuleContext, Plan, Step, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { mark, sections } from '../src/probe.js';
import { q, sh } from '../src/shell.js';
import { boolSchema, need, str, toBool } from './lib/args.js';
import { headBranchSh, localState, remoteRef, type GitArgs } from './lib/gitstate.js';

const schema = {
  type: 'object',
  description:
    "Check out a git repository on the host (git must be installed there), as Ansible's git: clone into dest, or fetch and move to `version`. Changed when the checked-out commit moves, the remote URL changes or local modifications are reset (force). Result: before, after (commit shas), remote_url_changed. Check mode and diff from the remote's refs (ls-remote).",
  properties: {
    repo: { type: 'string', description: 'Repository URL or path (an absolute path becomes file://PATH). Alias: name.' },
    name: { type: 'string', description: 'Alias of repo.' },
    dest: { type: 'string', description: 'Directory of the checkout (required unless clone is false).' },
    version: { type: 'string', default: 'HEAD', description: 'Branch, tag, full commit sha, or HEAD (the remote default branch on clone, the current branch later).' },
    remote: { type: 'string', default: 'origin', description: 'Name of the remote.' },
    clone: boolSchema('Clone when dest holds no repository (false: only report the remote revision).', true),
    update: boolSchema('Fetch and move an existing checkout to version.', true),
    force: boolSchema('Discard local modifications of tracked files (git reset --hard) instead of failing.', false),
    depth: { type: 'integer', description: 'Shallow clone/fetch with this many commits (HEAD, branches and tags).' },
    single_branch: boolSchema('Clone only the history of version (--single-branch).', false),
    bare: boolSchema('A bare repository (no working tree).', false),
    refspec: { type: 'string', description: 'Extra refspec to fetch (e.g. refs/pull/1/head).' },
    reference: { type: 'string', description: 'git clone --reference REPO.' },
    recursive: boolSchema('Initialise and update submodules.', true),
    track_submodules: boolSchema('Not supported (true fails).', false),
    executable: { type: 'string', description: 'Path of git on the host (default: git from PATH).' },
    umask: { type: 'string', description: 'umask (quoted octal) of the git commands.' },
    accept_hostkey: boolSchema('Add -o StrictHostKeyChecking=no to ssh (ssh URLs).', false),
    accept_newhostkey: boolSchema('Add -o StrictHostKeyChecking=accept-new to ssh (ssh URLs).', false),
    key_file: { type: 'string', description: 'Private key for ssh URLs (ssh -i).' },
    ssh_opts: { type: 'string', description: 'Extra ssh options for ssh URLs.' },
    verify_commit: boolSchema('Not supported (true fails).', false),
    gpg_whitelist: { type: 'array', items: { type: 'string' }, default: [], description: 'Only with verify_commit (not supported).' },
    archive: { type: 'string', description: 'Not supported (fails).' },
    archive_prefix: { type: 'string', description: 'Not supported (fails).' },
    separate_git_dir: { type: 'string', description: 'Not supported (fails).' },
  },
  anyOf: [{ required: ['repo'] }, { required: ['name'] }],
  additionalProperties: false,
};

const unfrack = (u: string | undefined): string | undefined => (u === undefined ? undefined : posix.normalize(u.replace(/\/+$/, '')));

/** The shell moving a checkout (in dest) to the version: Ansible's switch_version. */
function switchSh(g: GitArgs, kind: string, depth: number | undefined): string {
  const v = g.version;
  const fail = (m: string): string => `{ echo ${q(m)} >&2; exit 9; }`;
  if (v === 'HEAD') {
    return [`b=$(${headBranchSh(g.remote)})`, `"$G" checkout --force "$b" || ${fail('Failed to checkout branch HEAD')}`, `"$G" reset --hard ${q(g.remote)}/"$b" -- || ${fail('Failed to checkout branch HEAD')}`].join('\n');
  }
  if (kind === 'branch') {
    const local = sh`"$G" show-ref --verify -q ${`refs/heads/${v}`}`;
    return [
      depth ? `${local} || "$G" fetch --depth=${depth} ${sh`${[g.remote, `+refs/heads/${v}:refs/heads/${v}`, `+refs/heads/${v}:refs/remotes/${g.remote}/${v}`]}`} || ${fail(`Failed to fetch branch from remote: ${v}`)}` : '',
      `if ${local}; then "$G" checkout --force ${q(v)} || ${fail(`Failed to checkout branch ${v}`)}; "$G" reset --hard ${q(`${g.remote}/${v}`)} || ${fail(`Failed to checkout ${v}`)};`,
      `else "$G" checkout --track -b ${sh`${[v, `${g.remote}/${v}`]}`} || ${fail(`Failed to checkout ${v}`)}; fi`,
    ].filter(Boolean).join('\n');
  }
  return `"$G" checkout --force ${q(v)} || ${fail(`Failed to checkout ${v}`)}`;
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  for (const k of ['archive', 'archive_prefix', 'separate_git_dir']) if (a[k] !== undefined) throw new TaskError(`git: ${k} is not supported by lvsplay`);
  if (toBool(a, 'verify_commit', false) || toBool(a, 'track_submodules', false)) throw new TaskError('git: verify_commit and track_submodules are not supported by lvsplay');
  let repo = need(a, 'repo', 'name');
  if (repo.startsWith('/')) repo = `file://${repo}`;
  const clone = toBool(a, 'clone', true);
  const update = toBool(a, 'update', true);
  const force = toBool(a, 'force', false);
  const bare = toBool(a, 'bare', false);
  const depth = a.depth === undefined || a.depth === null ? undefined : Number(a.depth);
  const destArg = str(a, 'dest');
  if (!destArg && clone) return { steps: [], failed: 'the destination directory must be specified unless clone=no' };
  const g: GitArgs = { git: str(a, 'executable') ?? 'git', repo, dest: destArg ? posix.resolve('/', destArg) : '', remote: str(a, 'remote') ?? 'origin', version: str(a, 'version') ?? 'HEAD', bare };
  const cur = g.dest ? await localState(ctx, g) : undefined;
  if (cur && !cur.hasGit) return { steps: [], failed: `Failed to find required executable "${g.git}" in paths` };
  const env = envLines(a);
  const result: Vars = { before: null };
  // not cloned yet (or clone: false): the remote's revision is all there is to know
  if (!cur || !cur.cloned) {
    const r = await remoteRef(ctx, g, repo, false, undefined);
    if (r.failed) return { steps: [], failed: r.failed, result };
    const prepared = `>> Newly checked out ${r.head}`;
    if (ctx.check || !clone) return { steps: [], changed: true, result: { ...result, after: r.head, ...(ctx.diff ? { diff: { prepared } } : {}) }, diff: [{ before: '', after: `${prepared}\n` }] };
    const opts: string[] = bare ? ['--bare'] : ['--origin', g.remote];
    const branchOrTag = r.kind !== 'other';
    if (depth) {
      if (g.version === 'HEAD' || a.refspec) opts.push('--depth', String(depth));
      else if (branchOrTag) opts.push('--depth', String(depth), '--branch', g.version);
    }
    if (a.reference) opts.push('--reference', String(a.reference));
    if (toBool(a, 'single_branch', false)) opts.push('--single-branch', ...(branchOrTag ? ['--branch', g.version] : []));
    const dir = posix.dirname(g.dest);
    const lines = [
      ...env,
      sh`mkdir -p ${dir} 2>/dev/null || true`,
      sh`cd ${dir} && "$G" clone ${[...opts, repo, g.dest]} || { echo 'git clone failed' >&2; exit 9; }`,
      sh`cd ${g.dest}`,
      bare && g.remote !== 'origin' ? sh`"$G" remote add ${[g.remote, repo]}` : '',
      a.refspec ? sh`"$G" fetch ${[...(depth ? ['--depth', String(depth)] : []), g.remote, String(a.refspec)]}` : '',
      bare ? '' : switchSh(g, r.kind, depth),
      bare ? '' : submodulesSh(a, force),
    ];
    return applied(lines, result, [{ before: '', after: `${prepared}\n` }], ctx.diff ? null : undefined);
  }
  const before = cur.before ?? '';
  if (!update) return { steps: [], result: { before, after: before } };
  result.before = before;
  if (cur.localMods && !force) return { steps: [], failed: `Local modifications exist in the destination: ${g.dest} (force=no).`, result: { before } };
  const urlChanged = cur.remoteUrl !== repo && unfrack(cur.remoteUrl) !== unfrack(repo);
  result.remote_url_changed = urlChanged && cur.remoteUrl !== undefined;
  // check mode asks the remote as it is configured now; a real run sets the new URL first
  const r = await remoteRef(ctx, g, ctx.check ? g.remote : urlChanged ? repo : g.remote, true, cur.headBranch);
  if (r.failed) return { steps: [], failed: r.failed, result };
  const want = r.kind === 'other' && g.version !== 'HEAD' ? cur.versionSha : r.head;
  if (ctx.check) {
    return { steps: [], changed: before !== r.head || !!result.remote_url_changed || cur.localMods, result: { ...result, after: r.head }, diff: before !== r.head ? [{ before: `${before}\n`, after: `${r.head}\n` }] : [] };
  }
  const moves = want === undefined || want !== before || urlChanged || cur.localMods || (!bare && toBool(a, 'recursive', true) && cur.submodulesBehind);
  if (!moves) return { steps: [], result: { ...result, after: before } };
  if (cur.localMods) result.msg = `Local modifications exist in the destination: ${g.dest}`;
  const lines = [
    ...env,
    sh`cd ${g.dest}`,
    cur.localMods ? `"$G" reset --hard HEAD >/dev/null` : '',
    urlChanged ? sh`"$G" remote set-url ${[g.remote, repo]}` : '',
    fetchSh(g, r.kind, depth, cur.headBranch, force, a.refspec as string | undefined),
    bare ? '' : switchSh(g, r.kind, depth),
    bare ? '' : submodulesSh(a, force),
  ];
  return applied(lines, result, [{ before: `${before}\n`, after: `${want ?? g.version}\n` }], ctx.diff ? before : undefined);
}

/** Ansible's fetch: tags too, or (depth) just the version's refs. */
function fetchSh(g: GitArgs, kind: string, depth: number | undefined, head: string | undefined, force: boolean, refspec: string | undefined): string {
  const v = g.version;
  let specs: string[] = [];
  const opts: string[] = [];
  if (depth) {
    if (refspec) specs.push(refspec);
    else if (v === 'HEAD') specs.push(head ?? 'HEAD');
    else if (kind === 'branch') specs.push(...(head !== v ? [`+refs/heads/${v}:refs/heads/${v}`] : []), `+refs/heads/${v}:refs/remotes/${g.remote}/${v}`);
    else if (kind === 'tag') specs.push(`+refs/tags/${v}:refs/tags/${v}`);
    if (specs.length) opts.push('--depth', String(depth));
  }
  if (!depth || !specs.length) {
    if (g.bare) specs = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];
    else opts.push('--tags');
    if (refspec) specs.push(refspec);
  }
  if (force) opts.push('--force');
  return `"$G" fetch ${sh`${[...opts, g.remote, ...specs]}`} || { echo 'Failed to download remote objects and refs' >&2; exit 9; }`;
}

function submodulesSh(a: Vars, force: boolean): string {
  if (!toBool(a, 'recursive', true)) return '';
  return `if [ -f .gitmodules ]; then "$G" submodule sync && "$G" submodule update --init --recursive${force ? ' --force' : ''} || { echo 'Failed to init/update submodules' >&2; exit 9; }; fi`;
}

/** G, umask and ssh options for the git commands. */
function envLines(a: Vars): string[] {
  const ssh: string[] = [];
  if (str(a, 'key_file')) ssh.push('-i', str(a, 'key_file')!, '-o', 'IdentitiesOnly=yes');
  if (str(a, 'ssh_opts')) ssh.push(str(a, 'ssh_opts')!);
  if (toBool(a, 'accept_hostkey', false)) ssh.push('-o', 'StrictHostKeyChecking=no');
  else if (toBool(a, 'accept_newhostkey', false)) ssh.push('-o', 'StrictHostKeyChecking=accept-new');
  return [
    sh`G=${str(a, 'executable') ?? 'git'}`,
    'export LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C',
    ...(a.umask !== undefined ? [sh`umask ${String(a.umask)}`] : []),
    ...(ssh.length ? [`export GIT_SSH_COMMAND=${q(`ssh ${ssh.join(' ')}`)}`] : []),
  ];
}

/** The plan applying the script; `after` reads the new HEAD (and says why a step failed). */
/**
 * The plan applying the script; `after` reads the new HEAD (and says why a step failed). With
 * `diffFrom` (--diff): Ansible's result `diff.prepared` - for a clone (null) '>> Newly checked out',
 * else `git diff BEFORE AFTER` (its own text when they have no visual differences).
 */
function applied(lines: string[], result: Vars, diff: { before: string; after: string }[], diffFrom?: string | null): Plan {
  const gitDiff = typeof diffFrom === 'string' ? [`if [ "$("$G" rev-parse HEAD)" != ${q(diffFrom)} ]; then ${mark('gitdiff')}; "$G" diff ${q(diffFrom)} "$("$G" rev-parse HEAD)"; echo .; fi`] : [];
  const step: Step = { describe: 'git checkout', cmd: [...lines.filter(Boolean), ...gitDiff, `${mark('after')}; "$G" rev-parse HEAD`].join('\n') };
  return {
    steps: [step],
    changed: true,
    diff,
    result,
    after: (res) => {
      if (res.rc !== 0) {
        const why = res.stderr.trim().split('\n').pop() ?? `exit code ${res.rc}`;
        throw new TaskError(why, { ...result, changed: false, rc: res.rc, stdout: res.stdout, stderr: res.stderr });
      }
      const s = sections(res.stdout);
      const after = (s.get('after') ?? '').trim();
      if (diffFrom === null) return { after, diff: { prepared: `>> Newly checked out ${after}` } };
      const out = s.get('gitdiff')?.slice(0, -1); // the dot keeps git's own trailing newline
      if (typeof diffFrom !== 'string' || out === undefined) return { after };
      return { after, diff: { prepared: out || `>> No visual differences between ${diffFrom} and ${after}` } };
    },
  };
}

export const git: TaskModule = {
  name: 'git',
  aliases: ['ansible.builtin.git', 'ansible.legacy.git'],
  schema,
  freeForm: 'kv',
  plan,
};
