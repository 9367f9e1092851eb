// service_facts: ansible_facts.services as Ansible 2.14 gathers it on Linux — `service --status-all`
// (sysv), chkconfig (Red Hat sysv), rc-status/rc-update (OpenRC) and, when PID 1 is systemd,
// `systemctl list-units` + `list-unit-files` (+ `show --property=ActiveState` for unit files not
// loaded). One probe; a second only on systemd hosts with unit files that are not loaded.
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { mark, sections } from '../src/probe.js';
import { parseChkconfig, parseOpenrc, parseStatusAll, parseUnitFiles, parseUnits, type Services } from './lib/svcscan.js';

const schema = {
  type: 'object',
  description:
    "Gather the host's services into ansible_facts.services ({name: {name, state, source, status?}}) as Ansible's service_facts on Linux: sysv (`service --status-all`; chkconfig on Red Hat), OpenRC, and systemd when it is PID 1. Upstart (initctl) is not supported: the task fails saying so.",
  properties: {},
  additionalProperties: false,
};

const SYSTEMCTL = 'for d in /usr/bin /usr/local/bin; do [ -x "$d/systemctl" ] && { echo "$d/systemctl"; break; }; done; command -v systemctl || true';

const PROBE = [
  'export LANG=C LC_ALL=C',
  mark('tools'),
  'for t in service chkconfig initctl rc-status rc-update; do command -v "$t" >/dev/null 2>&1 && echo "$t"; done',
  mark('pid1'),
  'cat /proc/1/comm 2>/dev/null',
  mark('initd'),
  '[ -e /etc/init.d ] && echo yes',
  mark('sysv_rc'),
  'if command -v service >/dev/null 2>&1 && ! command -v chkconfig >/dev/null 2>&1 && ! command -v rc-status >/dev/null 2>&1; then o=$(service --status-all 2>/dev/null); echo $?; else echo none; fi',
  mark('sysv'),
  'printf "%s\\n" "${o:-}"',
  mark('chkconfig'),
  'if command -v chkconfig >/dev/null 2>&1; then c=$(chkconfig 2>&1); if ! printf "%s\\n" "$c" | grep -Eq ".*\\s+[0-9]:(on|off)\\s+[0-9]:(on|off)"; then if printf "%s\\n" "$c" | grep -Eq ".*\\s+(on|off)"; then c=$(chkconfig -l --allservices 2>&1); else c=$(chkconfig --list 2>&1); fi; fi; ' +
    'printf "%s\\n" "$c" | while read -r n rest; do case "$rest" in *0:o*) service "$n" status >/dev/null 2>&1; printf "%s\\t%s\\t%s\\n" "$?" "$n" "$rest";; esac; done; fi',
  mark('openrc'),
  'if ! command -v chkconfig >/dev/null 2>&1 && command -v rc-status >/dev/null 2>&1 && command -v rc-update >/dev/null 2>&1; then rc-status -a -s -m 2>&1 | grep "^ " | tr -d "[]"; echo "@@update"; rc-update show -v 2>&1 | grep "|"; fi',
  mark('systemctl'),
  `if grep -q systemd /proc/1/comm 2>/dev/null; then s=$( { ${SYSTEMCTL}; } | head -n 1); if [ -n "$s" ]; then echo "$s"; "$s" list-units --no-pager --type service --all 2>&1; echo "@@rc $?"; echo "@@files"; "$s" list-unit-files --no-pager --type service --all 2>&1; echo "@@rc $?"; fi; fi`,
].join('\n');

async function plan(ctx: ModuleContext): Promise<Plan> {
  const s = sections((await ctx.probe(PROBE)).stdout);
  const tools = new Set((s.get('tools') ?? '').split('\n').filter(Boolean));
  if (tools.has('initctl') && !tools.has('chkconfig')) throw new TaskError('service_facts: upstart (initctl) is not supported by lvsplay');
  const services: Services = {};
  const warnings: string[] = [];
  const sysvRc = (s.get('sysv_rc') ?? 'none').trim();
  if (sysvRc !== 'none') {
    const rc = Number(sysvRc);
    if (!(rc === 4 && s.get('initd')?.trim() !== 'yes')) {
      if (rc !== 0) warnings.push(`Unable to query 'service' tool (${rc}): `);
      Object.assign(services, parseStatusAll(s.get('sysv') ?? ''));
    }
  }
  Object.assign(services, parseChkconfig(s.get('chkconfig') ?? ''), parseOpenrc(s.get('openrc') ?? ''));
  const sc = s.get('systemctl') ?? '';
  if (sc.trim()) {
    const [path, rest = ''] = [sc.slice(0, sc.indexOf('\n')), sc.slice(sc.indexOf('\n') + 1)];
    const [units, files = ''] = rest.split('\n@@files\n');
    const u = parseUnits(units);
    if (u.warning) warnings.push(u.warning);
    Object.assign(services, u.services);
    const f = parseUnitFiles(files);
    if (f.warning) warnings.push(f.warning);
    const missing = f.files.filter(([n]) => !(n in services));
    const states = new Map<string, string>();
    if (missing.length) {
      const out = (await ctx.probe(missing.map(([n]) => `printf '%s\\t' ${q(n)}; ${q(path)} show ${q(n)} --property=ActiveState 2>/dev/null | tr -d '\\n'; echo`).join('\n'))).stdout;
      for (const line of out.split('\n')) {
        const [n, v = ''] = line.split('\t');
        if (n) states.set(n, v.replace('ActiveState=', '').trimEnd() || 'unknown');
      }
    }
    for (const [n, status] of f.files) {
      if (!(n in services)) services[n] = { name: n, state: states.get(n) ?? 'unknown', status, source: 'systemd' };
      else if (!['not-found', 'masked', 'failed'].includes(String(services[n].status))) services[n].status = status;
    }
  }
  const w: Vars = warnings.length ? { warnings } : {};
  if (!Object.keys(services).length) return { steps: [], skipped: 'Failed to find any services. This can be due to privileges or some other configuration issue.', result: w };
  return { steps: [], result: { ansible_facts: { services }, ...w } };
}

export const serviceFacts: TaskModule = {
  name: 'service_facts',
  aliases: ['ansible.builtin.service_facts', 'ansible.legacy.service_facts'],
  schema,
  plansAhead: true,
  plan,
};
