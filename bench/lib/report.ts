// The results: the table printed by `npm run bench` and bench/results/latest.md.
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

export function mainTable(rows: Row[]): string {
  return table(
    ['#', 'scenario', 'lvsplay', 'ansible-playbook', 'speed-up', 'lvsplay cpu', 'ansible cpu', 'changed lv/an', 'runs'],
    rows.map((r) => {
      const lv = r.samples.lvsplay;
      const an = r.samples.ansible;
      return [
        r.id,
        r.label,
        secs(med(lv, 'wall')) + fails(lv),
        secs(med(an, 'wall')) + fails(an),
        ratio(med(an, 'wall'), med(lv, 'wall')),
        secs(med(lv, 'cpu')),
        secs(med(an, 'cpu')),
        r.id.startsWith('5') ? '' : `${changed(lv)} / ${changed(an)}`,
        `${lv.length}+${an.length}`,
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
  const tools: ToolName[] = ['lvsplay', 'ansible'];
  return table(
    ['tool', `${nSmall} hosts`, `${nBig} hosts`, `growth (${nBig}/${nSmall} hosts = ${(nBig / nSmall).toFixed(1)}x)`, `cpu ${nSmall}`, `cpu ${nBig}`, 'cpu per host-run'],
    tools.map((t) => {
      const a = med(small.samples[t], 'wall');
      const b = med(big.samples[t], 'wall');
      const ca = med(small.samples[t], 'cpu');
      const cb = med(big.samples[t], 'cpu');
      return [t === 'ansible' ? 'ansible-playbook' : t, secs(a), secs(b), ratio(b, a), secs(ca), secs(cb), cb !== undefined ? secs(cb / nBig) : '-'];
    }),
  );
}

export function samplesText(rows: Row[]): string {
  return rows
    .map((r) =>
      (['lvsplay', 'ansible'] as ToolName[])
        .map((t) => `- ${r.id} ${t}: ${r.samples[t].map((s) => (s.ok ? s.wall.toFixed(3) : `FAILED(${s.failed})`)).join(', ')}`)
        .join('\n'),
    )
    .join('\n');
}
