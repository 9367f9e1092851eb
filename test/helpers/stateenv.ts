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
