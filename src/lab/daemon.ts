// The lab supervisor: one detached process per lab. It serves the apt proxy and is the parent of every
// host's init (so killed hosts are reaped even where the machine's PID 1 does not reap orphans).
// Started by `lab up` with an IPC channel; reports {pids} once every host init is spawned.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProxy } from './proxy.js';

export interface DaemonSpec {
  name: string;
  rootfs: string;
  init: string; // path of init.sh
  proxy: { host: string; port: number; allow: string[] };
  hosts: { name: string; ns: string; cidr: string; hostDir: string }[];
}

export function spawnHost(spec: DaemonSpec, h: DaemonSpec['hosts'][number]): number {
  const fd = openSync(join(h.hostDir, 'init.log'), 'w');
  const child = spawn(
    'nsenter',
    [`--net=/run/netns/${h.ns}`, 'unshare', '--mount', '--uts', '--ipc', '--pid', '--fork', '--kill-child', '/bin/sh', spec.init, h.name, h.cidr, spec.rootfs, h.hostDir],
    { stdio: ['ignore', fd, fd], detached: true },
  );
  closeSync(fd);
  child.on('error', () => undefined);
  return child.pid ?? -1;
}

async function main(): Promise<void> {
  const specFile = process.argv[process.argv.indexOf('--spec') + 1];
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as DaemonSpec;
  const ts = () => new Date().toISOString();
  let proxyError: string | undefined;
  try {
    await startProxy({ ...spec.proxy, log: (s) => console.log(`${ts()} ${s}`) });
    console.log(`${ts()} apt proxy on ${spec.proxy.host}:${spec.proxy.port} for ${spec.proxy.allow.join(', ')}`);
  } catch (e) {
    proxyError = (e as Error).message;
    console.log(`${ts()} apt proxy failed: ${proxyError}`);
  }
  const pids: Record<string, number> = {};
  for (const h of spec.hosts) pids[h.name] = spawnHost(spec, h);
  process.send?.({ pids, proxyError });
  process.disconnect?.();
  process.on('SIGTERM', () => process.exit(0));
}

if (process.argv.includes('--spec')) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
