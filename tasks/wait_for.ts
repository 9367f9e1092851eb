// wait_for: poll, from the target host, until a port answers / stops answering, or a file appears /
// disappears. The whole wait is one exec (the probe); never changes. A file that must contain a
// search_regex is read every `sleep` seconds and matched on the controller (Python's re semantics).
// Port checks use, in order: bash's /dev/tcp (Debian/RHEL always have bash), `nc -z` (OpenBSD netcat),
// or, for a local host only, `ss -ltn` (is something listening). dash and busybox nc cannot test a
// connection without hanging, so a host with none of these fails with a clear message.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { need, pick, str } from './lib/args.js';
import { mark, sections } from '../src/probe.js';
import { pyRegExp } from './lib/pyregex.js';
import { pathInfoFrom, pathInfoSh } from './lib/files.js';

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
    search_regex: { type: 'string', description: "With path: a Python regular expression (multiline) the file must contain; the result has its match_groups and match_groupdict. With port: what the server sends on a connection must match (read in windows of 5 s)." },
    msg: { type: 'string', description: 'Message on timeout instead of the default.' },
  },
  additionalProperties: false,
};

/** Shell function: `lvs_to SECONDS CMD...` runs CMD under timeout(1) where the host has it. */
const LVS_TO = 'lvs_to() { if command -v timeout >/dev/null 2>&1; then timeout "$@"; else shift; "$@"; fi; }';

const LOCAL = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '::1', '::']);

export function waitScript(o: { host: string; port?: number; path?: string; state: string; timeout: number; delay: number; sleep: number; ct: number }): string {
  const lines = [
    LVS_TO,
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
    cond = o.state === 'absent' || o.state === 'stopped' ? `[ ! -e ${p} ]` : `[ -e ${p} ]`;
  } else cond = `sleep ${o.timeout}`; // nothing to wait for: after the delay, sleep `timeout` seconds, like Ansible
  lines.push(
    // time in centiseconds (/proc/uptime; whole seconds from date elsewhere): elapsed is whole
    // seconds rounded down and the wait ends once timeout seconds have passed, as Ansible's
    `lvs_cs() { if read -r lvs_u lvs_x < /proc/uptime 2>/dev/null; then lvs_i=\${lvs_u%.*}; lvs_f=\${lvs_u#*.}; echo $(( lvs_i * 100 + \${lvs_f#0} )); else echo $(( $(date +%s) * 100 )); fi; }`,
    `lvs_t0=$(lvs_cs); sleep ${o.delay}`,
    `while :; do`,
    `  if ${cond}; then r=ok; break; fi`,
    `  if [ $(( $(lvs_cs) - lvs_t0 )) -ge ${o.timeout * 100} ]; then r=timeout; break; fi`,
    `  sleep ${o.sleep}`,
    `done`,
    mark('result'),
    `echo "$r $(( ($(lvs_cs) - lvs_t0) / 100 ))"`,
  );
  if (o.path !== undefined) lines.push(pathInfoSh(o.path)); // what the path is once the wait ends (the result's path info)
  return lines.join('\n');
}

/** Ansible's messages when the wait times out. */
function timeoutMsg(o: { host: string; port?: number; path?: string; state: string; regex?: string }): string {
  if (o.state === 'drained') return `Timeout when waiting for ${o.host}:${o.port} to drain`;
  if (o.state === 'stopped' || o.state === 'absent') return o.port !== undefined ? `Timeout when waiting for ${o.host}:${o.port} to stop.` : `Timeout when waiting for ${o.path} to be absent.`;
  if (o.port !== undefined) return o.regex !== undefined ? `Timeout when waiting for search string ${o.regex} in ${o.host}:${o.port}` : `Timeout when waiting for ${o.host}:${o.port}`;
  return o.regex !== undefined ? `Timeout when waiting for search string ${o.regex} in ${o.path}` : `Timeout when waiting for file ${o.path}`;
}

const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A file that must contain search_regex (Python's re, MULTILINE, as Ansible): the host is read
 * every `sleep` seconds and the text matched here, so the groups are Python's (match_groups,
 * match_groupdict).
 */
async function waitForText(ctx: ModuleContext, o: { path: string; regex: string; timeout: number; delay: number; sleep: number }): Promise<{ elapsed: number; m?: RegExpExecArray; stdout?: string }> {
  const re = pyRegExp(o.regex, 'm', 'search_regex');
  const t0 = Date.now();
  if (o.delay) await sleepMs(o.delay * 1000);
  // the path info before the content (a content section takes the rest of the output)
  const read = `${mark('exists')}\nif [ -e ${q(o.path)} ]; then echo yes; fi\n${pathInfoSh(o.path)}\n${mark('content')}\ncat -- ${q(o.path)} 2>/dev/null || true`;
  // each read is its own probe (a module's identical probes share one answer within a task)
  for (let n = 0; Date.now() - t0 < o.timeout * 1000; n++) {
    const { stdout } = await ctx.probe(`: read ${n}\n${read}`);
    const s = sections(stdout);
    if (s.get('exists')?.trim() === 'yes') {
      const m = re.exec(s.get('content') ?? '');
      if (m) return { elapsed: Math.floor((Date.now() - t0) / 1000), m, stdout };
    }
    await sleepMs(o.sleep * 1000);
  }
  return { elapsed: Math.floor((Date.now() - t0) / 1000) };
}

