// Results of the integration-target yardstick: per target each tool's exit code, and the first
// line of lvsplay's output that says what went wrong; written as a Markdown table with a summary.

export interface ToolOutcome {
  rc: number | null; // null: skipped; 124: timed out
  seconds: number;
  firstError?: string;
}
export interface TargetResult {
  name: string;
  mode: 'role' | 'runme' | 'skipped';
  skipReason?: string;
  ansible?: ToolOutcome;
  lvsplay?: ToolOutcome;
  /** Why lvsplay fails (filled in from the known-reasons file when present, else its first error). */
  reason?: string;
}

const MSG = /"msg":\s*"((?:[^"\\]|\\.)*)"/;
const ERRORISH = /(not supported|^ERROR|^error|^fatal:|^failed:|FAILED!|Error:|Traceback|^\S+:\d+:\d+: )/;

/** The first line of a run's output that explains a failure, shortened for a table cell. */
export function firstError(output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trimEnd());
  // "not supported" first, then a load error, then the last failure that was not ignored
  let i = lines.findIndex((l) => /not supported/i.test(l));
  if (i < 0) i = lines.findIndex((l) => /^ERROR/.test(l.trim()));
  if (i < 0) {
    const fatal = lines.map((l, k) => (ERRORISH.test(l.trim()) && !lines.slice(k, k + 4).some((n) => /\.\.\.ignoring/.test(n)) ? k : -1)).filter((k) => k >= 0);
    i = fatal.length ? fatal[fatal.length - 1] : -1;
  }
  if (i < 0) return undefined;
  let text = lines[i].trim();
  const m = MSG.exec(lines.slice(i, i + 6).join('\n'));
  if (m && !/not supported/i.test(text)) text = `${text.replace(/=>.*$/, '=>').trim()} ${JSON.parse(`"${m[1]}"`) as string}`;
  else if (/=> \{?$/.test(text) || text.length < 25) text = `${text} ${lines.slice(i + 1, i + 3).map((l) => l.trim()).join(' ')}`;
  return text.length > 220 ? `${text.slice(0, 217)}...` : text;
}

const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const verdict = (o?: ToolOutcome) => (!o || o.rc === null ? '—' : o.rc === 0 ? 'pass' : o.rc === 124 ? 'timeout' : `fail (${o.rc})`);

export function summary(results: TargetResult[]): { passBoth: number; passAnsible: number; line: string } {
  const ran = results.filter((r) => r.mode !== 'skipped');
  const passAnsible = ran.filter((r) => r.ansible?.rc === 0).length;
  const passBoth = ran.filter((r) => r.ansible?.rc === 0 && r.lvsplay?.rc === 0).length;
  return { passBoth, passAnsible, line: `${passBoth} of ${passAnsible} targets that pass under ansible-playbook 2.14 pass under lvsplay` };
}

/** A reason without its specifics (host, file:line:col, quoted names), so that alike failures count together. */
export function reasonKey(reason: string): string {
  // a reason from reasons.txt is "category: details": counted by its category
  if (!/^(ERROR!|fatal:|failed:|\S+:\d+:\d+:|\S+\/\S+:\d+)/.test(reason) && /^[^:]{3,80}:\s/.test(reason)) return reason.slice(0, reason.indexOf(':'));
  return reason
    .replace(/^(ERROR!\s*|fatal: \[[^\]]*\]: FAILED! =>\s*|failed: \[[^\]]*\].*?=>\s*)/, '')
    .replace(/^\S+:\d+:\d+:\s*/, '')
    .replace(/\s*\(.*$/, '')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, 'N')
    .slice(0, 120);
}

/** Failure reasons with their counts, most frequent first (targets that pass under ansible only). */
export function reasonCounts(results: TargetResult[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of results) {
    if (r.mode === 'skipped' || r.ansible?.rc !== 0 || r.lvsplay?.rc === 0) continue;
    const key = reasonKey(r.reason ?? 'unknown');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

export function markdown(results: TargetResult[], meta: { date: string; source: string; command: string }): string {
  const s = summary(results);
  const out = [
    `# ansible-core integration targets under lvsplay — ${meta.date}`,
    '',
    `Targets tree: ${meta.source}. Command: \`${meta.command}\`.`,
    'Each target ran under ansible-playbook 2.14 and under lvsplay, `connection: local`, as root, in a',
    'sandbox (new mount/UTS/net/PID namespaces, overlays on /etc /var /usr /home /root /opt /srv, private /tmp).',
    '',
    `**${s.line}.**`,
    '',
    '| target | how | ansible 2.14 | lvsplay | reason / lvsplay\'s first error |',
    '|---|---|---|---|---|',
  ];
  for (const r of results) {
    const how = r.mode === 'skipped' ? 'skipped' : r.mode;
    const why = r.mode === 'skipped' ? r.skipReason : r.lvsplay?.rc === 0 ? '' : (r.reason ?? r.lvsplay?.firstError);
    out.push(`| ${r.name} | ${how} | ${verdict(r.ansible)} | ${verdict(r.lvsplay)} | ${cell(why)} |`);
  }
  const reasons = reasonCounts(results);
  if (reasons.length) {
    out.push('', '## Why lvsplay fails where ansible-playbook passes (counts)', '');
    for (const [k, n] of reasons) out.push(`- ${n} × ${k}`);
  }
  return `${out.join('\n')}\n`;
}
