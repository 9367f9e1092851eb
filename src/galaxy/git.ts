// A git role source made into a tar archive as ansible-galaxy does: clone, check out the version
// (branch, tag or commit), `git archive` it under NAME/. Run through the `git` command (no library),
// never through a shell; GIT_TERMINAL_PROMPT=0 so a URL that wants credentials fails instead of waiting.
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export class CommandError extends Error {}

/** Run a command; rejects with ansible-galaxy's wording ("- command X failed in directory D (rc=N) - stderr"). */
export function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const rc = typeof err.code === 'number' ? err.code : err.code === 'ENOENT' ? 127 : 1;
      if (err.code === 'ENOENT') return reject(new CommandError(`could not find/use ${cmd}, it is required to continue`));
      reject(new CommandError(`- command ${[cmd, ...args].join(' ')} failed in directory ${cwd} (rc=${rc}) - ${stderr.trim()}`));
    });
  });
}

export interface GitArchive {
  tar: string;
  /** The commit the version resolved to. */
  commit: string;
}

/**
 * Clone `src` (no work tree) into tmpDir/name, resolve `ref` — a locked commit, else the version
 * (a tag, a commit, the default branch, or another branch of origin, as `git checkout` finds them);
 * none: the default branch — and archive that commit to tmpDir/name.tar with the prefix name/.
 */
export async function gitArchive(src: string, name: string, ref: string | null, tmpDir: string): Promise<GitArchive> {
  await run('git', ['clone', '--quiet', '--no-checkout', src, name], tmpDir);
  const repo = path.join(tmpDir, name);
  const rev = (x: string) => run('git', ['rev-parse', '--verify', '--quiet', `${x}^{commit}`], repo).then((s) => s.trim(), () => undefined);
  const commit = ref ? ((await rev(ref)) ?? (await rev(`refs/remotes/origin/${ref}`))) : await rev('HEAD');
  if (!commit) throw new CommandError(ref ? `- version '${ref}' is not a branch, tag or commit of ${src}` : `- ${src} has no commits`);
  const tar = path.join(tmpDir, `${name}.tar`);
  await run('git', ['archive', `--prefix=${name}/`, `--output=${tar}`, commit], repo);
  return { tar, commit };
}
