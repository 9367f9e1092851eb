// reboot: reboot the host and wait until it is back, as Ansible 2.14's reboot action: read the boot
// id (boot_time_command), find the shutdown command in search_paths, run it (a connection the host
// closes meanwhile is no failure), then wait until the boot id differs and the test command runs,
// each within reboot_timeout, retrying with Ansible's backoff (1, 2, 4, 8 s and then 12 s, plus up to
// a second) and opening the connection again when it was lost. Result: rebooted, elapsed, changed.
// Check mode: changed, not rebooted. On a local connection it fails (it would reboot the controller).
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { ConnectionError, TaskError } from '../src/errors.js';
import { secondsSchema as secs, stringOrList } from './lib/args.js';
import { q } from '../src/shell.js';
import { pyRepr } from '../src/vars/pystr.js';

const DEFAULT_BOOT_TIME_COMMAND = 'cat /proc/sys/kernel/random/boot_id';
const DEFAULT_SEARCH_PATHS = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'];
const DEFAULT_MESSAGE = 'Reboot initiated by Ansible';

// Ansible's tables by distribution name (lowercase): the only keys its tables hold
const BOOT_TIME_COMMANDS: Record<string, string> = {
  freebsd: '/sbin/sysctl kern.boottime',
  openbsd: '/sbin/sysctl kern.boottime',
  macosx: 'who -b',
  solaris: 'who -b',
  sunos: 'who -b',
  vmkernel: 'grep booted /var/log/vmksummary.log | tail -n 1',
  aix: 'who -b',
};
const SHUTDOWN_COMMANDS: Record<string, string> = { alpine: 'reboot', vmkernel: 'reboot' };
const SHUTDOWN_ARGS: Record<string, string> = {
  alpine: '',
  void: '-r +{delay_min} "{message}"',
  freebsd: '-r +{delay_sec}s "{message}"',
  macosx: '-r +{delay_min} "{message}"',
  openbsd: '-r +{delay_min} "{message}"',
  solaris: '-y -g {delay_sec} -i 6 "{message}"',
  sunos: '-y -g {delay_sec} -i 6 "{message}"',
  vmkernel: '-d {delay_sec}',
  aix: '-Fr',
};
const DEFAULT_SHUTDOWN_ARGS = '-r {delay_min} "{message}"';
const TEST_COMMANDS: Record<string, string> = { solaris: 'who', vmkernel: 'who' };

const schema = {
  type: 'object',
  description:
    "Reboot the host, wait for it to go down and come back, and check that it answers, as Ansible's reboot. The shutdown command is looked up in search_paths on the host (or given whole by reboot_command); 'back' means the boot id (boot_time_command) differs and test_command succeeds. Result: rebooted, elapsed (seconds), changed. Check mode: reported changed without rebooting. Refused on a local connection.",
  properties: {
    boot_time_command: { type: 'string', description: "Command whose output differs after a reboot (default 'cat /proc/sys/kernel/random/boot_id')." },
    connect_timeout: secs('Seconds one connection attempt may take while waiting for the host (default: the connection\'s own timeout).'),
    msg: { type: 'string', description: "Message passed to the shutdown command (default 'Reboot initiated by Ansible')." },
    post_reboot_delay: { ...secs('Seconds to wait after the reboot command before checking that the host is back.'), default: 0 },
    pre_reboot_delay: { ...secs('Seconds before the reboot, passed to the shutdown command (in minutes on Linux, rounded down).'), default: 0 },
    reboot_command: { type: 'string', description: 'Command (with its arguments) that reboots the host; a command name without a path is looked up in search_paths.' },
    reboot_timeout: { ...secs('Seconds to wait for the host to come back, and again for the test command to succeed.'), default: 600 },
    search_paths: stringOrList("Directories searched for the shutdown command (default ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'])."),
    test_command: { type: 'string', description: "Command that must succeed once the host is back (default 'whoami')." },
  },
  additionalProperties: false,
};

/** Python's int() of a number or numeric text (a bad value fails the task, as Python's ValueError would). */
function pyInt(v: unknown, d: number, name: string): number {
  if (v === undefined || v === null) return d;
  const n = typeof v === 'number' ? Math.trunc(v) : /^\s*[-+]?\d+\s*$/.test(String(v)) ? Number(String(v).trim()) : NaN;
  if (!Number.isFinite(n)) throw new TaskError(`invalid literal for int() with base 10: ${pyRepr(String(v))}`, { rebooted: false, [name]: v });
  return n;
}

