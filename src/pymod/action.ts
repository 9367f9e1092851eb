// An Ansible action plugin (Python run on the controller: a role's or playbook's action_plugins/, an
// installed collection's, such as ansible.posix.patch), run as Ansible's task executor runs it, by
// ansible-core itself (src/pymod/action.py): one server per lvsplay run, a forked child of it per
// task and host. The plugin's commands, file transfers and module runs go to the host through
// lvsplay's connection (become by lvsplay's sudo/su where Ansible would wrap the command); its
// variables are the task's as written (Ansible's task_vars: the plugin's templar renders them), host
// data marked unsafe. The plugin does its own check mode and diff: its run is the plan's `perform`,
// called in check mode too (as Ansible runs it), under the host lock otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import type { ExecResult, ModuleContext, Plan, PlanIO, TaskModule, Vars } from '../types.js';
import { TaskError } from '../errors.js';
import { fromRoot } from '../paths.js';
import { isLazy, ownEntry } from '../jinja/bridge.js';
import { floatFromTag, floatTagged } from '../vars/pyfloat.js';
import { asWritten, hasMarkup, isTemplate } from '../vars/unsafe.js';
import { ansibleCore } from './runner.js';
import { diffsOf } from './module.js';

/** Where an action plugin's helpers live: the playbook's and roles' action_plugins/, library/ and module_utils/. */
export interface ActionDirs {
  action: string[];
  library: string[];
  moduleUtils: string[];
}

/**
 * The task's variables as Ansible gives them to an action plugin: as written (the plugin's templar
 * renders them, with these same variables), data from hosts marked unsafe (never templated), a lazy
 * mapping (hostvars) lent by reference.
 */
function variable(ctx: ModuleContext, name: string): { found: boolean; value?: unknown } {
  return ownEntry(ctx.vars, name);
}

/**
 * A connection variable (the first of `names` set) of the host the task runs on (the delegate's under
 * delegate_to), rendered: what Ansible's PlayContext holds.
 */
async function connVar(ctx: ModuleContext, ...names: string[]): Promise<string | number | undefined> {
  const vars = ctx.delegation?.vars ?? ctx.vars;
  for (const n of names) {
    const raw = vars[n];
    if (!Object.prototype.hasOwnProperty.call(vars, n) || raw === null || raw === undefined) continue;
    const v = typeof raw === 'string' && isTemplate(raw) && ctx.renderArg ? await ctx.renderArg(raw) : raw;
    return typeof v === 'number' ? v : String(v);
  }
  return undefined;
}

/** JSON for the plugin's process: whole floats, lent mappings and unsafe text tagged. */
function wireReplacer(refs: object[]): (k: string, v: unknown) => unknown {
  return (k, v) => {
    if (isLazy(v)) return { __lvs_ref: refs.push(v) - 1 };
    if (typeof v === 'string' && k !== '__lvs_unsafe' && hasMarkup(v)) return isTemplate(v) ? asWritten(v) : { __lvs_unsafe: v };
    return floatTagged(k, v);
  };
}

/** The server of this run's plugin runs (src/pymod/action.py): started on first use, ended with lvsplay. */
let server: Promise<string> | undefined;
/** Runs waiting for the server to be ready: while there are some, it keeps lvsplay's event loop alive. */
let waiting = 0;
let hold: ((on: boolean) => void) | undefined;
let readySock: string | undefined;

/** Start the server in the background (the run uses action plugins: its start overlaps lvsplay's own work). */
function prestartActionServer(): void {
  ansibleCore().then((core) => startServer(core.info.python), () => undefined).catch(() => undefined); // a failure is reported by the run that needs it
}

/** The socket of the server, once it is ready (it is started on first use). */
async function actionServer(python: string): Promise<string> {
  if (readySock && server) return readySock;
  waiting++;
  if (waiting === 1) hold?.(true);
  try {
    return await startServer(python);
  } finally {
    if (--waiting === 0) hold?.(false);
  }
}

