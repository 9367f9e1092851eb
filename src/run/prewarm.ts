// Connect early to the hosts of later plays (in the background, bounded by --forks), so their SSH
// handshakes overlap the first play instead of sitting on the critical path. The pool key names
// the exact connection settings, so a prewarmed connection is used only when a task would open
// exactly that connection; anything uncertain (vars that throw, still-templated connection
// variables, local connections) is simply not prewarmed. LVSPLAY_PREWARM=0 turns it off.
import type { Inventory, Play, Playbook } from '../types.js';
import { parseBool } from '../bool.js';
import { connectionVars } from './invoke.js';
import { resolveKeywords } from './keywords.js';
import { rootScope } from './scope.js';
import { hasTemplatedConnVar, mapLimit } from './pool.js';
import type { RunState } from './state.js';
import { VarsBuilder } from './vars.js';

export function prewarmEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return parseBool(env.LVSPLAY_PREWARM ?? '') !== false;
}

/**
 * Prewarm every play after the first one that has hosts. `hostsOf` is the executor's own host
 * selection (pattern + --limit). Returns when every attempt has ended; never rejects.
 */
export async function prewarmLaterPlays(st: RunState, pb: Playbook, inv: Inventory, hostsOf: (play: Play) => string[]): Promise<void> {
  const jobs: { host: string; vars: Record<string, unknown> }[] = [];
  let first: Set<string> | undefined;
  const seen = new Set<string>();
  for (const play of pb.plays) {
    let hosts: string[];
    try {
      hosts = hostsOf(play);
    } catch {
      continue;
    }
    if (!hosts.length) continue;
    if (!first) {
      first = new Set(hosts); // the first play connects to its own hosts
      continue;
    }
    const builder = new VarsBuilder(st, play, () => hosts, () => hosts);
    for (const host of hosts) {
      if (first.has(host) || seen.has(host) || !inv.hosts.has(host)) continue;
      try {
        const v = builder.forTask(host, { blockVars: [], params: {} });
        const env = { st, play, builder };
        const cv = connectionVars(env, host, v, false, resolveKeywords(env, rootScope([], play), undefined, v));
        const kind = String(cv.ansible_connection ?? 'ssh');
        if (kind === 'local' || hasTemplatedConnVar(cv)) continue;
        jobs.push({ host, vars: cv });
        seen.add(host);
      } catch {
        // the play itself reports whatever is wrong with this host's variables
      }
    }
  }
  if (!jobs.length) return;
  await mapLimit(jobs, Math.max(1, st.opts.forks), (j) => st.conns.prewarm(j.host, j.vars)).catch(() => undefined);
}
