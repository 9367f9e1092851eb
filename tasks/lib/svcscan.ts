// Pure parsers of the service listings service_facts reads, giving Ansible's entries.
export type Services = Record<string, { name: string; state: unknown; source: string; status?: string; runlevels?: string[] | null }>;

const BAD = ['not-found', 'masked', 'failed'];

/** `service --status-all`: `[ + ]` running, `[ - ]` stopped; `[ ? ]` is left out (as Ansible). */
export function parseStatusAll(out: string): Services {
  const s: Services = {};
  for (const m of out.matchAll(/^\s*\[ ([+-]) \]\s+(.+)$/gm)) s[m[2]] = { name: m[2], state: m[1] === '+' ? 'running' : 'stopped', source: 'sysv' };
  return s;
}

/** Lines `RC\tNAME\tREST` (the status exit code, then chkconfig's runlevels). */
export function parseChkconfig(out: string): Services {
  const s: Services = {};
  const re = /^\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)/;
  for (const line of out.split('\n')) {
    const [rc, name, ...more] = line.split('\t');
    const rest = more.join('\t');
    const m = re.exec(` ${rest ?? ''}`);
    if (!name || !m) continue;
    s[name] = { name, state: rc === '0' ? 'running' : 'stopped', status: m[4] === 'on' ? 'enabled' : 'disabled', source: 'sysv' };
  }
  return s;
}

/** `rc-status -a -s -m` lines, then `@@update` and `rc-update show -v` lines (`name | runlevels`). */
export function parseOpenrc(out: string): Services {
  const s: Services = {};
  if (!out.trim()) return s;
  const [status, update = ''] = out.split('@@update');
  const levels = new Map<string, string[] | null>();
  for (const line of update.split('\n')) {
    const d = line.split('|');
    if (d.length < 2) continue;
    const r = d[1].trim();
    levels.set(d[0].trim(), r ? r.split(/\s+/) : null);
  }
  for (const line of status.split('\n')) {
    const d = line.trim().split(/\s+/);
    if (d.length < 2) continue;
    s[d[0]] = { name: d[0], runlevels: levels.get(d[0]) ?? null, state: d[1], source: 'openrc' };
  }
  return s;
}

const rcOf = (text: string): { body: string; rc: number } => {
  const m = /\n?@@rc (\d+)\s*$/.exec(text);
  return m ? { body: text.slice(0, m.index), rc: Number(m[1]) } : { body: text, rc: 0 };
};

/** `systemctl list-units --type service --all` (its output, then `@@rc N`). */
export function parseUnits(text: string): { services: Services; warning?: string } {
  const { body, rc } = rcOf(text);
  if (rc !== 0) return { services: {}, warning: `Could not list units from systemd: ${body}` };
  const services: Services = {};
  for (const line of body.split('\n').filter((l) => l.includes('.service'))) {
    let f = line.split(/\s+/).filter(Boolean);
    let status = 'unknown';
    const bad = BAD.find((b) => f.includes(b));
    if (bad) {
      status = bad;
      f = f.slice(1);
    } else status = f[2];
    services[f[0]] = { name: f[0], state: f[3] === 'running' ? 'running' : 'stopped', status, source: 'systemd' };
  }
  return { services };
}

/** `systemctl list-unit-files --type service --all`: [name, state] pairs. */
export function parseUnitFiles(text: string): { files: [string, string][]; warning?: string } {
  const { body, rc } = rcOf(text);
  if (rc !== 0) return { files: [], warning: `Could not get unit files data from systemd: ${body}` };
  return { files: body.split('\n').filter((l) => l.includes('.service')).map((l) => l.split(/\s+/).filter(Boolean).slice(0, 2) as [string, string]) };
}