function startServer(python: string): Promise<string> {
  server ??= new Promise<string>((resolve, reject) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-action-'));
    const sock = path.join(dir, 'sock');
    const child = spawn(python, [fromRoot('src', 'pymod', 'action.py'), sock], {
      // stdin: its lifeline (lvsplay gone, killed or not: end of file, the server ends)
      stdio: ['pipe', 'pipe', 'pipe'],
      // AnsiballZ payloads built once for the run (ansible-core's cache in its local temp)
      env: { ...process.env, ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'), PYTHONDONTWRITEBYTECODE: '1', ANSIBLE_NOCOLOR: '1' },
      // a group of its own: a Ctrl-C at the terminal is lvsplay's to handle (a plugin's run, a change
      // under way, finishes as any change does; src/run/interrupt.ts)
      detached: true,
    });
    child.stdin.on('error', () => undefined);
    const streams = [child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[];
    hold = (on) => {
      if (on) child.ref();
      else child.unref();
      for (const st of streams) (on ? st.ref : st.unref)?.call(st);
    };
    hold(waiting > 0);
    const stop = (): void => {
      if (child.exitCode === null) child.kill();
      rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', stop);
    // what a plugin's subprocesses print (rsync's errors ...): shown as they come
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    const first = createInterface({ input: child.stdout });
    first.once('line', (l) => {
      let m: { ready?: boolean; fatal?: string } = {};
      try {
        m = JSON.parse(l) as typeof m;
      } catch {
        /* below */
      }
      if (m.ready) resolve((readySock = sock));
      else reject(new TaskError(`ansible-core cannot run action plugins (${python}): ${m.fatal ?? l}`));
      first.close();
    });
    child.once('error', (e) => reject(new TaskError(`the action plugins' python (${python}) cannot run: ${e.message}`)));
    child.once('close', (code) => {
      server = undefined; // the next run starts another
      hold = undefined;
      readySock = undefined;
      reject(new TaskError(`the action plugins' process (${python}) ended (exit ${code})`));
    });
  });
  return server;
}

/**
 * The interpreters a plugin's run discovered, by the ansible_facts object of the task's variables on
 * the host (one per task and host, shared by a loop's items): the next items do not discover again,
 * as in Ansible, where discovery fills in the loop's shared task_vars.
 */
const discoveredIn = new WeakMap<object, Vars>();

/** Run the plugin once: its result as Ansible's task executor returns it (before failed_when, changed_when, register). */
async function runPlugin(ctx: ModuleContext, io: PlanIO, req: Vars, onDiffOn: () => void): Promise<Vars> {
  const core = await ansibleCore();
  const sockPath = await actionServer(core.info.python);
  const conn = connect(sockPath);
  conn.on('error', () => undefined); // its 'close' says so
  const refs: object[] = [];
  const send = (o: unknown): void => {
    conn.write(JSON.stringify(o, wireReplacer(refs)) + '\n');
  };
  // Ansible's display: a warning becomes the task's, the rest is shown as is
  let logged = '';
  const log = (text: string): void => {
    logged += text;
    const lines = logged.split('\n');
    logged = lines.pop() ?? '';
    for (const l of lines) {
      const w = /^\[WARNING\]: (.*)$/.exec(l);
      if (w) ctx.warn?.(w[1]);
      else if (l.trim()) process.stderr.write(`${ctx.mask ? ctx.mask(l) : l}\n`);
    }
  };
  const answer = async (m: Record<string, unknown>): Promise<unknown> => {
    switch (m.ask) {
      case 'exec': {
        const stdin = typeof m.stdin === 'string' ? Buffer.from(m.stdin, 'base64') : undefined;
        const r: ExecResult = await io.exec(String(m.cmd), { stdin, become: m.become === true });
        return { rc: r.rc, stdout: Buffer.from(r.stdout).toString('base64'), stderr: Buffer.from(r.stderr).toString('base64') };
      }
      case 'var':
        return variable(ctx, String(m.name));
      case 'names':
        return Object.keys(ctx.vars);
      case 'get': {
        const o = refs[Number(m.ref)] as Vars;
        const key = String(m.key);
        return ownEntry(o, key);
      }
      case 'keys':
        return Object.keys(refs[Number(m.ref)]);
    }
    throw new Error(`unknown question ${String(m.ask)}`);
  };
  try {
    const lines = createInterface({ input: conn });
    send(req);
    for await (const line of lines) {
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(line, (_k, v: unknown) => floatFromTag(v)) as Record<string, unknown>;
      } catch {
        throw new TaskError(`the action plugin's process wrote what lvsplay cannot read: ${line.slice(0, 200)}`);
      }
      if (typeof m.log === 'string') {
        log(m.log);
        continue;
      }
      if (m.done !== undefined) {
        log('\n');
        if (m.diff === true) onDiffOn();
        const facts = ctx.vars.ansible_facts;
        if (facts && typeof facts === 'object' && m.discovered && Object.keys(m.discovered).length) {
          discoveredIn.set(facts, { ...(discoveredIn.get(facts) ?? {}), ...(m.discovered as Vars) });
        }
        return (m.done ?? {}) as Vars;
      }
      if (m.fatal !== undefined) throw new TaskError(`ansible-core cannot run the action plugin: ${String(m.fatal)}`);
      try {
        send({ value: await answer(m) });
      } catch (e) {
        if (process.env.LVSPLAY_ACTION_DEBUG) process.stderr.write(`action ask ${JSON.stringify(m)} failed: ${(e as Error).stack}\n`);
        send({ error: (e as Error).message });
      }
    }
    throw new TaskError(`the action plugin's process (${core.info.python}) ended before it answered`);
  } finally {
    conn.destroy();
  }
}

/** The plugin's result as the task's: Ansible's internal keys and the module's invocation (shown at -vvv only) left out. */
function cleaned(r: Vars): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(r)) if (!k.startsWith('_ansible_') && k !== 'invocation') out[k] = v;
  return out; // ansible_facts kept: the interpreter ansible-core discovered on a host that had none is the host's fact from now on, as in Ansible
}