const sleep = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

/** str.format of Ansible's argument templates. */
const format = (t: string, f: Record<string, string | number>): string => t.replace(/\{(\w+)\}/g, (_, k: string) => String(f[k]));

/** The distribution key Ansible's tables are looked up by: its lowercased name, only where a table has it (else '': the defaults). */
const DISTRO_SCRIPT = [
  'os=$(uname -s 2>/dev/null)',
  'case "$os" in',
  '  Linux) id=; if [ -r /etc/os-release ]; then id=$(. /etc/os-release 2>/dev/null; printf %s "$ID"); fi; printf %s "$id" ;;',
  '  FreeBSD) printf freebsd ;; OpenBSD) printf openbsd ;; Darwin) printf macosx ;; SunOS) printf solaris ;; AIX) printf aix ;; VMkernel) printf vmkernel ;;',
  'esac',
].join('\n');

async function distribution(ctx: ModuleContext): Promise<string> {
  const facts = ctx.vars.ansible_facts as Vars | undefined;
  const known = facts?.distribution;
  if (typeof known === 'string') return known.toLowerCase();
  const r = await ctx.probe(DISTRO_SCRIPT);
  return r.stdout.trim().toLowerCase();
}

/** Python's check_type_list of what the schema lets through: a list as it is, a string split on commas. */
function searchPaths(v: unknown): string[] {
  if (v === undefined || v === null) return DEFAULT_SEARCH_PATHS;
  return Array.isArray(v) ? v.map(String) : String(v).split(',');
}

