// An Ansible module written in Python (or any language Ansible accepts) found in a library/ dir,
// -M or ANSIBLE_LIBRARY, run as Ansible runs it: ansible-core on the controller builds the payload
// (src/pymod/runner.ts), the host runs it with its python (pipelined on stdin, as Ansible's
// pipelining), and the JSON it prints becomes the result the way Ansible's action base reads it
// (ActionBase._execute_module and _parse_returned_data of 2.14). The module does its own check
// mode and diff: in check mode it runs with _ansible_check_mode (a module without check mode
// support skips itself); otherwise its run is the plan's one step, so an interrupted run, the
// host lock, async and -vvv treat it as any change.
import type { ExecResult, FileDiff, ModuleContext, Plan, TaskModule, Vars } from '../types.js';
import { TaskError, errorText } from '../errors.js';
import { pythonOf } from '../facts/script.js';
import { q } from '../shell.js';
import { pyStr } from '../vars/pystr.js';
import { ansibleCore, type Payload } from './runner.js';
import { pyJsonLoads } from '../vars/pyfloat.js';

/** Where a python is looked for on the host when ansible_python_interpreter does not name one (Ansible's discovery finds these). */
const PYTHONS = ['/usr/bin/python3', 'python3', '/usr/libexec/platform-python', '/usr/bin/python', 'python'];

/** The command that runs the payload read from stdin with the host's python. */
function pythonCommand(python: string | undefined): string {
  if (python) return `${q(python)} -`;
  return `for p in ${PYTHONS.join(' ')}; do if command -v "$p" >/dev/null 2>&1; then exec "$p" -; fi; done; echo '/usr/bin/python3: not found' >&2; exit 127`;
}

