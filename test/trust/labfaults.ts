// Shared by the lab fault tests (abandon, apt, link, disk): their lab, an inventory that logs in as
// root on some hosts and as an unprivileged sudoer (become) on others, waiting, pending-handler
// records, and what a host still runs or keeps after a run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { paths, readState } from '../../src/lab/index.js';
import { skipWithoutLab, useLab, type TestLab } from '../helpers/lab.js';
import { labExec } from './helpers.js';

/**
 * The fault suites' own lab (its name sets its subnet; other suites' labs are left alone).
 * LVSPLAY_FAULT_LAB names another one (4 hosts) for every fault suite — for a session that must
 * keep to a lab name of its own while other runs use the machine.
 */
export const FAULT_LAB = process.env.LVSPLAY_FAULT_LAB || 'faultlab';

/** The fault lab (or `name`, with `hosts` hosts, unless LVSPLAY_FAULT_LAB names the lab), or skip the suite saying why. */
export async function faultLabOrSkip(ctx: Mocha.Context, name = 'faultlab', hosts = 4): Promise<TestLab> {
  skipWithoutLab(ctx);
  return process.env.LVSPLAY_FAULT_LAB ? useLab(process.env.LVSPLAY_FAULT_LAB, { hosts: 4 }) : useLab(name, { hosts });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(what: string, cond: () => boolean, out: () => string, ms = 60000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} never happened:\n${out()}`);
    await sleep(100);
  }
}

/** A host's PLAY RECAP counts. */
export function recapOf(out: string, host: string): Record<string, number> {
  const m = new RegExp(`^${host}\\s+: (.*)$`, 'm').exec(out);
  if (!m) return {};
  return Object.fromEntries([...m[1].matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1], Number(x[2])]));
}

/** The pending-handler records of a state dir (src/run/pending.ts), as handler@host/why. */
export function pendingRecords(state: string): string[] {
  const d = join(state, 'pending-handlers');
  if (!existsSync(d)) return [];
  return readdirSync(d)
    .flatMap((f) => (JSON.parse(readFileSync(join(d, f), 'utf8')) as { records: { handler: string; host: string; why: string }[] }).records)
    .map((r) => `${r.handler}@${r.host}/${r.why}`)
    .sort();
}

/**
 * An inventory of the lab's hosts: node01 and node03 log in as root, node02 and node04 as `deploy`
 * (created by addDeployUser) and become root with sudo.
 */
export function mixedInventory(lab: TestLab): string {
  const p = paths(lab.dir);
  const lines = lab.hosts.map((h, i) =>
    i % 2 === 0 ? `${h.name} ansible_host=${h.addr} ansible_user=root` : `${h.name} ansible_host=${h.addr} ansible_user=deploy ansible_become=true`,
  );
  return [
    '[all]',
    ...lines,
    '[all:vars]',
    `ansible_ssh_private_key_file=${p.key}`,
    `ansible_ssh_common_args='-o UserKnownHostsFile=${p.knownHosts} -o StrictHostKeyChecking=yes'`,
    `lvsplay_known_hosts=${p.knownHosts}`,
    '',
  ].join('\n');
}

/** A `deploy` user on every host, logging in with the lab key, sudo without a password. */
export function addDeployUser(lab: TestLab): void {
  for (const h of lab.hosts) {
    const r = labExec(
      lab.dir,
      h.name,
      'id deploy >/dev/null 2>&1 || useradd -m -s /bin/sh deploy; install -d -o deploy -m 700 ~deploy/.ssh; ' +
        'install -o deploy -m 600 /root/.ssh/authorized_keys ~deploy/.ssh/; echo "deploy ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/deploy',
    );
    if (r.rc !== 0) throw new Error(`cannot add the deploy user on ${h.name}: ${r.err}`);
  }
}

/** Processes on a host whose command line matches the ERE (not the probe itself). */
export function remoteProcs(lab: TestLab, node: string, ere: string): string {
  return labExec(lab.dir, node, `ps -eo pid,user,args | grep -E '${ere}' | grep -v -e 'grep -E' || true`).out.trim();
}

/** lvsplay temp files left under a directory of a host. */
/**
 * A listing without the per-host lock files (src/run/hostlock.ts keeps lvsplay-HOST.lock/.holder in
 * /tmp by design when the login user is not root): what is left is a real leftover.
 */
export function withoutHostLocks(listing: string): string {
  return listing.replace(/^lvsplay-node\d+\.(lock|holder)$/gm, '').trim();
}

export function remoteTemps(lab: TestLab, node: string, dir: string): string {
  return labExec(lab.dir, node, `ls -a ${dir} 2>/dev/null | grep lvsplay || true`).out.trim();
}

/**
 * Run a script on a lab host through its namespaces (nsenter into its init), not over its sshd —
 * for faults that stop sshd or change its host key.
 */
export function nsExec(lab: TestLab, node: string, script: string, stdin?: string): { rc: number | null; out: string; err: string } {
  const h = readState(lab.dir)?.hosts.find((x) => x.name === node);
  if (!h?.pid) throw new Error(`no such lab host: ${node}`);
  const init = spawnSync('pgrep', ['-P', String(h.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  if (!init) throw new Error(`${node}: its init is not running`);
  const r = spawnSync('nsenter', ['-t', init, '-m', '-u', '-i', '-n', '-p', '-r', '-w', 'sh', '-c', script], { encoding: 'utf8', input: stdin, timeout: 60000 });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}
