// Connect early to the hosts of every play (in the background, bounded by --forks, in the order
// the plays name them), so SSH handshakes overlap the controller's own work and the plays before
// them instead of sitting on the critical path. The first play's hosts are included: a first play
// that runs on the controller only (site.yml's split-brain guard) would otherwise leave their
// handshake to the play after it (~100-200 ms on the 4-host lab). The pool key names
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
 * Prewarm the hosts of every play. `hostsOf` is the executor's own host selection (pattern +
 * --limit). Returns when every attempt has ended; never rejects.
 */
export async function prewarmPlays(st: RunState, pb: Playbook, inv: Inventory, hostsOf: (play: Play) => string[]): Promise<void> {
  const jobs: { host: string; vars: Record<string, unknown> }[] = [];
  const seen = new Set<string>();
  for (const play of pb.plays) {
    let hosts: string[];
    try {
      hosts = hostsOf(play);
    } catch {
      continue;
    }
    if (!hosts.length) continue;
    const builder = new VarsBuilder(st, play, () => hosts, () => hosts);
    for (const host of hosts) {
      if (seen.has(host) || !inv.hosts.has(host)) continue;
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
