// `npm run bench`: lvsplay against ansible-playbook and ansible-playbook + Mitogen on the namespace
// lab, same work, alternating, medians and ratios. Options: --reps N (5), --cli-reps N (10),
// --only 1,2,3,4,5,6, --big N (50 hosts), --keep (leave the bench labs up), --no-write (do not
// write bench/results/latest.md), --lab4 / --lab50 NAME[@SUBNET] (other labs than bench/bench50;
// also BENCH_LAB4 / BENCH_LAB50), --no-mitogen; scenario 7 (the growth curve): --curve 4,50,200,500
// (sizes; the largest is its lab's host count), --curve-reps N (3), --lab500 NAME[@SUBNET] (BENCH_LAB500).
import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { down, ensureUp, LAB4, LAB50, LAB500, labFromSpec, type BenchLab } from './lib/labs.js';
import { growthCurve, labDownPy, type CurveResult } from './lib/curve.js';
import { ansibleVersion, mitogenPrerequisite, prerequisites } from './lib/prereq.js';
import { curveSamples, curveTable, curveText, execTable, growthTable, growthText, mainTable, samplesText } from './lib/report.js';
import { cli, convergeOnce, firstConverge, firstHosts, noChange, roundTrips, TOOLS, withoutTool, type ExecRow, type Row } from './lib/scenarios.js';
import { ROOT, snapshotCli, version } from './lib/tools.js';
import { killAll } from './lib/proc.js';
import { methodText } from './lib/method.js';

