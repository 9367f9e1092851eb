// Test helper for the cluster lab test: drive the real CLI as a user would (`node dist/cli/lvsplay.js`),
// read its PLAY RECAP, and watch the VIP from the machine (`ip netns exec`) in the background.
import { execFile } from 'node:child_process';
import { ROOT } from './clustervars.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command; never rejects (the exit code is part of the result). */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 600_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** `lvsplay ARGS` with the lab dir in the environment (so `-i lab` means that lab). */
export function lvsplay(labDir: string, args: string[]): Promise<Run> {
  return run(process.execPath, ['dist/cli/lvsplay.js', ...args], { LVSPLAY_LAB_DIR: labDir });
}

export type Counts = Record<string, number>;

/** The PLAY RECAP of console output: host -> {ok, changed, unreachable, failed, skipped, ...}. */
export function parseRecap(out: string): Record<string, Counts> {
  // eslint-disable-next-line no-control-regex
  const text = out.replace(/\x1b\[[0-9;]*m/g, '');
  const at = text.lastIndexOf('PLAY RECAP');
  if (at < 0) throw new Error(`no PLAY RECAP in the output:\n${text.slice(-3000)}`);
  const recap: Record<string, Counts> = {};
  for (const line of text.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const c: Counts = {};
    for (const kv of m[2].trim().split(/\s+/)) {
      const [k, v] = kv.split('=');
      c[k] = Number(v);
    }
    recap[m[1]] = c;
  }
  return recap;
}

/** One JSON event per line (`--json`). */
export function parseEvents(out: string): Record<string, unknown>[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** `ip -o -4 addr show dev IFACE` inside a lab host's network namespace. */
export async function addrs(ns: string, iface: string): Promise<string> {
  const r = await run('ip', ['netns', 'exec', ns, 'ip', '-o', '-4', 'addr', 'show', 'dev', iface], {}, 10_000);
  if (r.code !== 0) throw new Error(`ip netns exec ${ns}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export function holds(ipOutput: string, vip: string, label?: string): boolean {
  return ipOutput
    .split('\n')
    .some((l) => l.includes(` inet ${vip}/`) && (label === undefined || new RegExp(`\\s${label.replace('.', '\\.')}(\\\\|\\s|$)`).test(l)));
}

export interface Sample {
  t: number;
  /** The VIP on the master's namespace at its first read. */
  master: boolean;
  /** The VIP on the backup's namespace (read right after). */
  backup: boolean;
  /**
   * Both held the VIP at one moment, proven by the reads' order: master, backup, master, backup
   * read one after the other, and the VIP seen on one side in two reads around a read that saw it
   * on the other. Two reads a few milliseconds apart that both see it prove nothing by themselves
   * on a busy machine: one side may have let it go between them (a handover in progress).
   */
  both: boolean;
}

const READ4 = 'for n in "$1" "$2" "$1" "$2"; do ip -n "$n" -o -4 addr show dev "$3" || exit 1; echo @@; done';

/** Poll where the VIP is (master and backup namespaces) every `everyMs` until stop() is called. */
export function vipPoller(masterNs: string, backupNs: string, vip: string, iface: string, everyMs = 50) {
  const samples: Sample[] = [];
  const errors: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = Date.now();
      const r = await run('sh', ['-c', READ4, 'sh', masterNs, backupNs, iface], {}, 10_000);
      if (r.code !== 0) errors.push(`reading the VIP in ${masterNs}/${backupNs}: exit ${r.code}: ${r.stderr}`);
      else {
        const [m1, b1, m2, b2] = r.stdout.split('@@\n').slice(0, 4).map((o) => holds(o, vip));
        samples.push({ t, master: m1, backup: b1, both: (m1 && b1 && m2) || (b1 && m2 && b2) });
      }
      await new Promise((res) => setTimeout(res, Math.max(0, everyMs - (Date.now() - t))));
    }
  })();
  return {
    samples,
    errors,
    stop: async (): Promise<void> => {
      stopped = true;
      await loop;
    },
  };
}

/** Poll `f` until it returns true or `ms` pass. */
export async function eventually(f: () => Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await f()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return f();
}
