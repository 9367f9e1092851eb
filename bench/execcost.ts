// `node dist/bench/execcost.js [--lab-dir DIR] [--node node01] [--n 300]`: the cost of one command
// over SSH on a lab host, per path — the persistent shell (a plain command), an exec channel (a
// command with a timeout), an exec channel with input — as the median and mean of N sequential
// `true`s. Run the same file from an older build's dist/bench to compare (e.g. before and after the
// lifeline of src/connection/lifeline.ts). Figures only, nothing asserted.
import { SshConnection } from '../src/connection/ssh.js';
import { paths, readState } from '../src/lab/index.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const dir = arg('--lab-dir', process.env.LVSPLAY_LAB_DIR ?? '/var/lib/lvsplay/labs/default');
const node = arg('--node', 'node01');
const n = Number(arg('--n', '300'));
const st = readState(dir);
const host = st?.hosts.find((h) => h.name === node);
if (!host) throw new Error(`no lab host ${node} in ${dir}`);
const p = paths(dir);
const conn = new SshConnection({
  host: node,
  hostName: host.addr,
  port: 22,
  user: 'root',
  keyFiles: [p.key],
  knownHostsFiles: [p.knownHosts],
  strictHostKeyChecking: true,
  connectTimeoutMs: 10000,
} as ConstructorParameters<typeof SshConnection>[0]);

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], mean: ms.reduce((a, b) => a + b, 0) / ms.length };
};

try {
  if (!(await conn.persistentShellReady())) console.log('(the persistent shell is not available: plain commands use exec channels)');
  const paths_: [string, Parameters<SshConnection['exec']>[1]][] = [
    ['persistent shell', {}],
    ['exec channel', { timeoutMs: 60000 }],
    ['exec channel with input', { stdin: 'x' }],
  ];
  for (const [what, opts] of paths_) {
    for (let i = 0; i < 10; i++) await conn.exec('true', opts); // warm up
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      const r = await conn.exec('true', opts);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.rc !== 0) throw new Error(`${what}: rc ${r.rc}: ${r.stderr}`);
    }
    const s = stats(ms);
    console.log(`${what.padEnd(26)} median ${s.median.toFixed(2).padStart(6)} ms  mean ${s.mean.toFixed(2).padStart(6)} ms  (${n} commands)`);
  }
} finally {
  await conn.close();
}
