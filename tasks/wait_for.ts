// wait_for: poll, from the target host, until a port answers / stops answering, or a file appears /
// disappears (optionally containing a regexp). The whole wait is one exec (the probe); never changes.
// Port checks use, in order: bash's /dev/tcp (Debian/RHEL always have bash), `nc -z` (OpenBSD netcat),
// or, for a local host only, `ss -ltn` (is something listening). dash and busybox nc cannot test a
// connection without hanging, so a host with none of these fails with a clear message.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { need, pick, str } from './lib/args.js';
import { mark, sections } from '../src/probe.js';

const schema = {
  type: 'object',
  description:
    'Wait, on the target host, for a TCP port to accept connections (started) or not (stopped), for its established connections to end (drained), or for a file to exist (present/started, optionally matching search_regex) or not (absent/stopped). One exec; fails after timeout.',
  properties: {
    host: { type: 'string', default: '127.0.0.1', description: 'Host to connect to, from the target (default 127.0.0.1).' },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'TCP port.' },
    path: { type: 'string', description: 'File to wait for (instead of a port).' },
    state: { enum: ['started', 'stopped', 'present', 'absent', 'drained'], default: 'started', description: 'What to wait for.' },
    timeout: { type: 'integer', minimum: 0, default: 300, description: 'Seconds before failing.' },
    delay: { type: 'integer', minimum: 0, default: 0, description: 'Seconds to wait before the first check.' },
    sleep: { type: 'number', minimum: 0.1, default: 1, description: 'Seconds between checks.' },
    connect_timeout: { type: 'integer', minimum: 1, default: 5, description: 'Seconds one connection attempt may take.' },
    search_regex: { type: 'string', description: 'With path: an extended regexp (grep -E) the file must contain.' },
    msg: { type: 'string', description: 'Message on timeout instead of the default.' },
  },
  additionalProperties: false,
};

const LOCAL = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '::1', '::']);

export function waitScript(o: { host: string; port?: number; path?: string; state: string; timeout: number; delay: number; sleep: number; ct: number; regex?: string }): string {
  const lines = [
    `lvs_to() { if command -v timeout >/dev/null 2>&1; then timeout "$@"; else shift; "$@"; fi; }`,
    `lvs_open() {`,
    `  if command -v bash >/dev/null 2>&1; then lvs_to ${o.ct} bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ ${q(o.host)} ${o.port ?? 0} 2>/dev/null`,
    `  elif nc -h 2>&1 | grep -q -- ' -z'; then nc -z -w ${o.ct} ${q(o.host)} ${o.port ?? 0} >/dev/null 2>&1`,
    LOCAL.has(o.host)
      ? `  elif command -v ss >/dev/null 2>&1; then ss -Hltn 2>/dev/null | awk '{print $4}' | grep -Eq ':${o.port ?? 0}$'`
      : `  elif false; then :`,
    `  else echo 'wait_for: no way to test a TCP port here (needs bash, nc -z, or ss for a local port)' >&2; exit 2; fi`,
    `}`,
    `lvs_drained() { [ "$(ss -Htn state established 2>/dev/null | awk '{print $3}' | grep -Ec ':${o.port ?? 0}$')" = 0 ]; }`,
  ];
  let cond: string;
  if (o.port !== undefined) {
    cond = o.state === 'stopped' || o.state === 'absent' ? '! lvs_open' : o.state === 'drained' ? 'lvs_drained' : 'lvs_open';
  } else if (o.path !== undefined) {
    const p = q(o.path);
    cond = o.state === 'absent' || o.state === 'stopped' ? `[ ! -e ${p} ]` : o.regex !== undefined ? `grep -Eqs -- ${q(o.regex)} ${p}` : `[ -e ${p} ]`;
  } else cond = 'false'; // nothing to wait for: sleep `timeout` seconds, like Ansible
  lines.push(
    `lvs_t0=$(date +%s); sleep ${o.delay}`,
    `while :; do`,
    `  if ${cond}; then r=ok; break; fi`,
    `  if [ $(( $(date +%s) - lvs_t0 )) -ge ${o.timeout} ]; then r=timeout; break; fi`,
    `  sleep ${o.sleep}`,
    `done`,
    mark('result'),
    `echo "$r $(( $(date +%s) - lvs_t0 ))"`,
  );
  return lines.join('\n');
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const port = pick(a, 'port') === undefined ? undefined : Number(a.port);
  const path = str(a, 'path');
  if (port !== undefined && path !== undefined) throw new TaskError('wait_for: port and path are mutually exclusive');
  const state = need(a, 'state');
  if (path !== undefined && state === 'drained') throw new TaskError('wait_for: state=drained needs port');
  const regex = str(a, 'search_regex');
  if (regex !== undefined && path === undefined) throw new TaskError('wait_for: search_regex is supported with path only');
  const host = need(a, 'host');
  const timeout = Number(a.timeout);
  const res = await ctx.probe(
    waitScript({ host, port, path, state, timeout, delay: Number(a.delay), sleep: Number(a.sleep), ct: Number(a.connect_timeout), regex }),
  );
  const [r, elapsed] = (sections(res.stdout).get('result') ?? '').trim().split(/\s+/);
  const result = { elapsed: Number(elapsed ?? 0), state, ...(port !== undefined ? { port, host } : {}), ...(path !== undefined ? { path } : {}) };
  if (r === 'ok' || (port === undefined && path === undefined && r === 'timeout')) return { steps: [], result };
  if (r !== 'timeout') return { steps: [], failed: `wait_for on ${ctx.host}: ${(res.stderr || res.stdout).trim() || `exit code ${res.rc}`}`, result };
  const what = port !== undefined ? `${host}:${port}` : path!;
  return { steps: [], failed: str(a, 'msg') ?? `Timeout when waiting for ${what}${state === 'started' || state === 'present' ? '' : ` to be ${state}`} (${timeout} s)`, result };
}

export const waitFor: TaskModule = {
  name: 'wait_for',
  aliases: ['ansible.builtin.wait_for', 'ansible.legacy.wait_for'],
  schema,
  freeForm: 'kv',
  plan,
};
