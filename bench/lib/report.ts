// The results: the table printed by `npm run bench` and bench/results/latest.md.
import type { CurvePoint, CurveResult } from './curve.js';
import { median, ratio, secs, table } from './stats.js';
import type { ExecRow, Row, Sample } from './scenarios.js';
import type { ToolName } from './tools.js';

const okOnly = (xs: Sample[]): Sample[] => xs.filter((x) => x.ok);
const med = (xs: Sample[], k: 'wall' | 'cpu'): number | undefined => {
  const v = okOnly(xs).map((x) => x[k]).filter((x): x is number => x !== undefined);
  return v.length ? median(v) : undefined;
};
const changed = (xs: Sample[]): string => {
  const v = okOnly(xs).map((x) => x.changed).filter((x): x is number => x !== undefined);
  return v.length ? String(median(v)) : '-';
};
const fails = (xs: Sample[]): string => (xs.some((x) => !x.ok) ? ` (${xs.filter((x) => !x.ok).length} failed)` : '');

/** The faster of plain Ansible and Ansible + Mitogen (median wall), with its name. */
function fastestAnsible(samples: Record<ToolName, Sample[]>): { wall?: number; cpu?: number; name: string } {
  const cands = (['ansible', 'mitogen'] as ToolName[])
    .map((t) => ({ t, wall: med(samples[t], 'wall'), cpu: med(samples[t], 'cpu') }))
    .filter((c) => c.wall !== undefined);
  if (!cands.length) return { name: '-' };
  const best = cands.reduce((a, b) => (b.wall! < a.wall! ? b : a));
  return { wall: best.wall, cpu: best.cpu, name: best.t === 'mitogen' ? 'mitogen' : 'plain' };
}

export function mainTable(rows: Row[]): string {
  return table(
    ['#', 'scenario', 'lvsplay', 'ansible-playbook', '+ mitogen', 'speed-up vs fastest Ansible', 'lvsplay cpu', 'ansible cpu', 'mitogen cpu', 'changed lv/an/mi', 'runs'],
    rows.map((r) => {
      const lv = r.samples.lvsplay;
      const an = r.samples.ansible;
      const mi = r.samples.mitogen;
      const best = fastestAnsible(r.samples);
      return [
        r.id,
        r.label,
        secs(med(lv, 'wall')) + fails(lv),
        secs(med(an, 'wall')) + fails(an),
        mi.length ? secs(med(mi, 'wall')) + fails(mi) : '-',
        best.wall !== undefined ? `${ratio(best.wall, med(lv, 'wall'))} (${best.name})` : '-',
        secs(med(lv, 'cpu')),
        secs(med(an, 'cpu')),
        mi.length ? secs(med(mi, 'cpu')) : '-',
        r.id.startsWith('5') ? '' : `${changed(lv)} / ${changed(an)} / ${mi.length ? changed(mi) : '-'}`,
        `${lv.length}+${an.length}+${mi.length}`,
      ];
    }),
  );
}

export function execTable(rows: ExecRow[]): string {
  return table(
    ['run', 'tool', 'hosts', 'tasks run/host', 'execs/host', 'execs per task per host', 'changed'],
    rows.map((r) => [r.label, r.tool, String(r.hosts), r.tasksPerHost.toFixed(1), r.execsPerHost.toFixed(1), r.perTask.toFixed(2), String(r.changed)]),
  );
}

export function growthTable(small: Row | undefined, big: Row | undefined, nSmall: number, nBig: number): string {
  if (!small || !big) return '(not measured)';
  const tools: ToolName[] = ['lvsplay', 'ansible', 'mitogen'];
  return table(
    ['tool', `${nSmall} hosts`, `${nBig} hosts`, `growth (${nBig}/${nSmall} hosts = ${(nBig / nSmall).toFixed(1)}x)`, `cpu ${nSmall}`, `cpu ${nBig}`, 'cpu per host-run'],
    tools.map((t) => {
      const a = med(small.samples[t], 'wall');
      const b = med(big.samples[t], 'wall');
      const ca = med(small.samples[t], 'cpu');
      const cb = med(big.samples[t], 'cpu');
      return [t === 'ansible' ? 'ansible-playbook' : t === 'mitogen' ? 'ansible-playbook + mitogen' : t, secs(a), secs(b), ratio(b, a), secs(ca), secs(cb), cb !== undefined ? secs(cb / nBig) : '-'];
    }),
  );
}

