// Differential tests need the real Ansible 2.14 tools: skip (saying why) when one is not on PATH.
import { spawnSync } from 'node:child_process';

const known = new Map<string, boolean>();

export function onPath(cmd: string): boolean {
  if (!known.has(cmd)) known.set(cmd, spawnSync(cmd, ['--version']).status === 0);
  return known.get(cmd)!;
}

/** In a mocha before(): skip the suite unless every tool is installed. */
export function skipWithoutAnsible(ctx: Mocha.Context, ...tools: string[]): void {
  const missing = tools.filter((t) => !onPath(t));
  if (!missing.length) return;
  console.log(`    skipped: ${missing.join(', ')} not on PATH (CI installs Ansible 2.14 with .ci/setup)`);
  ctx.skip();
}