/** The command that writes a non-Python module and its arguments file (both read from stdin) to a private directory and runs it. */
function scriptCommand(argsLen: number, shebang: string | null): string {
  const interp = shebang ? shebang.replace(/^#!\s*/, '').trim() : '';
  return [
    'd=$(mktemp -d "${TMPDIR:-/tmp}/ansible-lvsplay-XXXXXXXX")',
    `head -c ${argsLen} > "$d/args"`,
    'cat > "$d/module"',
    'chmod 0700 "$d/module"',
    `rc=0; ${interp ? `${interp} ` : ''}"$d/module" "$d/args" || rc=$?`,
    'rm -rf "$d"',
    'exit $rc',
  ].join('\n');
}

/** Python's shlex.quote: a word of only safe characters stays bare, anything else is single-quoted. */
export function shlexQuote(s: string): string {
  if (!s) return "''";
  if (!/[^A-Za-z0-9_@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

/** Ansible's `old` style: `k=v ` for each argument (a space after each), the value Python's str() of it through shlex.quote, as ActionBase._execute_module writes it. */
export function oldStyleArgs(args: Vars): string {
  return Object.entries(args)
    .map(([k, v]) => `${k}=${shlexQuote(pyStr(v))} `)
    .join('');
}

/** Ansible's _filter_non_json_lines (objects only): the JSON object in the output, and warnings about what surrounded it. */
export function filterNonJson(text: string): { json: string; warnings: string[] } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('{'));
  if (start < 0) throw new Error('No start of json char found');
  const rest = lines.slice(start);
  let end = rest.length - 1;
  while (end >= 0 && !rest[end].trim().endsWith('}')) end--;
  if (end < 0) throw new Error('No end of json char found');
  const warnings: string[] = [];
  const trailing = rest.slice(end + 1);
  if (trailing.length && trailing.some((l) => l.length)) warnings.push(`Module invocation had junk after the JSON data: ${trailing.join('\n')}`);
  return { json: rest.slice(0, end + 1).join('\n'), warnings };
}

const lines = (s: unknown): string[] => (typeof s === 'string' && s ? s.split(/\r\n|\r|\n/).filter((l, i, a) => i < a.length - 1 || l !== '') : []);

/** What the module printed, as Ansible's action base makes it a result (not yet marked failed/changed). */
export function moduleResult(res: ExecResult, python: string | undefined, warn: (m: string) => void, wrapper?: { cmd: string }): Vars {
  let data: Vars;
  try {
    const { json, warnings } = filterNonJson(res.stdout);
    if (!wrapper) for (const w of warnings) warn(w);
    const parsed = pyJsonLoads(json); // a module's float 2.0 stays one
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    data = parsed as Vars;
    if (wrapper) {
      // async_wrapper: junk around the JSON becomes the result's warnings, the module's stderr its `stderr`
      if (warnings.length) data.warnings = [...(Array.isArray(data.warnings) ? data.warnings : data.warnings === undefined ? [] : [data.warnings]), ...warnings];
      if (res.stderr) data.stderr = res.stderr;
    }
  } catch (e) {
    if (wrapper) {
      // async_wrapper's result for output that is no JSON (its msg is Python's traceback: here its last line)
      const why = /^No (start|end) of json char found$/.test(errorText(e)) ? `ValueError: ${errorText(e)}` : `json.decoder.JSONDecodeError: ${errorText(e)}`;
      return { failed: 1, cmd: wrapper.cmd, data: res.stdout, stderr: res.stderr, msg: why };
    }
    data = { failed: true, module_stdout: res.stdout, module_stderr: res.stderr };
    if (res.stderr.startsWith('Traceback')) data.exception = res.stderr;
    else if (res.stdout.startsWith('Traceback')) data.exception = res.stdout;
    const used = (python ?? '/usr/bin/python3').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const missing = new RegExp(`${used}: (?:No such file or directory|not found)`);
    data.msg = `${missing.test(res.stderr) || missing.test(res.stdout) ? 'The module failed to execute correctly, you probably need to set the interpreter.' : 'MODULE FAILURE'}\nSee stdout/stderr for the exact error`;
    data.rc = res.rc;
    return data;
  }
  if ('results' in data && (typeof data.results === 'string' || data.results === null || typeof data.results !== 'object')) {
    data.ansible_module_results = data.results;
    delete data.results;
    warn("Found internal 'results' key in module return, renamed to 'ansible_module_results'.");
  }
  for (const k of Object.keys(data)) {
    if ((k.startsWith('_ansible_') && k !== '_ansible_parsed') || k === 'ansible_facts_cacheable' || k === '_ansible_no_log') {
      warn(`Removed unexpected internal key in module return: ${k} = ${JSON.stringify(data[k])}`);
      delete data[k];
    }
  }
  for (const k of ['warnings', 'deprecations']) if (k in data && (!data[k] || (Array.isArray(data[k]) && !(data[k] as unknown[]).length))) delete data[k];
  const facts = data.ansible_facts;
  if (facts && typeof facts === 'object') for (const k of Object.keys(facts)) if (/^(ansible_)?discovered_interpreter_/.test(k)) delete (facts as Vars)[k];
  if ('stdout' in data && !('stdout_lines' in data)) data.stdout_lines = lines(data.stdout);
  if ('stderr' in data && !('stderr_lines' in data)) data.stderr_lines = lines(data.stderr);
  delete data.invocation; // Ansible's registered result has it only at -vvv (the callback strips it)
  return data;
}

/** A module's `diff` (one mapping or a list of them) as lvsplay shows diffs. */
export function diffsOf(d: unknown): FileDiff[] | undefined {
  const list = Array.isArray(d) ? d : d && typeof d === 'object' ? [d] : [];
  const out: FileDiff[] = [];
  for (const x of list as Vars[]) {
    if (x && typeof x === 'object' && typeof x.prepared === 'string') {
      out.push({ before: '', after: '', prepared: x.prepared });
      continue;
    }
    if (!x || typeof x !== 'object' || (!('before' in x) && !('after' in x))) continue;
    const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v, null, 4) + '\n');
    out.push({ path: typeof x.before_header === 'string' ? x.before_header : typeof x.after_header === 'string' ? x.after_header : undefined, before: text(x.before), after: text(x.after) });
  }
  return out.length ? out : undefined;
}

/** A module result's boolean as Ansible's task executor reads it (changed, failed, skipped: true, 1, 'yes', 'on', '1', 'true', 'y'). */
export const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && ['yes', 'on', '1', 'true', 'y'].includes(v.toLowerCase())) || v === 1;