export function samplesText(rows: Row[]): string {
  return rows
    .map((r) =>
      (['lvsplay', 'ansible', 'mitogen'] as ToolName[])
        .filter((t) => r.samples[t].length)
        .map((t) => `- ${r.id} ${t}: ${r.samples[t].map((s) => (s.ok ? s.wall.toFixed(3) : `FAILED(${s.failed})`)).join(', ')}`)
        .join('\n'),
    )
    .join('\n');
}

/** Why time grows with hosts: the lab's hosts share the controller's cores with the tool. */
export function growthText(small: Row | undefined, big: Row | undefined, nSmall: number, nBig: number, cores: number): string {
  if (!small || !big) return '';
  const lv = [med(small.samples.lvsplay, 'wall'), med(big.samples.lvsplay, 'wall')];
  const an = [med(small.samples.ansible, 'wall'), med(big.samples.ansible, 'wall')];
  const lvc = med(big.samples.lvsplay, 'cpu');
  const anc = med(big.samples.ansible, 'cpu');
  return [
    `Not flat, for a reason outside the tools: the ${nBig} lab hosts are namespaces on this ${cores}-core`,
    `machine, so every exec's remote work (an sshd session, a shell, the probe: ~15-20 ms of CPU`,
    `each) competes for the same ${cores} cores as the tool. lvsplay works on all ${nBig} hosts at once in`,
    `one process (its own CPU: ${secs(lvc)} for ${nBig} hosts, ${lvc !== undefined ? secs(lvc / nBig) : '-'} per host); its wall time goes from`,
    `${secs(lv[0])} to ${secs(lv[1])} (${ratio(lv[1], lv[0])}) for ${(nBig / nSmall).toFixed(1)}x the hosts, i.e. the remote side's CPU.`,
    `ansible-playbook (forks = ${nBig}) grows ${ratio(an[1], an[0])} (${secs(an[0])} -> ${secs(an[1])}): its own CPU, ${secs(anc)}`,
    `(a Python fork per host and task, module payloads, a Python interpreter per module on the host),`,
    `saturates the cores. On real machines (the hosts' work on their own CPUs) lvsplay's curve would`,
    `be close to flat: its controller-side cost per host is the CPU figure above.`,
  ].join('\n');
}