interface Args {
  reps: number;
  cliReps: number;
  only: Set<string>;
  big: number;
  keep: boolean;
  write: boolean;
  lab4: BenchLab;
  lab50: BenchLab;
  mitogen: boolean;
  curve: number[];
  curveReps: number;
  lab500: BenchLab;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    reps: Number(process.env.BENCH_REPS ?? 5), cliReps: 10, only: new Set(['1', '2', '3', '4', '5', '6', '7']), big: 50, keep: false, write: true,
    lab4: labFromSpec(process.env.BENCH_LAB4, LAB4), lab50: labFromSpec(process.env.BENCH_LAB50, LAB50), mitogen: true,
    curve: [4, 50, 200, 500], curveReps: 3, lab500: labFromSpec(process.env.BENCH_LAB500, LAB500),
  };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--reps': a.reps = Number(v()); break;
      case '--cli-reps': a.cliReps = Number(v()); break;
      case '--only': a.only = new Set(v().split(',')); break;
      case '--big': a.big = Number(v()); break;
      case '--keep': a.keep = true; break;
      case '--no-write': a.write = false; break;
      case '--lab4': a.lab4 = labFromSpec(v(), LAB4); break;
      case '--lab50': a.lab50 = labFromSpec(v(), LAB50); break;
      case '--no-mitogen': a.mitogen = false; break;
      case '--curve': a.curve = v().split(',').map(Number); break;
      case '--curve-reps': a.curveReps = Number(v()); break;
      case '--lab500': a.lab500 = labFromSpec(v(), LAB500); break;
      default:
        console.error(`bench: unknown option '${argv[i]}'\nusage: npm run bench -- [--reps N] [--cli-reps N] [--only 1,2,3,4,5,6] [--big N] [--keep] [--no-write] [--lab4 NAME[@SUBNET]] [--lab50 NAME[@SUBNET]] [--no-mitogen] [--curve 4,50,200,500] [--curve-reps N] [--lab500 NAME[@SUBNET]]`);
        process.exit(5);
    }
  }
  const sizesOk = a.curve.length > 0 && a.curve.every((n, i) => Number.isInteger(n) && n >= 1 && n <= 1000 && (i === 0 || n > a.curve[i - 1]));
  if (!(a.reps >= 1) || !(a.cliReps >= 1) || !(a.curveReps >= 1) || !(a.big >= 5 && a.big <= 80) || !sizesOk) {
    console.error('bench: --reps, --cli-reps and --curve-reps must be >= 1, --big between 5 and 80, --curve increasing sizes of 1 to 1000 hosts');
    process.exit(5);
  }
  return a;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      killAll(); // the tool runs in progress, with their children (labs stay up: `lvsplay lab down --lab-dir DIR`)
      process.exit(130);
    });
  }
  const log = (s: string) => console.log(s);
  const why = await prerequisites(log);
  if (why) {
    console.log(`bench: SKIP: ${why}`);
    process.exitCode = 1;
    return;
  }
  const noMitogen = a.mitogen ? await mitogenPrerequisite(log) : 'left out (--no-mitogen)';
  if (noMitogen) {
    log(`bench: Ansible + Mitogen: ${noMitogen}`);
    withoutTool('mitogen');
  }
  snapshotCli();
  const lab4 = a.lab4;
  const big: BenchLab = { ...a.lab50, hosts: a.big };
  const extra4: string[] = []; // extra vars for both tools (the lab inventory already sets lvs_vrrp_only=true: no IPVS)
  const load0 = loadavg()[0];
  const t0 = Date.now();
  const rows: Row[] = [];
  const execs: ExecRow[] = [];
  let grow: [Row?, Row?] = [];

  if (a.only.has('5')) {
    log(`[5] CLI start and --syntax-check, ${a.cliReps} runs each`);
    rows.push(...(await cli(a.cliReps, join(ROOT, 'playbooks', 'inventory', 'notes.ini'), log)));
  }
  const c4 = { lab: lab4, book: 'site' as const, extra: extra4 };
  if (a.only.has('1')) rows.push(await firstConverge(c4, a.reps, log));
  if (a.only.has('2')) rows.push(await noChange('2', `No-change re-run, ${lab4.hosts}-host cluster (site.yml)`, c4, a.reps, log, true));
  if (a.only.has('4')) {
    await ensureUp(lab4);
    log('[4] exec channels per task, 4-host cluster (converged)');
    execs.push(...(await roundTrips(`${lab4.hosts}-host cluster, no change`, c4, log)));
  }
  if (a.only.has('3') || a.only.has('4')) {
    const cb = { lab: big, book: 'real' as const, extra: [] };
    await convergeOnce('3', cb, log);
    if (a.only.has('3')) {
      // all hosts, then 4 of them (--limit), on the same converged lab
      const rb = await noChange('3b', `No-change re-run, real-server role, ${big.hosts} hosts`, cb, a.reps, log, false);
      const small = { ...cb, limit: firstHosts(big, 4) };
      const r4 = await noChange('3a', `No-change re-run, real-server role, 4 of the ${big.hosts} hosts`, small, a.reps, log, false);
      grow = [r4, rb];
      rows.push(r4, rb);
    }
    if (a.only.has('4')) {
      log(`[4] exec channels per task, ${big.hosts} real servers (converged)`);
      execs.push(...(await roundTrips(`${big.hosts} real servers, no change`, cb, log)));
    }
  }
  if (a.only.has('6')) {
    // the Ansible-written playbook, unchanged under all three tools, on the 4-host lab and on the big one
    const s4 = { lab: lab4, book: 'astyle' as const, extra: [] };
    rows.push(await noChange('6a', `No-change re-run, Ansible-written playbook (bench/ansible-style), ${lab4.hosts} hosts`, s4, a.reps, log, true));
    const sb = { lab: big, book: 'astyle' as const, extra: [] };
    rows.push(await noChange('6b', `No-change re-run, Ansible-written playbook (bench/ansible-style), ${big.hosts} hosts`, sb, a.reps, log, true));
  }
  let curve: CurveResult | undefined;
  const lab500: BenchLab = { ...a.lab500, hosts: a.curve[a.curve.length - 1] };
  if (a.only.has('7')) {
    // 200 handshakes at once on 2 cores take longer than the default 10 s connect timeout (both tools: -T 60)
    curve = await growthCurve({ lab: lab500, sizes: a.curve, reps: a.curveReps, fullAnsibleUpTo: 50, ansibleForks: 100, connectTimeout: 60, ansibleKillAfterS: 1800 }, log);
  }
  rows.sort((x, y) => x.id.localeCompare(y.id));

  const lvVersion = (await version('lvsplay')).stdout.trim();
  const anVersion = await ansibleVersion();
  const minutes = ((Date.now() - t0) / 60000).toFixed(1);
  const head = `lvsplay vs ansible-playbook${TOOLS.includes('mitogen') ? ' and ansible-playbook + Mitogen' : ''} on the namespace lab — medians of ${a.reps} alternating runs each (CLI: ${a.cliReps})`;
  const env = `${lvVersion} (node ${process.version}); ${anVersion}; ${cpus().length} cores, load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end; ${minutes} min; ${new Date().toISOString()}`;
  const text = [
    `# Bench: ${head}`,
    '',
    env,
    '',
    mainTable(rows),
    '',
    '## Exec channels (round trips) per unchanged task per host',
    '',
    execs.length ? execTable(execs) : '(not measured)',
    '',
    `## How time grows from 4 to ${big.hosts} hosts (real-server role, no change, same ${big.hosts}-host lab, --limit 4 vs all)`,
    '',
    growthTable(grow[0], grow[1], 4, big.hosts),
    '',
    growthText(grow[0], grow[1], 4, big.hosts, cpus().length),
    '',
    `## 7. How the tools grow with hosts (bench/ansible-style, no change, ${a.curve.join(' → ')} hosts of one lab)`,
    '',
    curve ? curveTable(curve) : '(not measured)',
    '',
    curve ? curveText(curve) : '',
    '',
    methodText(execs),
    '',
    '## All samples (wall seconds)',
    '',
    samplesText(rows),
    curveSamples(curve),
    '',
  ].join('\n');
  console.log(`\n${text}`);
  if (a.write) {
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'latest.md'), text);
    log('bench: written to bench/results/latest.md');
  }
  if (!a.keep) {
    await down(lab4);
    await down(big);
    if (curve) await labDownPy(lab500);
  }
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