/** Ansible's find (paths, the name as pattern, any file type, not recursive): the first entry found, in the order of the paths, as os.path.join writes it. */
function findScript(paths: string[], name: string): string {
  const join = (d: string) => (d.endsWith('/') ? d + name : `${d}/${name}`);
  return paths.map((d) => `if [ -d ${q(d)} ] && { [ -e ${q(join(d))} ] || [ -L ${q(join(d))} ]; }; then printf %s ${q(join(d))}; exit 0; fi`).join('\n');
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const action = ctx.actionAs ?? 'reboot';
  if (await ctx.connectionIsLocal?.()) {
    return { steps: [], failed: `Running ${action} with local connection would reboot the control node.`, result: { elapsed: 0, rebooted: false } };
  }
  if (ctx.check) return { steps: [{ describe: 'reboot the host', cmd: 'true' }], result: { elapsed: 0, rebooted: true } };

  const preDelay = Math.max(0, pyInt(a.pre_reboot_delay, 0, 'pre_reboot_delay'));
  const postDelay = Math.max(0, pyInt(a.post_reboot_delay, 0, 'post_reboot_delay'));
  const timeout = pyInt(a.reboot_timeout, 600, 'reboot_timeout');
  const connectTimeout = a.connect_timeout === undefined || a.connect_timeout === null || a.connect_timeout === '' || a.connect_timeout === 0 ? undefined : pyInt(a.connect_timeout, 0, 'connect_timeout');
  const distro = await distribution(ctx);
  const bootTimeCommand = (a.boot_time_command as string | undefined) || BOOT_TIME_COMMANDS[distro] || DEFAULT_BOOT_TIME_COMMAND;
  const testCommand = (a.test_command as string | undefined) ?? TEST_COMMANDS[distro] ?? 'whoami';

  const bootTime = async (run: (cmd: string) => Promise<ExecResult>): Promise<string> => {
    const r = await run(bootTimeCommand);
    if (r.rc !== 0) throw new TaskError(`${action}: failed to get host boot time info, rc: ${r.rc}, stdout: ${r.stdout}, stderr: ${r.stderr}`, {});
    return r.stdout.trim();
  };
  let previous: string;
  try {
    previous = await bootTime((c) => ctx.probe(c));
  } catch (e) {
    if (e instanceof TaskError) return { steps: [], failed: e.message, result: { reboot: false } }; // sic: Ansible's key
    throw e;
  }

  // the shutdown command: reboot_command's first word, else the distribution's; a name without a path is looked up on the host
  const given = a.reboot_command as string | undefined;
  const bin = given !== undefined ? given.split(' ')[0] : (SHUTDOWN_COMMANDS[distro] ?? 'shutdown');
  let full = bin;
  if (!bin.startsWith('/')) {
    const paths = searchPaths(a.search_paths);
    const found = (await ctx.probe(findScript(paths, bin))).stdout;
    if (!found) return { steps: [], failed: `Unable to find command "${bin}" in search paths: ${pyRepr(paths)}`, raised: true };
    full = found;
  }
  let args: string;
  if (given !== undefined) {
    const sp = given.indexOf(' ');
    args = sp < 0 ? '' : given.slice(sp + 1);
  } else {
    const msg = (a.msg as string | undefined) ?? DEFAULT_MESSAGE;
    args = format(SHUTDOWN_ARGS[distro] ?? DEFAULT_SHUTDOWN_ARGS, { delay_sec: preDelay, delay_min: Math.floor(preDelay / 60), message: msg });
  }
  const rebootCommand = `${full} ${args}`;

  /** Ansible's do_until_success_or_timeout: retry with exponential backoff (at most 12 s, plus up to 1 s) until `timeout` seconds have passed. */
  const until = async (what: string, attempt: () => Promise<void>): Promise<void> => {
    const end = Date.now() + timeout * 1000;
    let fails = 0;
    while (Date.now() < end) {
      try {
        await attempt();
        return;
      } catch (e) {
        if (e instanceof ConnectionError) await ctx.reconnect?.().catch(() => undefined);
        const r = Math.floor(Math.random() * 1001) / 1000;
        let wait = 2 ** fails + r;
        if (wait > 12) wait = 12 + r;
        fails++;
        await sleep(wait);
      }
    }
    throw new TaskError(`Timed out waiting for ${what} (timeout=${timeout})`, { rebooted: true }, { alone: true });
  };
  /** One command on the (maybe new) connection, bounded by connect_timeout when given. */
  const once = (cmd: string): Promise<ExecResult> => {
    const run = ctx.poll ? ctx.poll(cmd) : ctx.probe(cmd);
    if (connectTimeout === undefined) return run;
    // an attempt over its time is a lost connection (Ansible's connection timeout): opened again
    return Promise.race([run, new Promise<never>((_, rej) => setTimeout(() => rej(new ConnectionError(ctx.host, '', `timed out after ${connectTimeout} s`)), connectTimeout * 1000).unref())]);
  };

  return {
    steps: [{ describe: `reboot the host: ${rebootCommand}`, cmd: rebootCommand }],
    result: {},
    async awaitHost(res: ExecResult): Promise<Vars> {
      const start = Date.now();
      const elapsed = () => Math.floor((Date.now() - start) / 1000);
      if (res.rc !== 0) {
        throw new TaskError(`Reboot command failed. Error was: '${res.stdout.trim()}, ${res.stderr.trim()}'`, { changed: false, rebooted: false, start: new Date(start).toISOString().replace('Z', ''), elapsed: elapsed() }, { alone: true });
      }
      if (postDelay) await sleep(postDelay);
      try {
        await until('last boot time check', async () => {
          const now = await bootTime(once);
          if (now.length === 0 || now === previous) throw new Error('boot time has not changed');
        });
        await until('post-reboot test command', async () => {
          const r = await once(testCommand);
          if (r.rc !== 0) throw new Error(`Test command failed: ${r.stderr} ${r.stdout}`);
        });
      } catch (e) {
        if (e instanceof TaskError) throw new TaskError(e.message, { changed: false, ...e.result, elapsed: elapsed() }, { alone: true });
        throw e;
      }
      return { changed: true, rebooted: true, elapsed: elapsed() };
    },
  };
}

export const reboot: TaskModule = {
  name: 'reboot',
  aliases: ['ansible.builtin.reboot', 'ansible.legacy.reboot'],
  noInterpreterDiscovery: true, // the setup and find modules Ansible runs inside bring their fact into results it drops
  asyncUnsupported: true,
  environmentIgnored: '', // its commands run without the task's environment, silently, as Ansible's
  schema,
  freeForm: 'kv',
  plan,
};
