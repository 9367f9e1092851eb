// meta: the executor's directives (src/playbook/control.ts lists them), carried out on the play
// being run. As Ansible 2.14's strategy runs them: `noop`, `flush_handlers`, `end_host` and
// `reset_connection` once per host (a banner each time, `skipping: [host]` where `when` is false,
// not counted in the recap); the others once for the batch, decided by the first host's `when`
// and acting on every host of the batch (one banner, `skipping: [first]` when false).
import type { Task } from '../types.js';
import { errorText } from '../errors.js';
import { displayName } from './hosttask.js';
import type { PlayRunner } from './play.js';
import type { Scope } from './scope.js';

const PER_HOST = new Set(['noop', 'flush_handlers', 'end_host', 'reset_connection', 'role_complete']);
/** Ansible warns that these ignore `when` (and runs them anyway). */
const NO_WHEN = new Set(['noop', 'refresh_inventory', 'reset_connection']);

export async function runMeta(r: PlayRunner, task: Task, hosts: string[], scope: Scope): Promise<void> {
  const what = String(task.args._raw_params ?? task.args.free_form ?? '');
  const when = (h: string): boolean => {
    const conds = [...scope.when, ...task.when];
    if (!conds.length) return true;
    const v = r.env.builder.forTask(h, { role: task.role ?? scope.role, blockVars: scope.blockVars, taskVars: task.vars, params: scope.params, taskFile: task.file });
    try {
      return conds.every((c) => r.st.deps.templar.evalCondition(c, v, task.pos));
    } catch (e) {
      r.st.emit({ type: 'warning', msg: `${h}: meta ${what}: ${errorText(e)}` });
      return false;
    }
  };
  const name = displayName(task, scope, r.env);
  const handler = !!scope.handler;
  const perHost = PER_HOST.has(what);
  if (NO_WHEN.has(what) && task.when.length) r.st.warnOnce(`${what} task does not support when conditional`);
  const asked = perHost ? hosts : hosts.slice(0, 1);
  const chosen: string[] = [];
  for (const h of asked) {
    r.st.emit({ type: 'task_start', name, pos: task.pos, handler });
    if (NO_WHEN.has(what) || when(h)) chosen.push(h);
    else r.st.emit({ type: 'host_result', host: h, task: name, status: 'skipped', result: { changed: false, skipped: true }, durationMs: 0 });
  }
  if (!perHost && chosen.length) chosen.splice(0, chosen.length, ...hosts);
  switch (what) {
    case 'flush_handlers':
      if (chosen.length) await r.flush(r.free ? chosen[0] : undefined); // free: the one host walking
      return;
    case 'end_play':
    case 'end_batch':
      if (chosen.length) r.endPlay = true;
      return;
    case 'end_host':
      for (const h of chosen) r.ended.add(h);
      return;
    case 'clear_facts':
      for (const h of chosen) {
        const m = r.st.host(h);
        m.facts = {};
        m.bareFacts = undefined;
        m.discoveredBy = undefined; // discovery brings the fact back at the next module
        m.factsGathered = false;
        m.hostFacts = {};
      }
      return;
    case 'clear_host_errors':
      // as Ansible: every host's failure is forgotten, also the failures of the blocks being run
      if (!chosen.length) return;
      for (const h of r.batch) {
        r.st.failed.delete(h);
        for (const s of r.pendingFailed) s.delete(h);
        for (let f = scope.frame; f; f = f.parent) f.failed.delete(h);
      }
      return;
    case 'reset_connection':
      for (const h of chosen) await r.st.conns.drop(h);
      return;
    default:
      return; // noop, refresh_inventory
  }
}
