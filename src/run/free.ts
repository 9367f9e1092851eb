// The free and host_pinned strategies: every host of the batch goes through the play's tasks on its
// own (at most --forks at once), its handlers run when its own sections end. As Ansible's: run_once
// runs on every host (with a warning), any_errors_fatal and max_fail_percentage do not stop the play
// (warnings), and a module that bypasses the host loop (add_host) is an error. host_pinned differs
// from free only in how Ansible's workers are assigned; its results are the same.
import type { Task } from '../types.js';
import { RunError } from '../errors.js';
import { mapLimit } from './pool.js';
import type { PlayRunner } from './play.js';
import type { Scope } from './scope.js';
import type { RunState } from './state.js';

export async function runFree(r: PlayRunner, root: Scope): Promise<void> {
  if (r.play.maxFailPercentage !== undefined) {
    r.st.warnOnce('Using max_fail_percentage with the free strategy is not supported, as tasks are executed independently on each host');
  }
  await mapLimit(r.batch, r.st.opts.forks, (h) => r.walk([h], root, h));
}

/** The task-wide keywords under the free strategy: warnings where Ansible gives them; never run once. */
export function freeTaskChecks(st: RunState, task: Task, kw: { runOnce: boolean; bypass: boolean; anyErrorsFatal: boolean }): false {
  if (kw.bypass) {
    throw new RunError(
      `The '${task.actionAs}' module bypasses the host loop, which is currently not supported in the free strategy and would instead execute for every host in the inventory list.`,
      task.pos,
    );
  }
  if (kw.runOnce) st.warnOnce('Using run_once with the free strategy is not currently supported. This task will still be executed for every host in the inventory list.');
  if (kw.anyErrorsFatal) st.warnOnce('Using any_errors_fatal with the free strategy is not supported, as tasks are executed independently on each host');
  return false;
}