/** Seconds one read of a port's data may take (Ansible reads one connection until the timeout; lvsplay reads in windows of this length, connecting again after each). */
const PORT_READ_WINDOW = 5;

/**
 * A port whose data must match search_regex (Ansible: connect, read until the pattern matches
 * or the server closes, connect again after `sleep`): the host connects and sends back what the
 * server sent within a window, matched here with Python's re (MULTILINE).
 */
async function waitForPortText(ctx: ModuleContext, o: { host: string; port: number; regex: string; timeout: number; delay: number; sleep: number }): Promise<{ elapsed: number; matched: boolean }> {
  const re = pyRegExp(o.regex, 'm', 'search_regex');
  const t0 = Date.now();
  if (o.delay) await sleepMs(o.delay * 1000);
  const end = t0 + o.timeout * 1000;
  for (let n = 0; Date.now() < end; n++) {
    const w = Math.max(1, Math.min(PORT_READ_WINDOW, Math.ceil((end - Date.now()) / 1000)));
    const read = [
      `: read ${n}`, // each read is its own probe (identical probes of a task share one answer)
      LVS_TO,
      `if command -v bash >/dev/null 2>&1; then lvs_to ${w} bash -c 'exec 3<>"/dev/tcp/$1/$2" && exec cat <&3' _ ${q(o.host)} ${o.port} 2>/dev/null`,
      `elif command -v nc >/dev/null 2>&1; then lvs_to ${w} nc ${q(o.host)} ${o.port} </dev/null 2>/dev/null`,
      `else echo 'wait_for: no way to read a TCP port here (needs bash or nc)' >&2; exit 2; fi | base64 | tr -d '\n'`,
    ].join('\n');
    const r = await ctx.probe(read);
    if (/no way to read a TCP port/.test(r.stderr)) throw new TaskError(r.stderr.trim());
    if (re.test(Buffer.from(r.stdout.trim(), 'base64').toString('latin1'))) return { elapsed: Math.floor((Date.now() - t0) / 1000), matched: true };
    await sleepMs(o.sleep * 1000); // after the last attempt too, as Ansible's loop
  }
  return { elapsed: Math.floor((Date.now() - t0) / 1000), matched: false };
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const port = pick(a, 'port') === undefined ? undefined : Number(a.port);
  const path = str(a, 'path');
  const state = need(a, 'state');
  if (port !== undefined && path !== undefined) return { steps: [], failed: 'port and path parameter can not both be passed to wait_for', result: { elapsed: 0 } };
  if (path !== undefined && state === 'stopped') return { steps: [], failed: 'state=stopped should only be used for checking a port in the wait_for module', result: { elapsed: 0 } };
  if (path !== undefined && state === 'drained') return { steps: [], failed: 'state=drained should only be used for checking a port in the wait_for module', result: { elapsed: 0 } };
  const regex = str(a, 'search_regex');
  const host = need(a, 'host');
  const timeout = Number(a.timeout);
  const msg = str(a, 'msg');
  // as any Ansible module's result with a path that exists: what the path is (add_path_info; its state wins)
  const done = (elapsed: number, stdout: string, m?: RegExpExecArray): Plan => ({
    steps: [],
    result: {
      state,
      port: port ?? null,
      search_regex: regex ?? null,
      match_groups: m ? m.slice(1).map((g) => g ?? null) : [],
      match_groupdict: m?.groups ? { ...m.groups } : {},
      path: path ?? null,
      elapsed,
      ...(path !== undefined ? pathInfoFrom(stdout) : {}),
    },
  });
  const failed = (elapsed: number): Plan => ({ steps: [], failed: msg ?? timeoutMsg({ host, port, path, state, regex }), result: { elapsed } });
  if (regex !== undefined && port !== undefined && (state === 'started' || state === 'present')) {
    const w = await waitForPortText(ctx, { host, port, regex, timeout, delay: Number(a.delay), sleep: Number(a.sleep) });
    return w.matched ? done(w.elapsed, '') : failed(w.elapsed);
  }
  if (regex !== undefined && path !== undefined && (state === 'started' || state === 'present')) {
    const w = await waitForText(ctx, { path, regex, timeout, delay: Number(a.delay), sleep: Number(a.sleep) });
    return w.m ? done(w.elapsed, w.stdout ?? '', w.m) : failed(w.elapsed);
  }
  const res = await ctx.probe(
    waitScript({ host, port, path, state, timeout, delay: Number(a.delay), sleep: Number(a.sleep), ct: Number(a.connect_timeout) }),
  );
  const [r, e] = (sections(res.stdout).get('result') ?? '').trim().split(/\s+/);
  const elapsed = Number(e ?? 0);
  if (r === 'ok') return done(elapsed, res.stdout);
  if (r !== 'timeout') return { steps: [], failed: `wait_for on ${ctx.host}: ${(res.stderr || res.stdout).trim() || `exit code ${res.rc}`}`, result: { elapsed } };
  return failed(elapsed);
}

export const waitFor: TaskModule = {
  name: 'wait_for',
  aliases: ['ansible.builtin.wait_for', 'ansible.legacy.wait_for'],
  schema,
  freeForm: 'kv',
  plan,
};
