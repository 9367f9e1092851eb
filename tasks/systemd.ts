// systemd / systemd_service: a unit started/stopped/restarted/reloaded, enabled, masked, and
// daemon-reload/daemon-reexec, decided as Ansible 2.14's systemd module decides (from `systemctl
// show` and `is-enabled`), with its result fields (name, state, enabled, status = the `show`
// properties). daemon-reload/-reexec run with the probe, before the unit is read (as Ansible runs
// them first), never in check mode, and do not count as a change (as in Ansible). On a host where
// systemd is not PID 1 it fails as Ansible does, with systemctl's own error.
import type { ModuleContext, Plan, Step, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { boolSchema, str, toBool } from './lib/args.js';
import { parseShow, parseUnitProbe, requestIgnored, unitProbe, type UnitProbe } from './lib/systemctl.js';

const schema = {
  type: 'object',
  description: "Control a systemd unit as Ansible's systemd module: state, enabled, masked, daemon_reload/daemon_reexec; the result's `status` holds the unit's `systemctl show` properties.",
  properties: {
    name: { type: 'string', description: 'Unit name (aliases service, unit); without a suffix systemctl assumes .service. Required with state, enabled or masked.' },
    service: { type: 'string', description: 'Alias of name.' },
    unit: { type: 'string', description: 'Alias of name.' },
    state: { enum: ['started', 'stopped', 'restarted', 'reloaded'], description: 'started/stopped act only when needed; restarted/reloaded always act (start when not running).' },
    enabled: boolSchema('Start at boot (systemctl enable/disable).'),
    masked: boolSchema('Masked (systemctl mask/unmask): cannot be started.'),
    force: boolSchema('systemctl --force (overrides conflicting symlinks).'),
    daemon_reload: { type: ['boolean', 'string', 'integer'], description: 'Run daemon-reload first (alias daemon-reload). Default: false.' },
    'daemon-reload': { type: ['boolean', 'string', 'integer'], description: 'Alias of daemon_reload.' },
    daemon_reexec: { type: ['boolean', 'string', 'integer'], description: 'Run daemon-reexec first (alias daemon-reexec). Default: false.' },
    'daemon-reexec': { type: ['boolean', 'string', 'integer'], description: 'Alias of daemon_reexec.' },
    scope: { enum: ['system', 'user', 'global'], default: 'system', description: 'The systemd manager: system, the user\'s (--user) or all users\' (--global).' },
    no_block: boolSchema('Do not wait for the job to finish (--no-block).', false),
  },
  additionalProperties: false,
};

const VALID_ENABLED = ['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'masked', 'masked-runtime', 'static', 'indirect', 'disabled', 'generated', 'transient'];
const optBool = (a: Vars, ...keys: string[]): boolean | undefined => {
  const k = keys.find((x) => a[x] !== undefined && a[x] !== null);
  return k === undefined ? undefined : toBool(a, k, false);
};
const running = (st: Record<string, string>): boolean => st.ActiveState === 'active' || st.ActiveState === 'activating';

/** Run one systemctl action; on failure print Ansible's message for it to stderr and stop. */
function action(systemctl: string, act: string, unit: string, onFail: 'missing' | 'ignore' | 'unable-out' | 'unable-err'): Step {
  const run = `${systemctl} ${act} ${q(unit)}`;
  const cmd =
    onFail === 'ignore'
      ? `${run} >/dev/null 2>&1 || true`
      : onFail === 'missing'
        ? `${run} >/dev/null 2>&1 || { echo ${q(`Could not find the requested service ${unit}: host`)} >&2; exit 1; }`
        : `lvs_o=$(${run} 2>&1${onFail === 'unable-err' ? ' >/dev/null' : ''}) || { printf '%s%s\\n' ${q(`Unable to ${act} service ${unit}: `)} "$lvs_o" >&2; exit 1; }`;
  return { describe: `systemctl ${act} ${unit}`, cmd };
}

export async function systemdPlan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const unit = str(a, 'name', 'service', 'unit');
  const state = str(a, 'state');
  const enabled = optBool(a, 'enabled');
  const masked = optBool(a, 'masked');
  const scope = str(a, 'scope') ?? 'system';
  for (const [k, v] of [['state', state], ['enabled', enabled], ['masked', masked]] as const) {
    if (v !== undefined && unit === undefined) return { steps: [], failed: `missing parameter(s) required by '${k}': name` };
  }
  const glob = unit === undefined ? undefined : ['*', '?', '['].find((g) => unit.includes(g));
  if (glob) return { steps: [], failed: `This module does not currently support using glob patterns, found '${glob}' in service name: ${unit}` };
  const systemctl = ['systemctl', ...(scope !== 'system' ? [`--${scope}`] : []), ...(toBool(a, 'no_block', false) ? ['--no-block'] : []), ...(optBool(a, 'force') ? ['--force'] : [])].join(' ');
  const reload = !ctx.check && optBool(a, 'daemon_reload', 'daemon-reload') === true;
  const reexec = !ctx.check && optBool(a, 'daemon_reexec', 'daemon-reexec') === true;
  const p = parseUnitProbe((await ctx.probe(unitProbe(systemctl, unit, { reload, reexec }))).stdout);
  if (p.path.startsWith('none ')) return { steps: [], failed: `Failed to find required executable "systemctl" in paths: ${p.path.slice(5)}` };
  for (const [what, c] of [['daemon-reload', p.reload], ['daemon-reexec', p.reexec]] as const) {
    if (c && c.rc !== 0) return { steps: [], failed: `failure ${c.rc} during ${what}: ${c.err ? `${c.err}\n` : ''}` };
  }
  const result: Vars = { name: unit ?? null, status: {} };
  if (unit === undefined) return { steps: [], result };
  return decide(ctx, p, { unit, state, enabled, masked, scope, systemctl }, result);
}

interface Want {
  unit: string;
  state?: string;
  enabled?: boolean;
  masked?: boolean;
  scope: string;
  systemctl: string;
}

function decide(ctx: ModuleContext, p: UnitProbe, w: Want, result: Vars): Plan {
  const { unit, systemctl } = w;
  let status: Record<string, string> = {};
  let isSystemd = false;
  const show = p.show!;
  if (show.rc === 0 && !requestIgnored(show.out) && !requestIgnored(show.err)) {
    if (show.out) {
      status = parseShow(show.out);
      isSystemd = status.LoadState !== undefined && status.LoadState !== 'not-found';
      const isMasked = status.LoadState === 'masked';
      if (isSystemd && !isMasked && status.LoadError !== undefined) return { steps: [], failed: `Error loading unit file '${unit}': ${status.LoadError}` };
    }
  } else if (VALID_ENABLED.includes(p.isEnabled?.out.trim() ?? '')) isSystemd = true;
  else if (p.listUnit?.rc === 0) isSystemd = true;
  else {
    const b = p.bare ?? p.listUnit!;
    const stderr = b.err ? `${b.err}\n` : '';
    throw new TaskError(b.err.trimEnd(), { rc: b.rc, cmd: p.path, stdout: b.out, stderr });
  }
  result.status = status;
  const found = isSystemd || p.initd;
  const missing = `Could not find the requested service ${unit}: host`;
  const steps: Step[] = [];
  const before: string[] = [];
  const after: string[] = [];

  let nowMasked: boolean | undefined;
  if (w.masked !== undefined) {
    const isMasked = p.isEnabled?.out.trim() === 'masked';
    if (isMasked !== w.masked) {
      steps.push(action(systemctl, w.masked ? 'mask' : 'unmask', unit, found ? 'ignore' : 'missing'));
      before.push(`masked: ${isMasked}`);
      after.push(`masked: ${w.masked}`);
      nowMasked = w.masked;
    }
  }
  if (w.enabled !== undefined) {
    if (!found) return { steps: [], failed: missing };
    let isEnabled = false;
    const l = p.isEnabledL!;
    const lines = l.out.split('\n').filter((x, i, all) => x !== '' || i < all.length - 1);
    if (nowMasked !== undefined) isEnabled = false; // a unit masked or unmasked just now: is-enabled says masked/disabled then
    else if (l.rc === 0) isEnabled = !(lines.length === 1 && (lines[0] === 'indirect' || lines[0] === 'alias'));
    else if (l.rc === 1) isEnabled = w.scope === 'system' && p.initd && !l.out.trim().endsWith('disabled') && p.sysvEnabled;
    result.enabled = isEnabled;
    if (isEnabled !== w.enabled) {
      steps.push(action(systemctl, w.enabled ? 'enable' : 'disable', unit, 'unable-out'));
      before.push(`enabled: ${isEnabled}`);
      after.push(`enabled: ${w.enabled}`);
      result.enabled = w.enabled;
    }
  }
  if (w.state !== undefined) {
    if (!found) return { steps: [], failed: missing };
    result.state = w.state;
    if (status.ActiveState !== undefined) {
      const up = running(status);
      let act: string | undefined;
      if (w.state === 'started') act = up ? undefined : 'start';
      else if (w.state === 'stopped') act = up || status.ActiveState === 'deactivating' ? 'stop' : undefined;
      else {
        act = up ? w.state.slice(0, -2) : 'start';
        result.state = 'started';
      }
      if (act) {
        steps.push(action(systemctl, act, unit, 'unable-err'));
        before.push(`ActiveState: ${status.ActiveState}`);
        after.push(`ActiveState: ${act === 'stop' ? 'inactive' : 'active'}${act === 'restart' || act === 'reload' ? ` (${act}ed)` : ''}`);
      }
    } else if (!p.chrootOrOffline) return { steps: [], failed: 'Service is in unknown state', result: { status } };
  }
  return {
    steps,
    diff: steps.length ? [{ path: `systemd unit ${unit}`, before: before.map((x) => `${x}\n`).join(''), after: after.map((x) => `${x}\n`).join('') }] : [],
    result,
    after(res) {
      // as Ansible's fail_json: the message only (not changed, no name/state/status)
      if (res.rc !== 0) throw new TaskError(res.stderr || `exit code ${res.rc}`, {}, { alone: true });
    },
  };
}

export const systemd: TaskModule = {
  name: 'systemd',
  aliases: ['systemd_service', 'ansible.builtin.systemd', 'ansible.builtin.systemd_service', 'ansible.legacy.systemd', 'ansible.legacy.systemd_service'],
  schema,
  freeForm: 'kv',
  plan: systemdPlan,
};
