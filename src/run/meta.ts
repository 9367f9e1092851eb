// meta: the executor's directives (src/playbook/control.ts lists them), carried out on the play
// being run. `when` selects the hosts a directive acts on.
import type { Task } from '../types.js';
import { errorText } from '../errors.js';
import type { PlayRunner } from './play.js';
import type { Scope } from './scope.js';

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
  const chosen = hosts.filter(when);
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
