// The three tools, driven the same way: same inventory (the lab's), same forks, same extra vars,
// same roles/ (Ansible through bench/ansible/ansible.cfg roles_path), same limit. `mitogen` is
// ansible-playbook with Mitogen's `mitogen_linear` strategy (Debian's ansible-mitogen), the
// fastest Ansible there is for many small tasks.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './proc.js';
import { ansibleExecs, parseJsonRecap, parseRecap, type Counts } from './recap.js';

// dist/bench/lib -> repository root
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export let CLI = join(ROOT, 'dist', 'cli', 'lvsplay.js');

/**
 * Run lvsplay from a copy of dist/ (bench/.snapshot/dist) taken at the start: other engineers
 * rebuild dist/ while a bench runs, and a half-written dist/ makes runs fail at random.
 * Node still finds node_modules/ by walking up to the repository root.
 */
export function snapshotCli(): string {
  const snap = join(ROOT, 'bench', '.snapshot');
  rmSync(snap, { recursive: true, force: true });
  mkdirSync(join(snap, 'dist'), { recursive: true });
  for (const d of ['cli', 'src', 'tasks']) cpSync(join(ROOT, 'dist', d), join(snap, 'dist', d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(snap, 'package.json'));
  // what the package ships besides dist/ and lvsplay reads at run time: the Jinja2 engine's Python
  // (without it every lvsplay run of the bench stopped at start) and the lab's shell scripts
  for (const [dir, ext] of [['jinja', '.py'], ['pymod', '.py'], ['lab', '.sh']]) {
    cpSync(join(ROOT, 'src', dir), join(snap, 'src', dir), { recursive: true, filter: (p) => !p.includes('__pycache__') && (p.endsWith(ext) || !/\.[a-z]+$/.test(p)) });
  }
  CLI = join(snap, 'dist', 'cli', 'lvsplay.js');
  return CLI;
}
const ANSIBLE_DIR = join(ROOT, 'bench', 'ansible');

export type ToolName = 'lvsplay' | 'ansible' | 'mitogen';
export type AnsibleTool = Exclude<ToolName, 'lvsplay'>;
/** site.yml of the roles, the real-server role, and the playbook written the Ansible way (bench/ansible-style). */
export type Book = 'site' | 'real' | 'astyle';

/** Debian's ansible-mitogen: its strategy plugins (also linked into ansible's own strategy dir by the package). */
export const MITOGEN_STRATEGY_DIR = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';

export interface PlayOpts {
  inventory: string;
  book: Book;
  forks: number;
  limit?: string;
  extra?: string[];
  /** Count exec channels per host (more output: not for timed runs). */
  countExecs?: boolean;
  /** address -> name, for ansible -vvv lines. */
  nameOf?: Record<string, string>;
  /** SSH connect timeout in seconds (`-T`, both tools); hundreds of handshakes at once need more than the default 10. */
  connectTimeout?: number;
  /** Stop the run (its whole process group) after this many ms: it then counts as failed. */
  killAfterMs?: number;
}

export interface PlayResult extends RunResult {
  counts: Record<string, Counts>;
  execs?: Record<string, number>;
  execMethod?: string;
}

const ASTYLE = join(ROOT, 'bench', 'ansible-style', 'site.yml'); // run unchanged by all three
const ansibleBooks: Record<Book, string> = { site: join(ANSIBLE_DIR, 'site.yml'), real: join(ANSIBLE_DIR, 'real-servers.yml'), astyle: ASTYLE };
const books: Record<ToolName, Record<Book, string>> = {
  lvsplay: { site: join(ROOT, 'playbooks', 'site.yml'), real: join(ROOT, 'bench', 'lvsplay', 'real-servers.yml'), astyle: ASTYLE },
  ansible: ansibleBooks,
  mitogen: ansibleBooks,
};

export function playbookPath(t: ToolName, b: Book): string {
  return books[t][b];
}

function common(o: PlayOpts): string[] {
  return ['-i', o.inventory, '-f', String(o.forks), ...(o.limit ? ['-l', o.limit] : []), ...(o.connectTimeout ? ['-T', String(o.connectTimeout)] : []), ...(o.extra ?? []).flatMap((e) => ['-e', e])];
}

export function ansibleEnv(controlDir?: string, tool: AnsibleTool = 'ansible'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...(tool === 'mitogen' ? { ANSIBLE_STRATEGY: 'mitogen_linear', ANSIBLE_STRATEGY_PLUGINS: MITOGEN_STRATEGY_DIR } : {}),
    ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'),
    ANSIBLE_ROLES_PATH: join(ROOT, 'roles'),
    ANSIBLE_LIBRARY: join(ANSIBLE_DIR, 'library'),
    ANSIBLE_NOCOLOR: '1',
    ...(controlDir ? { ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir } : {}),
  };
}

/** Close the ControlPersist masters a run left (they would linger 60 s holding connections). */
async function closeMasters(dir: string): Promise<void> {
  let socks: string[] = [];
  try {
    socks = readdirSync(dir);
  } catch {
    return;
  }
  await Promise.all(socks.map((s) => run('ssh', ['-o', `ControlPath=${join(dir, s)}`, '-O', 'exit', 'bench-master'])));
  rmSync(dir, { recursive: true, force: true });
}

export async function play(t: ToolName, o: PlayOpts): Promise<PlayResult> {
  if (t === 'lvsplay') {
    const args = [CLI, ...common(o), '--roles-path', join(ROOT, 'roles'), ...(o.countExecs ? ['--json', '-vvv'] : []), books.lvsplay[o.book]];
    const r = await run(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: o.killAfterMs });
    if (!o.countExecs) return { ...r, counts: parseRecap(r.stdout) };
    const j = parseJsonRecap(r.stdout);
    return j.execs
      ? { ...r, counts: j.counts, execs: j.execs, execMethod: 'exec counters of its ssh connections (recap event of --json)' }
      : { ...r, counts: j.counts, execs: j.progressExecs, execMethod: '-vvv EXEC events (fact probe not included)' };
  }
  const control = mkdtempSync(join(tmpdir(), 'lvsbench-cp-'));
  try {
    const args = [...common(o), ...(o.countExecs ? ['-vvv'] : []), books.ansible[o.book]];
    const r = await run('ansible-playbook', args, { env: ansibleEnv(control, t), timeoutMs: o.killAfterMs });
    const res: PlayResult = { ...r, counts: parseRecap(r.stdout) };
    if (o.countExecs && t === 'ansible') {
      // Mitogen runs modules inside one remote Python per host over a single ssh: no EXEC lines to count
      res.execs = ansibleExecs(r.stdout, o.nameOf ?? {});
      res.execMethod = '-vvv `SSH: EXEC` lines (one ssh/sftp client run = one session channel on the multiplexed connection)';
    }
    return res;
  } finally {
    await closeMasters(control);
  }
}

export function version(t: ToolName): Promise<RunResult> {
  return t === 'lvsplay' ? run(process.execPath, [CLI, '--version']) : run('ansible-playbook', ['--version'], { env: ansibleEnv(undefined, t) });
}

export function syntaxCheck(t: ToolName, inventory: string): Promise<RunResult> {
  return t === 'lvsplay'
    ? run(process.execPath, [CLI, '-i', inventory, '--syntax-check', books.lvsplay.site])
    : run('ansible-playbook', ['-i', inventory, '--syntax-check', books.ansible.site], { env: ansibleEnv(undefined, t) });
}
