// What the bench needs on the machine: root and the lab rootfs (namespace lab), and
// ansible-playbook with the ansible.posix collection (sysctl). Debian: the `ansible` package
// (it pulls ansible-core; ansible-core alone has no ansible.posix.sysctl). Installed here when
// missing and running as root; otherwise the command to run is printed.
import { rootfsReady } from '../../src/lab/index.js';
import { existsSync } from 'node:fs';
import { onPath, run } from './proc.js';
import { ansibleEnv, MITOGEN_STRATEGY_DIR } from './tools.js';

/**
 * Ansible + Mitogen (Debian's ansible-mitogen 0.3.3, patched for ansible-core 2.14): installed
 * when missing (as root); undefined when usable, else why not (the bench then runs without it).
 */
export async function mitogenPrerequisite(log: (s: string) => void): Promise<string | undefined> {
  const ok = () => existsSync(`${MITOGEN_STRATEGY_DIR}/mitogen_linear.py`);
  if (ok()) return undefined;
  log('bench: installing Ansible + Mitogen: apt-get install -y ansible-mitogen ...');
  const r = await run('apt-get', ['install', '-y', '-q', 'ansible-mitogen'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return ok() ? undefined : `ansible-mitogen is not installed (apt-get install -y ansible-mitogen): ${r.stderr.slice(-300)}`;
}

export async function prerequisites(log: (s: string) => void): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'the namespace lab needs root';
  if (!rootfsReady()) return 'the lab rootfs is not built: run `lvsplay lab rootfs` (~50 s, once)';
  const hasPosix = async () =>
    (await run('ansible-doc', ['-t', 'module', '-j', 'ansible.posix.sysctl'], { env: ansibleEnv() }).catch(() => ({ code: 1 }))).code === 0;
  if (!onPath('ansible-playbook') || !(await hasPosix())) {
    log('bench: installing ansible-playbook and the ansible.posix collection: apt-get install -y ansible ...');
    const r = await run('apt-get', ['install', '-y', '-q', 'ansible'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.code !== 0 || !onPath('ansible-playbook') || !(await hasPosix())) {
      return `ansible-playbook with ansible.posix is needed: run \`apt-get install -y ansible\` (Debian 12: ansible-core 2.14 + collections)\n${r.stderr.slice(-500)}`;
    }
  }
  return undefined;
}

export async function ansibleVersion(): Promise<string> {
  const r = await run('ansible-playbook', ['--version'], { env: ansibleEnv() });
  return r.stdout.split('\n')[0]?.trim() ?? '?';
}
