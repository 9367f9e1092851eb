// Loaded by mocha before the tests (.mocharc.json "require"): the tests' runs keep lvsplay's state
// (handlers left pending by interrupted runs, src/run/pending.ts) in a directory of their own,
// removed at the end, never in the user's ~/.local/state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.LVSPLAY_STATE_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-test-state-'));
  process.env.LVSPLAY_STATE_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

/**
 * Root hook plugin: after the run — with `--parallel`, after each file, in its worker — the labs
 * this process brought up are taken down (test/helpers/lab.ts registers how). lab.ts's own root
 * after() is added when it loads: with --parallel that is the first file of a worker only, so the
 * labs of a worker's later files would be left up without this.
 */
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    const down = (globalThis as { __lvsplayDownStartedLabs?: () => Promise<string[]> }).__lvsplayDownStartedLabs;
    if (!down) return;
    this.timeout(300_000);
    const downed = await down();
    if (downed.length) console.log(`  (labs taken down after the run: ${downed.join(', ')})`);
  },
};
