// Ansible's warning for play-level variables named like a keyword or a Jinja global ("Found
// variable using reserved name: X", once per name per run, as its display deduplicates): the
// play's vars and vars_files, its roles' defaults and vars, and extra vars — not task vars, facts
// or inventory variables (Ansible checks the play's variables without a host).
import type { Play, Vars } from '../types.js';

/** The public and private attributes of Ansible 2.14's Play, Role, Block and Task, plus local_action and with_. */
const KEYWORDS =
  'action always any_errors_fatal args async async_val become become_exe become_flags become_method become_user block changed_when check_mode collections connection debugger delay delegate_facts delegate_to diff environment fact_path failed_when force_handlers gather_facts gather_subset gather_timeout handlers hosts ignore_errors ignore_unreachable local_action loop loop_control loop_with max_fail_percentage module_defaults name no_log notify order poll port post_tasks pre_tasks register remote_user rescue retries roles run_once serial strategy tags tasks throttle timeout until vars vars_files vars_prompt when with_';
/** The globals of Ansible's Jinja environment. */
const GLOBALS = 'cycler dict joiner lipsum lookup namespace now q query range undef';
const RESERVED = new Set([...KEYWORDS.split(' '), ...GLOBALS.split(' ')]);

/** The reserved names among a play's variables (without a host). */
export function reservedNames(play: Play, extraVars: Vars): string[] {
  const layers: Vars[] = [...play.roles.flatMap((r) => [r.defaults, r.vars]), play.vars, play.varsFiles, extraVars];
  const names = new Set(layers.flatMap((l) => Object.keys(l ?? {})));
  names.delete('vars'); // Ansible adds it itself
  return [...names].filter((n) => RESERVED.has(n));
}
