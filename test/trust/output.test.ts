// Issue 19, output: stderr drained on a slow pipe, repeated errors capped with a count, a closed
// stdout (`| head -3`) is no EPIPE stack trace; numeric variables validated (ansible_port, -T, pause).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_SAME_ERROR } from '../../src/errors.js';
import { CLI, cliEnv, lvsplay, tmpDir, writeFiles } from './helpers.js';

const HEAD = '- hosts: all\n  gather_facts: false\n  connection: local\n  tasks:\n';

/** Run a shell pipeline with $CLI set to `node dist/cli/lvsplay.js`. */
function sh(script: string, cwd: string): { rc: number | null; out: string; err: string } {
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf8', env: cliEnv({ CLI: `${process.execPath} ${CLI}` }), timeout: 120000 });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

describe('trust II: output and numeric inputs', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = tmpDir();
    const distinct = Array.from({ length: 900 }, (_, i) => `    - nosuchmodule_${i}: {}\n`).join('');
    const same = Array.from({ length: 3000 }, () => '    - nosuchmodule: {}\n').join('');
    const debugs = Array.from({ length: 300 }, (_, i) => `    - debug: msg=line${i}\n`).join('');
    writeFiles(dir, { 'distinct.yml': HEAD + distinct, 'same.yml': HEAD + same, 'long.yml': HEAD + debugs });
  });

  it('more than 64 KiB of errors on a slow pipe arrive whole', () => {
    const r = sh('$CLI -i localhost, --syntax-check distinct.yml 2>&1 | (sleep 1; cat)', dir);
    assert.ok(r.out.length > 65536, `more than 64 KiB expected, got ${r.out.length}`);
    assert.match(r.out, /distinct\.yml:904:7: unknown module 'nosuchmodule_899'/, 'the last error is there');
  });

  it('3,000 identical errors: the first few, then one line with the count', () => {
    const r = lvsplay(['-i', 'localhost,', '--syntax-check', 'same.yml'], dir);
    assert.equal(r.rc, 4);
    const lines = r.err.split('\n').filter((l) => /unknown module 'nosuchmodule'/.test(l));
    assert.equal(lines.length, MAX_SAME_ERROR + 1, r.err);
    assert.match(r.err, new RegExp(`\\.\\.\\. and ${3000 - MAX_SAME_ERROR} more of: unknown module 'nosuchmodule'`));
  });

  it('`lvsplay ... | head -3`: the run completes, no EPIPE stack trace', () => {
    const r = sh('$CLI -i localhost, long.yml 2>err.txt | head -3; echo "rc=$?"', dir);
    assert.equal(r.out.split('\n').length, 5, r.out); // 3 lines, rc=, ''
    const err = readFileSync(join(dir, 'err.txt'), 'utf8');
    assert.doesNotMatch(err, /EPIPE|unexpected error|^\s+at /m, err);
  });

  it('ansible_port=abc: the host fails with a message naming the host, the variable and the value', () => {
    writeFiles(dir, { 'port.ini': 'h1 ansible_host=127.0.0.1 ansible_port=abc\n', 'cmd.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n' });
    const r = lvsplay(['-i', 'port.ini', 'cmd.yml'], dir);
    assert.equal(r.rc, 2, r.out + r.err);
    assert.match(r.out, /host 'h1': ansible_port must be an integer from 1 to 65535, got 'abc'/);
  });

  it('-T abc, -T 1.5 and -T 1e300 are usage errors (exit 2, as ansible-playbook)', () => {
    for (const t of ['abc', '1.5', '1e300']) {
      const r = lvsplay(['-i', 'localhost,', '-T', t, 'long.yml'], dir);
      assert.equal(r.rc, 2, r.out + r.err);
      assert.match(r.err, /-T\/--timeout must be a number of seconds/);
    }
  });

  it('loop_control.pause / delay / timeout of 1.0e+300 (a YAML 1.1 float; 1e300 is a string, as in PyYAML): a positioned error, no TimeoutOverflowWarning', () => {
    writeFiles(dir, {
      'pause.yml': `${HEAD}    - debug: msg={{ item }}\n      loop: [1, 2]\n      loop_control: { pause: 1.0e+300 }\n    - command: "true"\n      timeout: 1.0e+300\n`,
    });
    const r = lvsplay(['-i', 'localhost,', 'pause.yml'], dir);
    assert.equal(r.rc, 4, r.out + r.err);
    assert.match(r.err, /pause\.yml:7:\d+: 'loop_control\.pause' must be <= 2147483/);
    assert.match(r.err, /pause\.yml:9:\d+: 'timeout' must be <= 2147483/);
    assert.doesNotMatch(r.err, /TimeoutOverflowWarning/);
  });
});
