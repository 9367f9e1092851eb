// What a run did, from its output: the PLAY RECAP (both tools print Ansible's format) and the
// exec channels per host (ansible-playbook -vvv: one `SSH: EXEC` line per ssh/sftp/scp client
// run over the multiplexed connection, i.e. one session channel each; lvsplay --json: the
// per-host exec counters of its connections in the recap event, else its -vvv EXEC events).
export interface Counts {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
}

/** Per-host counts from the last PLAY RECAP block of console output. */
export function parseRecap(out: string): Record<string, Counts> {
  const res: Record<string, Counts> = {};
  const at = out.lastIndexOf('PLAY RECAP');
  const text = at >= 0 ? out.slice(at) : out;
  const re = /^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/gm;
  for (let m; (m = re.exec(text)); ) {
    res[m[1]] = { ok: +m[2], changed: +m[3], unreachable: +m[4], failed: +m[5], skipped: +m[6] };
  }
  return res;
}

/** Per-host counts from lvsplay --json output (the recap event). */
export function parseJsonRecap(out: string): { counts: Record<string, Counts>; execs?: Record<string, number>; progressExecs: Record<string, number> } {
  let counts: Record<string, Counts> = {};
  let execs: Record<string, number> | undefined;
  const progressExecs: Record<string, number> = {};
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    let ev: { type?: string; hosts?: Record<string, Counts>; execs?: Record<string, number>; host?: string; text?: string };
    try {
      ev = JSON.parse(line);
    } catch {
      continue;
    }
    if (ev.type === 'recap' && ev.hosts) {
      counts = ev.hosts;
      if (ev.execs) execs = ev.execs;
    }
    if (ev.type === 'progress' && ev.host && ev.text?.startsWith('EXEC ')) progressExecs[ev.host] = (progressExecs[ev.host] ?? 0) + 1;
  }
  return { counts, execs, progressExecs };
}

/** ansible-playbook -vvv: ssh client runs per host (addresses mapped back to inventory names). */
export function ansibleExecs(out: string, nameOf: Record<string, string>): Record<string, number> {
  const res: Record<string, number> = {};
  for (const m of out.matchAll(/^<([^>]+)> SSH: EXEC (ssh|sftp|scp) /gm)) {
    const h = nameOf[m[1]] ?? m[1];
    res[h] = (res[h] ?? 0) + 1;
  }
  return res;
}

export function totals(c: Record<string, Counts>): Counts {
  const t: Counts = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0 };
  for (const v of Object.values(c)) for (const k of Object.keys(t) as (keyof Counts)[]) t[k] += v[k];
  return t;
}
