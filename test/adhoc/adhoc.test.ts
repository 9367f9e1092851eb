// Ad-hoc mode against the real `ansible` 2.14 on the same inputs (local connection): output of
// command (-a alone), -o one-line, a failing command's exit code, copy's effect and status word,
// -t tree files, a pattern matching nothing.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const ENV: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent' };
delete ENV.ANSIBLE_CONFIG;

function one(tool: 'a' | 'l', args: string[], cwd: string) {
  const [cmd, pre] = tool === 'a' ? ['ansible', []] : [process.execPath, [CLI]];
  const r = spawnSync(cmd, [...pre, '-i', 'localhost,', '-c', 'local', ...args], { encoding: 'utf8', cwd, env: ENV });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}
const both = (args: string[], cwd: string) => ({ a: one('a', args, cwd), l: one('l', args, cwd) });

describe('ad-hoc mode against ansible 2.14', function () {
  this.timeout(120000);
  before(function () {
    skipWithoutAnsible(this, 'ansible');
  });

  it('-a alone runs command: the same output and exit code; -o the same line', () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-adhoc-'));
    for (const extra of [[], ['-o']]) {
      const { a, l } = both(['all', '-a', 'echo hello world', ...extra], d);
      assert.equal(l.rc, a.rc);
      assert.equal(l.out, a.out, l.err);
    }
  });

  it('a failing command: the same exit code and first line', () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-adhoc-'));
    const { a, l } = both(['all', '-m', 'command', '-a', 'ls /nonexistent-dir'], d);
    assert.equal(a.rc, 2);
    assert.equal(l.rc, a.rc);
    assert.equal(l.out.split('\n')[0], a.out.split('\n')[0]);
  });

  it('-m copy: the same file, CHANGED then SUCCESS; -t writes one JSON file per host', () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-adhoc-'));
    for (const tool of ['a', 'l'] as const) {
      const args = ['all', '-m', 'copy', '-a', `content="two words" dest=${d}/${tool}.txt`, '-t', `${d}/tree-${tool}`];
      const first = one(tool, args, d);
      assert.equal(first.rc, 0, first.out + first.err);
      assert.match(first.out, /^localhost \| CHANGED => \{/);
      const again = one(tool, args, d);
      assert.match(again.out, /^localhost \| SUCCESS => \{/);
      assert.ok(existsSync(join(d, `tree-${tool}`, 'localhost')));
      assert.equal(JSON.parse(readFileSync(join(d, `tree-${tool}`, 'localhost'), 'utf8')).changed, false);
    }
    assert.equal(readFileSync(join(d, 'l.txt'), 'utf8'), readFileSync(join(d, 'a.txt'), 'utf8'));
  });

  it('a pattern matching no host: the same exit code, a warning', () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-adhoc-'));
    const { a, l } = both(['nomatch', '-a', 'echo'], d);
    assert.equal(l.rc, a.rc);
    assert.match(l.err, /Could not match supplied host pattern, ignoring: nomatch/);
    assert.doesNotMatch(l.err, /ad-hoc\.yml/);
  });
});