/** The arguments Ansible's action base adds for the module (ActionBase._update_module_args). */
function internalArgs(ctx: ModuleContext, name: string, defaults: Vars): Vars {
  return {
    _ansible_check_mode: ctx.check,
    _ansible_no_log: !!ctx.noLog || !!defaults.no_target_syslog,
    _ansible_debug: defaults._ansible_debug ?? false,
    _ansible_diff: ctx.diff,
    _ansible_verbosity: ctx.verbosity,
    _ansible_version: defaults._ansible_version,
    _ansible_module_name: name,
    _ansible_syslog_facility: typeof ctx.vars.ansible_syslog_facility === 'string' ? ctx.vars.ansible_syslog_facility : defaults._ansible_syslog_facility,
    _ansible_selinux_special_fs: defaults._ansible_selinux_special_fs,
    _ansible_string_conversion_action: defaults._ansible_string_conversion_action,
    _ansible_socket: null,
    _ansible_shell_executable: '/bin/sh',
    _ansible_keep_remote_files: defaults._ansible_keep_remote_files ?? false,
    _ansible_tmpdir: null,
    _ansible_remote_tmp: '~/.ansible/tmp',
  };
}

/** The command and stdin that run the built payload on the host. */
function invocation(p: Payload, args: Vars, python: string | undefined): { cmd: string; stdin: Buffer } {
  if (p.style === 'new') return { cmd: pythonCommand(python), stdin: p.data };
  const argText = Buffer.from(p.style === 'old' ? oldStyleArgs(args) : JSON.stringify(args));
  const interp = p.shebang && python && /python/.test(p.shebang) ? `#!${python}` : p.shebang;
  return { cmd: scriptCommand(argText.length, interp), stdin: Buffer.concat([argText, p.data]) };
}

/** The task module for the Ansible module `name` in `file` (`moduleUtils`: module_utils/ dirs of the playbook and roles). */
export function ansibleModule(name: string, file: string, moduleUtils: string[] = []): TaskModule {
  async function plan(ctx: ModuleContext): Promise<Plan> {
    const core = await ansibleCore();
    const args: Vars = { ...ctx.args, ...internalArgs(ctx, name, core.info.defaults) };
    const python = pythonOf(ctx.vars);
    let payload: Payload;
    try {
      payload = await core.build({ name, path: file, args, interpreter: python, moduleUtils });
    } catch (e) {
      throw new TaskError(`${(e as { cls?: string }).cls ?? 'AnsibleError'}: ${(e as Error).message}`);
    }
    const { cmd, stdin } = invocation(payload, args, python);
    const warn = (m: string) => ctx.warn?.(m);
    const outcome = (res: ExecResult, wrapper?: { cmd: string }): Vars => {
      const data = moduleResult(res, python, warn, wrapper);
      const changed = truthy(data.changed);
      if (truthy(data.failed) || (typeof data.rc === 'number' && data.rc !== 0 && !('failed' in data))) {
        const { msg, ...rest } = data;
        throw new TaskError(typeof msg === 'string' ? msg : msg === undefined ? '' : JSON.stringify(msg), { ...rest, changed }, { alone: true });
      }
      return { ...data, changed };
    };
    if (ctx.check) {
      // the module decides what check mode means (or skips itself, without check mode support)
      const res = await ctx.probe(cmd, stdin);
      let data: Vars;
      try {
        data = outcome(res);
      } catch (e) {
        if (!(e instanceof TaskError)) throw e;
        return { steps: [], result: e.result, failed: e.message, changed: !!e.result.changed };
      }
      if (truthy(data.skipped)) return { steps: [], result: data, skipped: typeof data.msg === 'string' ? data.msg : '' };
      return { steps: [], result: data, changed: data.changed as boolean, diff: diffsOf(data.diff) };
    }
    const p: Plan = {
      steps: [{ describe: `run the Ansible module ${name} (${file})`, cmd, stdin }],
      after: (res) => {
        const data = outcome(res);
        p.diff = diffsOf(data.diff); // known once it ran (the executor reads the plan's diff after applying)
        return data;
      },
      asyncAfter: (res) => outcome(res, { cmd }),
    };
    return p;
  }
  return {
    name,
    aliases: [`ansible.legacy.${name}`],
    schema: { type: 'object', description: `An Ansible module (${file}), run as Ansible runs it: built by ansible-core on the controller, its arguments checked by the module itself.`, additionalProperties: true },
    freeForm: 'kv',
    quietOutput: true,
    plan,
  };
}
