// Bench: namespace lab up/down for 4 and 50 hosts (targets: 4 up < 2 s, 4 down < 1 s, 50 up < 10 s).
// Needs root and the lab rootfs. Run: npx tsc -p . && node dist/bench/lab.js [rounds]
import { labUp, labDown, rootfsReady } from '../src/lab/index.js';

const DIR = '/var/lib/lvsplay/labs/labbench'; // not labs/bench: that one is the tool bench's (bench/run.ts)
const SUBNET = '10.152.2.0/24'; // 10.152.x is the lab engineer's range (tests: .0 and .1)

interface Row {
  hosts: number;
  up: number[];
  down: number[];
}

async function measure(hosts: number, rounds: number): Promise<Row> {
  const row: Row = { hosts, up: [], down: [] };
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await labUp({ dir: DIR, subnet: SUBNET, hosts, name: 'labbench', log: () => undefined });
    row.up.push((performance.now() - t) / 1000);
    t = performance.now();
    await labDown({ dir: DIR, log: () => undefined });
    row.down.push((performance.now() - t) / 1000);
  }
  return row;
}

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs: number[]): number => Math.max(...xs);

async function main(): Promise<void> {
  if (process.getuid?.() !== 0 || !rootfsReady()) {
    console.log('bench/lab: SKIP (needs root and the lab rootfs: `lvsplay lab rootfs`)');
    return;
  }
  const rounds = Number(process.argv[2] ?? 3);
  await labDown({ dir: DIR, log: () => undefined });
  const targets: Record<number, { up: number; down?: number }> = { 4: { up: 2, down: 1 }, 50: { up: 10 } };
  const rows = [await measure(4, rounds), await measure(50, rounds)];
  console.log(`lab up/down (wall clock from call to every sshd answering / everything removed), ${rounds} rounds`);
  console.log('hosts  up median  up max  target   down median  down max  target');
  for (const r of rows) {
    const t = targets[r.hosts];
    const cell = (v: number): string => `${v.toFixed(2)} s`.padStart(8);
    console.log(
      `${String(r.hosts).padStart(5)}  ${cell(med(r.up))}  ${cell(max(r.up))}  ${`< ${t.up} s`.padEnd(7)}  ${cell(med(r.down))}     ${cell(max(r.down))}  ${t.down ? `< ${t.down} s` : '-'}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