/**
 * The task module for the Ansible action plugin `action` (a short name found in `dirs.action`, or a
 * collection's FQCN) found at `where`, for tasks naming it `name`.
 */
export function ansibleAction(name: string, action: string, where: string, dirs: ActionDirs): TaskModule {
  async function plan(ctx: ModuleContext): Promise<Plan> {
    const local = (await ctx.connectionIsLocal?.()) ?? false;
    const p: Plan = {
      steps: [{ describe: `run the Ansible action plugin ${action} (${where})`, cmd: ':' }],
      async perform(io: PlanIO): Promise<Vars> {
        const become = io.become ? { method: io.become.method ?? 'sudo', user: io.become.user } : null;
        const req = {
          action,
          args: ctx.args,
          check: ctx.check,
          diff: ctx.diff,
          no_log: !!ctx.noLog,
          verbosity: ctx.verbosity,
          transport: local ? 'local' : 'ssh',
          remote_addr: (await connVar(ctx, 'ansible_host')) ?? ctx.delegation?.host ?? ctx.host,
          delegate_to: ctx.delegation?.host ?? null,
          delegated_vars: ctx.delegation ? { [ctx.delegation.host]: ctx.delegation.vars } : null,
          remote_user: (await connVar(ctx, 'ansible_user', 'ansible_ssh_user')) ?? null,
          port: (await connVar(ctx, 'ansible_port', 'ansible_ssh_port')) ?? null,
          private_key_file: (await connVar(ctx, 'ansible_private_key_file', 'ansible_ssh_private_key_file')) ?? null,
          ssh: {
            ssh_args: (await connVar(ctx, 'ansible_ssh_args')) ?? '-C -o ControlMaster=auto -o ControlPersist=60s',
            ssh_common_args: (await connVar(ctx, 'ansible_ssh_common_args')) ?? '',
            ssh_extra_args: (await connVar(ctx, 'ansible_ssh_extra_args')) ?? '',
          },
          become,
          basedir: ctx.searchPaths('files').at(-1),
          search_path: ctx.taskSearchPath ?? [],
          action_dirs: dirs.action,
          library_dirs: dirs.library,
          module_utils_dirs: dirs.moduleUtils,
          discovered: ctx.vars.ansible_facts && typeof ctx.vars.ansible_facts === 'object' ? (discoveredIn.get(ctx.vars.ansible_facts) ?? null) : null,
        };
        const r = cleaned(await runPlugin(ctx, io, req, () => (p.diffShown = true)));
        p.diff = diffsOf(r.diff);
        return r;
      },
    };
    return p;
  }
  return {
    name,
    aliases: [],
    schema: { type: 'object', description: `An Ansible action plugin (${where}), run by ansible-core on the controller: its arguments are checked by the plugin itself.`, additionalProperties: true },
    freeForm: 'kv',
    quietOutput: true,
    asyncUnsupported: true,
    noInterpreterDiscovery: true, // ansible-core's own, in the plugin's module runs
    prestart: prestartActionServer,
    plan,
  };
}
