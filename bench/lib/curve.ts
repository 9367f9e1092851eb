// 7. How the tools grow with hosts: one big namespace lab (500 hosts by default, on a /22), the
// Ansible-written playbook (bench/ansible-style) converged once, then no-change runs limited to the
// first 4, 50, 200 and all 500 hosts of that same lab. Per size: wall, controller CPU, peak RSS, and
// lvsplay's CPU per host-task (the CPU added from the previous size over the host-tasks added),
// which shows whether anything of lvsplay's own grows faster than the hosts.
// The lab is built from its own rootfs with python3 (ansible-playbook's prerequisite on every
// target; installing it host by host on 500 hosts would take longer than the bench).
import { readFileSync } from 'node:fs';
import { isUp, readState } from '../../src/lab/index.js';
import { firstHosts, sampleOf, emptySamples, type Log, type Sample, TOOLS } from './scenarios.js';
import { hostList, inventory, type BenchLab } from './labs.js';
import { totals } from './recap.js';
import { run } from './proc.js';
import { CLI, play, type ToolName } from './tools.js';

/** The python3 rootfs the curve's lab is built from (its own cache dir: a built rootfs is reused as it is). */
export const PY_ROOTFS = process.env.BENCH_PY_ROOTFS ?? '/var/cache/lvsplay/rootfs-bookworm-py';

export interface CurveOpts {
  lab: BenchLab; // hosts = the largest size
  sizes: number[];
  reps: number; // lvsplay's runs per size (and Ansible's up to `fullAnsibleUpTo` hosts)
  fullAnsibleUpTo: number; // above this many hosts each Ansible variant is sampled once
  ansibleForks: number; // ansible-playbook's -f is min(hosts, this): a fork per host costs ~50 MB
  connectTimeout: number; // -T of both tools
  ansibleKillAfterS: number; // an Ansible run still going after this long is stopped and counted as not finished
}

export interface CurvePoint {
  hosts: number;
  samples: Record<ToolName, Sample[]>;
  forks: Record<ToolName, number>;
  tasksPerHost?: number;
}

export interface CurveResult {
  opts: CurveOpts;
  points: CurvePoint[];
  labUpSeconds?: number;
  memPerHostMB?: number;
  converge?: Sample;
}

function memAvailableKB(): number {
  const m = /^MemAvailable:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const pyEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LVSPLAY_ROOTFS: PY_ROOTFS, LVSPLAY_ROOTFS_EXTRA: 'python3' });

/** `lvsplay lab up` of the curve's lab from the python3 rootfs (built when missing), timed, with the memory it takes. */
async function labUpPy(l: BenchLab, log: Log): Promise<{ seconds?: number; memPerHostMB?: number }> {
  const st = readState(l.dir);
  if (isUp(st) && st!.hosts.length === l.hosts && st!.subnet === l.subnet) {
    const h = st!.hosts[0];
    const r = await run(process.execPath, [CLI, 'lab', '--lab-dir', l.dir, 'ssh', h.name, '--', 'command -v python3']);
    if (r.code === 0) {
      log(`[7] reusing ${l.name} (${l.hosts} hosts, up; lab memory not measured)`);
      return {};
    }
  }
  await run(process.execPath, [CLI, 'lab', '--lab-dir', l.dir, 'down']);
  log(`[7] lab up: ${l.name}, ${l.hosts} hosts on ${l.subnet}, rootfs ${PY_ROOTFS} (python3 for Ansible; built first when missing)`);
  const ready = await run(process.execPath, [CLI, 'lab', 'rootfs'], { env: pyEnv() });
  if (ready.code !== 0) throw new Error(`bench: lab rootfs (${PY_ROOTFS}) failed:\n${ready.stderr.slice(-800)}`);
  const before = memAvailableKB();
  const up = await run(process.execPath, [CLI, 'lab', '--lab-dir', l.dir, 'up', '--name', l.name, '--hosts', String(l.hosts), '--subnet', l.subnet], { env: pyEnv() });
  if (up.code !== 0) throw new Error(`bench: lab up of ${l.name} failed:\n${up.stderr.slice(-800)}`);
  const memPerHostMB = (before - memAvailableKB()) / 1024 / l.hosts;
  log(`  up in ${up.wall.toFixed(1)} s, ${memPerHostMB.toFixed(1)} MB of memory per host`);
  return { seconds: up.wall, memPerHostMB };
}

export async function labDownPy(l: BenchLab): Promise<void> {
  await run(process.execPath, [CLI, 'lab', '--lab-dir', l.dir, 'down']);
}

export async function growthCurve(o: CurveOpts, log: Log): Promise<CurveResult> {
  const res: CurveResult = { opts: o, points: [] };
  const up = await labUpPy(o.lab, log);
  res.labUpSeconds = up.seconds;
  res.memPerHostMB = up.memPerHostMB;
  const inv = inventory(o.lab);
  const all = hostList(o.lab).length;
  const base = { inventory: inv, book: 'astyle' as const, connectTimeout: o.connectTimeout };
  log(`[7] converging all ${all} hosts once with lvsplay (-f ${all}; not part of the curve)`);
  const c = await play('lvsplay', { ...base, forks: all });
  res.converge = sampleOf(c);
  log(`  lvsplay converge: ${c.wall.toFixed(1)} s wall, changed=${res.converge.changed}${res.converge.failed ? ` FAILED (${res.converge.failed})` : ''}`);
  for (const n of o.sizes) {
    const limit = n >= all ? undefined : firstHosts(o.lab, n);
    const pt: CurvePoint = { hosts: n, samples: emptySamples(), forks: { lvsplay: n, ansible: Math.min(n, o.ansibleForks), mitogen: Math.min(n, o.ansibleForks) } };
    for (let i = 0; i < o.reps; i++) {
      // each tool first, in the middle and last in turn
      const k = i % TOOLS.length;
      for (const t of [...TOOLS.slice(k), ...TOOLS.slice(0, k)]) {
        if (t !== 'lvsplay' && n > o.fullAnsibleUpTo && i > 0) continue;
        const killAfterMs = t === 'lvsplay' ? undefined : o.ansibleKillAfterS * 1000;
        const r = await play(t, { ...base, forks: pt.forks[t], limit, killAfterMs });
        const s = sampleOf(r);
        if (killAfterMs && r.wall * 1000 >= killAfterMs - 50) s.failed = `not finished in ${o.ansibleKillAfterS} s (stopped)`;
        if (t === 'lvsplay' && s.ok) pt.tasksPerHost = totals(r.counts).ok / Math.max(1, Object.keys(r.counts).length);
        pt.samples[t].push(s);
        log(`  ${t.padEnd(8)}[7] ${n} hosts, rep ${i + 1}: ${r.wall.toFixed(2)} s wall, ${r.cpu?.toFixed(2) ?? '-'} s cpu, ${r.rss ? Math.round(r.rss / 1024) : '-'} MB peak, changed=${s.changed}${s.failed ? `  FAILED (${s.failed})` : ''}`);
      }
    }
    res.points.push(pt);
  }
  return res;
}