/** 7. The growth curve: per size, each tool's median wall, CPU and peak RSS; lvsplay's marginal CPU per host-task. */
export function curveTable(c: CurveResult): string {
  if (!c.points.length) return '(not measured)';
  const rssMB = (xs: Sample[]): string => {
    const v = okOnly(xs).map((x) => x.rss).filter((x): x is number => x !== undefined);
    return v.length ? `${Math.round(median(v) / 1024)} MB` : '-';
  };
  const cell = (p: CurvePoint, t: ToolName): string => {
    const xs = p.samples[t];
    if (!xs.length) return '-';
    const bad = xs.filter((x) => !x.ok);
    const w = med(xs, 'wall');
    return w === undefined ? `- (${bad.map((x) => x.failed).join('; ')})` : `${secs(w)}${fails(xs)}`;
  };
  const tools = TOOLS_IN(c);
  let prev: { hosts: number; cpu?: number } | undefined;
  const rows = c.points.map((p) => {
    const cpu = med(p.samples.lvsplay, 'cpu');
    const tasks = p.tasksPerHost ?? 0;
    const marginal =
      prev && prev.cpu !== undefined && cpu !== undefined && tasks > 0 ? `${((1000 * (cpu - prev.cpu)) / ((p.hosts - prev.hosts) * tasks)).toFixed(1)} ms (${prev.hosts} → ${p.hosts})` : '—';
    prev = { hosts: p.hosts, cpu };
    const best = fastestAnsible(p.samples);
    return [
      String(p.hosts),
      cell(p, 'lvsplay'),
      secs(cpu),
      marginal,
      rssMB(p.samples.lvsplay),
      ...tools.flatMap((t) => [`${cell(p, t)} (-f ${p.forks[t]}, ${p.samples[t].length} run${p.samples[t].length === 1 ? '' : 's'})`, secs(med(p.samples[t], 'cpu'))]),
      best.wall !== undefined ? `${ratio(best.wall, med(p.samples.lvsplay, 'wall'))} (${best.name})` : '-',
      `${changed(p.samples.lvsplay)} / ${tools.map((t) => changed(p.samples[t])).join(' / ')}`,
    ];
  });
  return table(
    [
      'hosts',
      'lvsplay',
      'lvsplay cpu',
      'lvsplay cpu per host-task (marginal)',
      'lvsplay peak RSS',
      ...tools.flatMap((t) => [t === 'ansible' ? 'ansible-playbook' : '+ mitogen', t === 'ansible' ? 'ansible cpu' : 'mitogen cpu']),
      'speed-up vs fastest Ansible',
      `changed lv / ${tools.map((t) => (t === 'ansible' ? 'an' : 'mi')).join(' / ')}`,
    ],
    rows,
  );
}

const TOOLS_IN = (c: CurveResult): ToolName[] => (['ansible', 'mitogen'] as ToolName[]).filter((t) => c.points.some((p) => p.samples[t].length));

export function curveText(c: CurveResult): string {
  if (!c.points.length) return '';
  const o = c.opts;
  const tasks = c.points.find((p) => p.tasksPerHost)?.tasksPerHost;
  return [
    `Lab: ${o.lab.name}, ${o.lab.hosts} hosts on ${o.lab.subnet}` +
      (c.labUpSeconds !== undefined ? `, up in ${c.labUpSeconds.toFixed(1)} s, ${c.memPerHostMB?.toFixed(1)} MB of memory per host (MemAvailable before and after \`lab up\`)` : ' (reused: lab memory not measured)') +
      '.',
    `Converge of all hosts by lvsplay first: ${c.converge ? `${secs(c.converge.wall)}, changed ${c.converge.changed}${c.converge.failed ? `, FAILED (${c.converge.failed})` : ''}` : '-'}.`,
    `Sizes are \`--limit\` to the first N hosts of that lab; ${tasks ?? '?'} tasks per host (recap ok, loops counted once).`,
    `lvsplay: ${o.reps} runs per size, \`-f\` = hosts; Ansible variants: ${o.reps} runs up to ${o.fullAnsibleUpTo} hosts, one above,`,
    `\`-f\` = min(hosts, ${o.ansibleForks}) (a fork per host costs ~50 MB), stopped after ${o.ansibleKillAfterS} s. Both tools \`-T ${o.connectTimeout}\`.`,
    'lvsplay cpu per host-task (marginal): the CPU added from the previous size divided by the host-tasks added — flat means',
    'nothing of lvsplay\'s own grows faster than the hosts. Peak RSS: GNU time\'s %M (the largest single process: node for lvsplay).',
  ].join('\n');
}

export function curveSamples(c: CurveResult | undefined): string {
  if (!c) return '';
  return c.points
    .flatMap((p) =>
      (['lvsplay', 'ansible', 'mitogen'] as ToolName[])
        .filter((t) => p.samples[t].length)
        .map((t) => `- 7 ${p.hosts} hosts ${t}: ${p.samples[t].map((s) => (s.ok ? `${s.wall.toFixed(3)} (cpu ${s.cpu?.toFixed(2) ?? '-'}, ${s.rss ? Math.round(s.rss / 1024) : '-'} MB)` : `FAILED(${s.failed})`)).join(', ')}`),
    )
    .join('\n');
}
