// The bench's two labs (its own dirs and subnets), fresh hosts for first converges, and the
// python3 that ansible-playbook needs on its targets (lvsplay needs nothing there but sh).
// Their names (hence dirs) and subnets can be changed (--lab4/--lab50, or BENCH_LAB4/BENCH_LAB50):
// NAME or NAME@SUBNET, e.g. `--lab4 h-speed4@10.166.241.0/24`, so two benches never share a lab.
import { createHash } from 'node:crypto';
import { labDown, labUp, paths, readState, isUp } from '../../src/lab/index.js';
import { run } from './proc.js';

export interface BenchLab {
  dir: string;
  subnet: string;
  hosts: number;
  name: string;
}

export const LAB4: BenchLab = { dir: '/var/lib/lvsplay/labs/bench', subnet: '10.156.0.0/24', hosts: 4, name: 'bench' };
export const LAB50: BenchLab = { dir: '/var/lib/lvsplay/labs/bench50', subnet: '10.157.0.0/24', hosts: 50, name: 'bench50' };

/** The growth curve's lab (scenario 7): 500 hosts need more than a /24 (the lab holds 80 below the VIP there). */
export const LAB500: BenchLab = { dir: '/var/lib/lvsplay/labs/bench500', subnet: '10.146.0.0/22', hosts: 500, name: 'bench500' };

const LABS_DIR = '/var/lib/lvsplay/labs';

/** A subnet derived from the name (10.160.0.0 - 10.199.255.0/24, as test/helpers/lab.ts does): other names, other subnets. */
export function subnetOf(name: string): string {
  const h = createHash('sha1').update(name).digest();
  return `10.${160 + (h[0] % 40)}.${h[1]}.0/24`;
}

/** `NAME` or `NAME@SUBNET` -> a lab of `hosts` hosts under /var/lib/lvsplay/labs/NAME; undefined/empty: `def`. */
export function labFromSpec(spec: string | undefined, def: BenchLab): BenchLab {
  if (!spec) return def;
  const [name, subnet] = spec.split('@');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`bench: bad lab name '${name}' (letters, digits, '.', '_', '-')`);
  if (subnet !== undefined && !/^\d+\.\d+\.\d+\.\d+\/(1[6-9]|2[0-4])$/.test(subnet)) throw new Error(`bench: bad lab subnet '${subnet}' (/16 to /24, e.g. 10.166.241.0/24)`);
  return { name, dir: `${LABS_DIR}/${name}`, subnet: subnet ?? subnetOf(name), hosts: def.hosts };
}

const quiet = () => undefined;

/** Up (reusing a lab already up with the same size and subnet). */
export async function ensureUp(l: BenchLab): Promise<void> {
  const st = readState(l.dir);
  if (isUp(st) && st!.hosts.length === l.hosts && st!.subnet === l.subnet) return;
  await labDown({ dir: l.dir, log: quiet });
  await labUp({ dir: l.dir, hosts: l.hosts, subnet: l.subnet, name: l.name, log: quiet });
}

/** Brand-new hosts (nothing installed, nothing configured). */
export async function fresh(l: BenchLab): Promise<void> {
  await labDown({ dir: l.dir, log: quiet });
  await labUp({ dir: l.dir, hosts: l.hosts, subnet: l.subnet, name: l.name, log: quiet });
}

export async function down(l: BenchLab): Promise<void> {
  await labDown({ dir: l.dir, log: quiet });
}

export function inventory(l: BenchLab): string {
  return paths(l.dir).inventory;
}

export function hostList(l: BenchLab): { name: string; addr: string }[] {
  return (readState(l.dir)?.hosts ?? []).map((h) => ({ name: h.name, addr: h.addr }));
}

/** address -> inventory name (ansible -vvv names hosts by address). */
export function nameByAddr(l: BenchLab): Record<string, string> {
  return Object.fromEntries(hostList(l).map((h) => [h.addr, h.name]));
}

/** Run a command on every host over ssh (strict host key checking against the lab's known_hosts). */
export async function onHosts(l: BenchLab, cmd: string, parallel = 8): Promise<void> {
  const p = paths(l.dir);
  const hosts = hostList(l);
  let next = 0;
  const errors: string[] = [];
  const worker = async () => {
    while (next < hosts.length) {
      const h = hosts[next++];
      const r = await run('ssh', [
        '-i', p.key, '-o', `UserKnownHostsFile=${p.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
        '-o', 'ConnectTimeout=10', `root@${h.addr}`, cmd,
      ]);
      if (r.code !== 0) errors.push(`${h.name}: rc=${r.code} ${r.stderr.trim().slice(-300)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, hosts.length) }, worker));
  if (errors.length) throw new Error(`on ${l.name} hosts \`${cmd}\` failed:\n${errors.join('\n')}`);
}

/** ansible-playbook's prerequisite on its targets (not timed): python3 from the lab's apt proxy. */
export function bootstrapPython(l: BenchLab): Promise<void> {
  return onHosts(
    l,
    'command -v python3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 >/tmp/bench-python3.log 2>&1',
  );
}
