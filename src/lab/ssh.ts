// `lab ssh NODE [-- CMD...]`: the host's real sshd, the lab key and known_hosts, strict host key checking.
import { spawn } from 'node:child_process';
import { paths } from './config.js';
import { readState } from './state.js';
import { LabError } from './system.js';
import { closest } from '../suggest.js';

/** The ssh argv (without the `ssh` itself) to reach NODE of the lab in DIR. */
export function sshArgs(dir: string, node: string, cmd: string[] = []): string[] {
  const st = readState(dir);
  if (!st) throw new LabError(`no lab is up in ${dir} (run \`lvsplay lab up\`)`);
  const h = st.hosts.find((x) => x.name === node || x.addr === node);
  if (!h) {
    const names = st.hosts.map((x) => x.name);
    const s = closest(node, names);
    throw new LabError(`no host '${node}' in lab '${st.name}'${s ? `; did you mean '${s}'?` : ''} (hosts: ${names.join(', ')})`);
  }
  const p = paths(dir);
  return [
    '-i', p.key,
    '-o', `UserKnownHostsFile=${p.knownHosts}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'LogLevel=ERROR',
    '-o', 'ConnectTimeout=10',
    '-l', 'root',
    h.addr,
    ...cmd,
  ];
}

/** Run ssh with the terminal attached; resolves with ssh's exit code (the remote command's, or 255). */
export function labSsh(dir: string, node: string, cmd: string[] = []): Promise<number> {
  const args = sshArgs(dir, node, cmd);
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { stdio: 'inherit' });
    child.on('error', () => resolve(255));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 255 : 1)));
  });
}
