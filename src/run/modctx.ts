// The ModuleContext a module plans with: probes (cached per host+command within a task), facts,
// file lookup (role dirs, task file dir, playbook dir), controller-side templating.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readControllerFile, revealLines } from '../vault/files.js';
import { dirname, isAbsolute, join } from 'node:path';
import type { BecomeSpec, Connection, ExecResult, ModuleContext, Task, Vars } from '../types.js';
import { ConfigError, errorText, reworded } from '../errors.js';
import { ansibleWordsOf, asActionFailure, conditionErrorMsg, isUndefinedError, withAnsibleWords } from '../vars/templerr.js';
import type { RunState } from './state.js';
import { batcherFor } from './batch.js';
import { asyncDirSh, jobStatus } from './async.js';

export interface CtxInput {
  st: RunState;
  task: Task;
  host: string;
  args: Vars;
  vars: Vars;
  check: boolean;
  diff: boolean;
  noLog?: boolean;
  become?: BecomeSpec;
  conn: () => Promise<Connection>;
  gather: () => Promise<Vars>;
  echo: (cmd: string) => void;
  /** Drop the cached connection to the task's target (the next probe connects again). */
  reconnect?: () => Promise<void>;
  /** delegate_to: the host the task runs on and its connection variables. */
  delegation?: { host: string; vars: Vars };
}

/** Where `src:` files are looked up, first match wins. */
export function searchPaths(st: RunState, task: Task, kind: 'templates' | 'files' | 'vars'): string[] {
  return srcSearchPaths(task, st.playbook.dir, kind);
}

/** The same, before the run (the load-time template check): by the playbook's directory. */
export function srcSearchPaths(task: Task, playbookDir: string, kind: 'templates' | 'files' | 'vars', withPlaybook = true): string[] {
  const out: string[] = [];
  if (task.role) out.push(join(task.role.path, kind), task.role.path); // as Ansible: the role's <kind>/ then the role itself
  const dir = dirname(task.file);
  out.push(join(dir, kind), dir);
  if (task.role) out.push(join(task.role.path, 'tasks'));
  if (withPlaybook) out.push(join(playbookDir, kind), playbookDir);
  return [...new Set(out)];
}

/** An Ansible `[WARNING]:` of a task on a host, once per task, host and text (Ansible's workers each warn once per text). */
export function taskWarn(st: RunState, task: Task, host: string, msg: string): void {
  const shown = st.masker.text(msg); // a module's or plugin's warning may quote a secret
  st.warnOnce(shown, `${task.pos.file}:${task.pos.line}:${task.pos.col}\0${host}\0${shown}`);
}

export function moduleContext(i: CtxInput): ModuleContext {
  const cache = new Map<string, Promise<ExecResult>>();
  const { st, task } = i;
  const templar = st.deps.templar;
  return {
    host: i.host,
    args: i.args,
    vars: i.vars,
    check: i.check,
    diff: i.diff,
    noLog: i.noLog,
    pos: task.pos,
    argsPos: task.argsPos ?? {},
    actionAs: task.actionAs,
    taskName: task.name ?? task.action,
    reconnect: i.reconnect,
    async connectionReset() {
      if ((await i.conn()).address === 'local') st.warnOnce('Reset is not implemented for this connection');
    },
    warn: (msg: string) => taskWarn(st, task, i.host, msg),
    mask: (text: string) => st.masker.text(text),
    verbosity: st.opts.verbosity,
    probe(command: string, stdin?: string | Buffer): Promise<ExecResult> {
      const key = `${command}\u0000${Buffer.isBuffer(stdin) ? `sha1:${createHash('sha1').update(stdin).digest('hex')}` : (stdin ?? '')}`;
      let p = cache.get(key);
      if (!p) {
        p = (async () => {
          const conn = await i.conn();
          i.echo(command);
          return batcherFor(conn).exec(command, { stdin, become: i.become }); // probes of one tick: one exec
        })();
        cache.set(key, p);
        p.catch(() => cache.delete(key));
      }
      return p;
    },
    async poll(command: string): Promise<ExecResult> {
      const conn = await i.conn();
      i.echo(command);
      return conn.exec(command, { become: i.become });
    },
    delegation: i.delegation,
    taskSearchPath: [...new Set([...(task.role ? [task.role.path] : []), dirname(task.file)])],
    connectionIsLocal: async () => (await i.conn()).address === 'local',
    facts: () => i.gather(),
    findFile(kind, name): string {
      // Ansible's words: its search list repeats the play's directory at the end (its loader's basedir)
      const notFound = (text: string, searched?: string[]): ConfigError =>
        asActionFailure(
          withAnsibleWords(
            new ConfigError(text, task.pos),
            `Could not find or access '${name}'${searched ? `\nSearched in:\n\t${searched.join('\n\t')}` : ''} on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`,
          ),
        );
      if (isAbsolute(name)) {
        if (existsSync(name)) return name;
        throw notFound(`${kind === 'templates' ? 'template' : 'file'} not found: ${name}`);
      }
      const tried = searchPaths(st, task, kind).map((d) => join(d, name));
      const hit = tried.find((p) => existsSync(p));
      if (hit) return hit;
      const own = srcSearchPaths(task, st.playbook.dir, kind, false).map((d) => join(d, name));
      throw notFound(`could not find '${name}' (looked in: ${tried.join(', ')})`, [...own, join(st.playbook.dir, kind, name), join(st.playbook.dir, name)]);
    },
    searchPaths: (kind) => searchPaths(st, task, kind),
    readVars: async (path, pos) => st.deps.loadVarsFile(path, pos ?? task.pos),
    renderFile(path, opts): string {
      const src = readControllerFile(path); // vault-encrypted sources decrypted, their output secret
      let out: string;
      try {
        out = templar.renderString(src.data.toString('utf8'), i.vars, path, opts);
      } catch (e) {
        // the template action words an undefined variable with its class (AnsibleUndefinedVariable: ...)
        const w = ansibleWordsOf(e);
        if (!(e instanceof ConfigError) || !isUndefinedError(e) || w === undefined) throw e;
        throw asActionFailure(withAnsibleWords(reworded(e, e.message, e.pos), `AnsibleUndefinedVariable: ${w}`));
      }
      if (src.vaulted) revealLines(out);
      return out;
    },
    async renderArg(text: string): Promise<unknown> {
      return templar.render(text, i.vars, task.pos);
    },
    async evalExpr(expr: string): Promise<unknown> {
      return templar.evalExpr ? templar.evalExpr(expr, i.vars, task.pos) : templar.render(`{{ ${expr} }}`, i.vars, task.pos);
    },
    async evalCondition(expr: string): Promise<boolean> {
      try {
        return templar.evalCondition(expr, i.vars, task.pos);
      } catch (e) {
        // a module's conditional (assert's that): the task's msg is Ansible's conditional text, no position
        // (a new error, not marked undefined, keeping the cause's own text, place and hint)
        const ce = e instanceof ConfigError ? reworded(e, e.message, e.pos ?? task.pos) : new ConfigError(errorText(e), task.pos);
        throw withAnsibleWords(ce, conditionErrorMsg(expr, e, false));
      }
    },
    async asyncJob(jid, mode) {
      const exec = async (cmd: string) => (await i.conn()).exec(cmd, { become: i.become }); // not cached: each check looks again (as poll)
      return jobStatus(st, i.host, exec, jid, mode, asyncDirSh(st, i.vars, task.pos));
    },
  };
}
