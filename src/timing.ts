// LVSPLAY_TIMING=1: milestones of a run on stderr, in ms since the process started (start-up,
// loading, first connection ...), to see where the time before and between tasks goes.
export const timingOn = !!process.env.LVSPLAY_TIMING;
const on = timingOn;

export function mark(what: string): void {
  if (on) process.stderr.write(`[lvsplay +${performance.now().toFixed(1)} ms] ${what}\n`);
}

/** The run's own milestones (plays, tasks, each host's result) as timing marks. */
export function markEvent(ev: { type: string; name?: string; task?: string; host?: string; status?: string }): void {
  if (ev.type === 'play_start' || ev.type === 'task_start') mark(`${ev.type} ${ev.name ?? ''}`);
  else if (ev.type === 'host_result') mark(`  ${ev.host} ${ev.status}`);
  else if (ev.type === 'recap' || ev.type === 'playbook_end') mark(ev.type);
}
