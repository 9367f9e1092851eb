// Run the same playbook with lvsplay (the built CLI) and with ansible-playbook 2.14, both with
// `connection: local` in a scratch directory, for differential tests of templating.
import { onPath, skipWithoutAnsible as skipUnless } from '../helpers/ansible.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

/** Is ansible-playbook on PATH? (Differential tests skip with a printed reason when not: test/helpers/ansible.ts.) */
export const haveAnsible = (): boolean => onPath('ansible-playbook');

/** Skip the calling suite/test when ansible-playbook is missing, saying why. */
export const skipWithoutAnsible = (ctx: Mocha.Context): void => skipUnless(ctx, 'ansible-playbook');

/** A scratch directory with files (relative path -> content). */
export function scratch(files: Record<string, string>, prefix = 'lvsplay-jinja-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), t);
  }
  return d;
}

export interface ToolRun {
  rc: number | null;
  out: string;
  err: string;
}

export function runLvsplay(dir: string, playbook: string, extra: string[] = []): ToolRun {
  const r = spawnSync(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', playbook, ...extra], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent' },
    maxBuffer: 64 << 20,
  });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

export function runAnsible(dir: string, playbook: string, extra: string[] = []): ToolRun {
  const r = spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', playbook, ...extra], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_LOCALHOST_WARNING: '0', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent' },
    maxBuffer: 64 << 20,
  });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

/** The python that runs ansible-playbook (its shebang), so that `import ansible` works. */
export function ansiblePython(): string {
  const where = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).stdout.trim();
  const first = readFileSync(where, 'utf8').split('\n')[0];
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
  if (!m) return 'python3';
  return m[1].endsWith('/env') && m[2] ? m[2] : m[1];
}
