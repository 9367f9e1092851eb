// LVSPLAY_TIMING=1: milestones of a run on stderr, in ms since the process started (start-up,
// loading, first connection ...), to see where the time before and between tasks goes.
const on = !!process.env.LVSPLAY_TIMING;

export function mark(what: string): void {
  if (on) process.stderr.write(`[lvsplay +${performance.now().toFixed(1)} ms] ${what}\n`);
}
