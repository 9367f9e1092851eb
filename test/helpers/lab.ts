// A namespace lab for tests: `const lab = await useLab('modules')` in a before() hook (needs root).
// Each name gets its own lab dir (/var/lib/lvsplay/labs/<name>) and, unless given, its own subnet.
// A lab already up in that dir with the same size/subnet is reused (and then left up by down()).
// Every lab this test process brings up is taken down after the last test of the run (a root
// after() hook, registered when this module loads), also when tests fail: a run leaves no lab behind.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { labUp, labDown, readState, isUp, rootfsReady, paths } from '../../src/lab/index.js';

/** Labs brought up by this process (by dir), taken down at the end of the run. */
const startedHere = new Set<string>();

/** Take down every lab this process brought up and that is still there; returns their dirs. */
export async function downStartedLabs(): Promise<string[]> {
  const downed: string[] = [];
  for (const dir of startedHere) {
    if (readState(dir)) {
      await labDown({ dir, log: () => undefined });
      downed.push(dir);
    }
    startedHere.delete(dir);
  }
  return downed;
}

// the root hook plugin of stateenv.ts calls it after each file in parallel runs
(globalThis as { __lvsplayDownStartedLabs?: () => Promise<string[]> }).__lvsplayDownStartedLabs = downStartedLabs;

// A root hook: mocha's global after() while spec files load adds to the root suite (runs once, last).
if (typeof after === 'function') {
  after(async function () {
    this.timeout(300_000);
    const downed = await downStartedLabs();
    if (downed.length) console.log(`  (labs taken down after the run: ${downed.join(', ')})`);
  });
  // An interrupted run (Ctrl-C, a CI time-out) skips the hooks: take the labs down, then leave.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.log(`\n  ${sig}: taking down the labs this run started`);
      downStartedLabs().finally(() => process.exit(130));
    });
  }
}

export const LAB_ROOT = '/var/lib/lvsplay/labs';

/** Why lab tests cannot run here (undefined when they can). In a before() hook: skipWithoutLab(this). */
export function labSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'SKIP lab tests: they need root (network namespaces, mounts)';
  if (!existsSync('/proc/self/ns/net') || !existsSync('/proc/self/ns/pid')) return 'SKIP lab tests: no namespaces in this kernel';
  if (!rootfsReady()) return 'SKIP lab tests: the lab rootfs is not built (run `lvsplay lab rootfs`, ~50 s, once)';
  return undefined;
}

/** For a mocha hook: skip the suite, printing why, when lab tests cannot run here (or for `extraReason`). */
export function skipWithoutLab(ctx: Mocha.Context, extraReason?: string, indent = '    '): void {
  const why = labSkipReason() ?? extraReason;
  if (why) {
    console.log(`${indent}${why}`);
    ctx.skip();
  }
}

/** A subnet derived from the lab name (10.160.0.0 - 10.199.255.0), so labs of different tests do not collide. */
export function subnetFor(name: string): string {
  const h = createHash('sha1').update(name).digest();
  return `10.${160 + (h[0] % 40)}.${h[1]}.0/24`;
}

export interface TestLab {
  dir: string;
  inventory: string;
  name: string;
  hosts: { name: string; addr: string }[];
  down(): Promise<void>;
}

export async function useLab(name: string, opts: { hosts?: number; subnet?: string } = {}): Promise<TestLab> {
  const dir = `${LAB_ROOT}/${name}`;
  const hosts = opts.hosts ?? 4;
  const prev = readState(dir);
  let reused = false;
  // A lab already up there (e.g. started by hand with `lvsplay lab up --lab-dir ...`) is reused when its size fits.
  if (isUp(prev) && prev.hosts.length === hosts && (opts.subnet === undefined || prev.subnet === opts.subnet)) reused = true;
  else {
    if (prev) await labDown({ dir, log: () => undefined });
    startedHere.add(dir);
    await labUp({ dir, hosts, subnet: opts.subnet ?? subnetFor(name), name, log: () => undefined });
  }
  const st = readState(dir)!;
  return {
    dir,
    name,
    inventory: paths(dir).inventory,
    hosts: st.hosts.map((h) => ({ name: h.name, addr: h.addr })),
    down: async () => {
      if (reused) return;
      await labDown({ dir, log: () => undefined });
      startedHere.delete(dir);
    },
  };
}
