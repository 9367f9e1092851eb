// service: started/stopped/restarted/reloaded and enabled, for systemd, sysvinit and openrc.
// After a start it verifies the daemon is really up and stays up for a second: Debian's
// keepalived init script can print "failed!", exit 0 and leave it stopped, and `service start`
// exits 0 when the daemon dies a second later.
import type { ModuleContext, Plan, Step, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { boolSchema, need, pick, str, toBool } from './lib/args.js';
import { mark, sections } from '../src/probe.js';
import { systemdPlan } from './systemd.js';
import { MANAGERS, waitUntil, type MgrName, type SvcSpec } from './lib/svcmgr.js';

const schema = {
  type: 'object',
  description:
    'Start, stop, restart or reload a service and enable/disable it at boot, with the host\'s service manager (the service_mgr fact: systemd, sysvinit, openrc). One probe exec when nothing changes. Starts are verified: the service must be running within verify_timeout seconds and still be running 1 s later, else the task fails with its status output. A sysvinit restart is stop, wait until really stopped, start.',
  properties: {
    name: { type: 'string', description: 'Service name (e.g. keepalived).' },
    state: {
      enum: ['started', 'stopped', 'restarted', 'reloaded'],
      description: 'started/stopped: only acts when needed; restarted: always; reloaded: reload if running, else start.',
    },
    enabled: boolSchema('Start at boot.'),
    pattern: { type: 'string', description: 'Decide "running" by `pgrep -f PATTERN` instead of the service manager\'s status.' },
    arguments: { type: 'string', description: 'Extra words for the init script (sysvinit/openrc), split on spaces (alias args).' },
    args: { type: 'string', description: 'Alias of arguments.' },
    use: { enum: ['auto', 'systemd', 'sysvinit', 'openrc'], default: 'auto', description: 'Service manager; auto = the service_mgr fact.' },
    daemon_reload: boolSchema('With systemd as the service manager: run daemon-reload first (the task is then carried out by the systemd module, as Ansible does). Elsewhere: an error.'),
    'daemon-reload': boolSchema('Alias of daemon_reload (the systemd module\'s, which Ansible\'s service passes its arguments to).'),
    masked: boolSchema('With systemd as the service manager: mask/unmask the unit (the task is then carried out by the systemd module). Elsewhere: an error.'),
    verify_timeout: { type: 'number', minimum: 0, default: 5, description: 'Seconds to wait for a started service to be running (and a stopped one to be gone).' },
  },
  required: ['name'],
  additionalProperties: false,
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const name = need(a, 'name');
  const state = str(a, 'state');
  const enabled = a.enabled === undefined ? undefined : toBool(a, 'enabled', true);
  let use = need(a, 'use');
  if (use === 'auto') {
    const f = await ctx.facts(); // lvsplay_service_mgr: the manager it can drive when PID 1 is a custom init
    use = String(f.lvsplay_service_mgr ?? f.service_mgr ?? 'unknown');
  }
  if (use === 'service' || use === 'init' || use === 'upstart') use = 'sysvinit';
  const systemdOnly = ['daemon_reload', 'daemon-reload', 'masked'].filter((k) => a[k] !== undefined && a[k] !== null);
  if (systemdOnly.length) {
    if (use !== 'systemd') {
      return { steps: [], failed: `Unsupported parameters for (ansible.legacy.service) module: ${systemdOnly.join(', ')}. They need systemd as the service manager; ${ctx.host}'s is ${use} (set use: systemd where systemd runs).` };
    }
    const { masked, name: unit } = a;
    const daemon_reload = a.daemon_reload ?? a['daemon-reload'];
    return systemdPlan({ ...ctx, args: { name: unit, state, enabled, daemon_reload, masked, scope: 'system' } });
  }
  if (!state && enabled === undefined) throw new TaskError('service: give state or enabled');
  if (!(use in MANAGERS)) throw new TaskError(`service: unsupported service manager '${use}' on ${ctx.host} (supported: systemd, sysvinit, openrc; set use:)`);
  const mgr = MANAGERS[use as MgrName];
  const spec: SvcSpec = { name, pattern: str(a, 'pattern'), args: (str(a, 'arguments', 'args') ?? '').split(/\s+/).filter(Boolean) };
  const defs = mgr.defs(spec);

  const res = await ctx.probe(
    [defs, mark('exists'), 'lvs_exists && echo yes || echo no', mark('running'), 'lvs_running && echo yes || echo no', mark('enabled'), 'lvs_enabled && echo yes || echo no'].join('\n'),
  );
  const s = sections(res.stdout);
  if (s.get('exists')?.trim() !== 'yes') return { steps: [], failed: `could not find the requested service ${name} on ${ctx.host} (${use})` };
  const running = s.get('running')?.trim() === 'yes';
  const isEnabled = s.get('enabled')?.trim() === 'yes';

  const tenths = Math.max(1, Math.round(Number(a.verify_timeout) * 10));
  const start: Step[] = [
    { describe: `start ${name}`, cmd: `lvs_do start || { echo ${q(`${name}: start failed`)} >&2; exit 1; }` },
    {
      describe: `verify ${name} is running`,
      cmd: `${waitUntil(true, tenths, `${name} is not running after start`, `${mgr.status(spec)}; `)}\nsleep 1\nif ! lvs_running; then echo '${name} stopped again within 1 s after start' >&2; ${mgr.status(spec)}; exit 1; fi`,
    },
  ];
  const stop: Step[] = [
    { describe: `stop ${name}`, cmd: 'lvs_do stop || true' },
    { describe: `wait until ${name} is stopped`, cmd: waitUntil(false, Math.max(tenths, 100), `${name} is still running after stop`) },
  ];
  const steps: Step[] = [];
  if (enabled !== undefined && enabled !== isEnabled) steps.push({ describe: `${enabled ? 'enable' : 'disable'} ${name}`, cmd: mgr.enable(spec, enabled) });
  switch (state) {
    case 'started':
      if (!running) steps.push(...start);
      break;
    case 'stopped':
      if (running) steps.push(...stop);
      break;
    case 'restarted':
      if (use === 'systemd' && !spec.pattern) {
        steps.push({ describe: `restart ${name}`, cmd: 'lvs_do restart' }, start[1]);
      } else {
        if (running) steps.push(...stop);
        steps.push(...start);
      }
      break;
    case 'reloaded':
      if (running) steps.push({ describe: `reload ${name}`, cmd: 'lvs_do reload' }, { describe: `verify ${name} is still running`, cmd: waitUntil(true, tenths, `${name} is not running after reload`) });
      else steps.push(...start);
      break;
  }
  if (steps.length) steps[0] = { ...steps[0], cmd: `${defs}\n${steps[0].cmd}` };
  const nowRunning = state === 'started' || state === 'restarted' || state === 'reloaded' ? true : state === 'stopped' ? false : running;
  const nowEnabled = enabled ?? isEnabled;
  const diff = steps.length
    ? [{ path: `service ${name}`, before: `running: ${running}\nenabled: ${isEnabled}\n`, after: `running: ${nowRunning}\nenabled: ${nowEnabled}\n` }]
    : [];
  return {
    steps,
    diff,
    result: { name, state: nowRunning ? 'started' : 'stopped', enabled: nowEnabled, service_mgr: use },
    after(r) {
      if (r.rc !== 0) {
        const out = `${r.stdout.trim()}\n${r.stderr.trim()}`.trim().split('\n').slice(-25).join('\n');
        throw new TaskError(`service ${name}: ${out || `exit code ${r.rc}`}`, { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
      }
    },
  };
}

export const service: TaskModule = {
  name: 'service',
  aliases: ['ansible.builtin.service', 'ansible.legacy.service'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
