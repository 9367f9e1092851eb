// lvsplay renders templates with Jinja2 in a python3 process (src/jinja): without a usable one it
// stops at start (exit 1, before any host is touched) with one message saying what to install —
// never a hang, never a stack trace — whether the interpreter is missing, has no Jinja2, has one
// older than 3.0, or dies before it serves.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

describe('the Jinja2 engine is required on the controller', function () {
  this.timeout(60000);
  let d: string;
  before(() => {
    d = mkdtempSync(join(tmpdir(), 'lvsplay-j2req-'));
    writeFileSync(join(d, 'pb.yml'), '- hosts: localhost\n  gather_facts: false\n  connection: local\n  tasks:\n    - file:\n        path: "{{ out }}"\n        state: touch\n');
    const script = (name: string, body: string) => {
      writeFileSync(join(d, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(d, name), 0o755);
      return join(d, name);
    };
    // -S: no site module, so no dist-packages (where python3-jinja2 and pip's jinja2 live)
    script('nosite', `exec ${PYTHON} -S "$@"`);
    mkdirSync(join(d, 'old', 'jinja2'), { recursive: true });
    writeFileSync(join(d, 'old', 'jinja2', '__init__.py'), "__version__ = '2.11.3'\n");
    script('oldjinja', `PYTHONPATH=${join(d, 'old')} exec ${PYTHON} -S "$@"`);
    script('dies', 'exit 3');
    // an engine that stops reading before lvsplay's first request and leaves a fatal frame (the
    // race of a failed start: lvsplay's write meets a closed pipe, EPIPE, and must read the frame)
    writeFileSync(
      join(d, 'earlyclose.py'),
      [
        'import json, os, struct, sys, time',
        'os.mkfifo(sys.argv[2], 0o600)', // the engine makes its FIFOs (src/jinja/wire.py)
        'os.mkfifo(sys.argv[3], 0o600)',
        'r = os.open(sys.argv[2], os.O_RDONLY)',
        'time.sleep(0.3)',
        'os.close(r)',
        'w = os.open(sys.argv[3], os.O_WRONLY)',
        "body = json.dumps({'op': 'fatal', 'msg': 'fake engine: cannot use Jinja2: gone early'}).encode()",
        "os.write(w, struct.pack('>I', len(body)) + body)",
        'time.sleep(0.3)',
      ].join('\n'),
    );
    script('earlyclose', `exec ${PYTHON} ${join(d, 'earlyclose.py')} "$@"`);
  });
  after(() => rmSync(d, { recursive: true, force: true }));

  const run = (python: string) => {
    const out = join(d, 'touched');
    const r = spawnSync(process.execPath, [CLI, '-i', 'localhost,', '-e', `out=${out}`, join(d, 'pb.yml')], {
      encoding: 'utf8',
      env: { ...process.env, LVSPLAY_PYTHON: python, NO_COLOR: '1' },
      timeout: 30000,
    });
    assert.equal(r.signal, null, 'lvsplay must not hang waiting for the engine');
    assert.equal(existsSync(out), false, 'nothing runs');
    return r;
  };
  const cases: [string, () => string, RegExp][] = [
    ['a missing interpreter', () => join(d, 'no-such-python3'), /no-such-python3 cannot be run/],
    ['a python3 without Jinja2', () => join(d, 'nosite'), /cannot use Jinja2: No module named 'jinja2'/],
    ['a Jinja2 older than 3.0', () => join(d, 'oldjinja'), /cannot use Jinja2: Jinja2 2\.11\.3 is too old/],
    ['an interpreter that ends at once', () => join(d, 'dies'), /dies ended before it served/],
    ['an engine that closes its end before the first request', () => join(d, 'earlyclose'), /fake engine: cannot use Jinja2: gone early/],
  ];
  for (const [what, python, detail] of cases) {
    it(`stops at start with what to install: ${what}`, () => {
      const r = run(python());
      assert.equal(r.status, 1, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^ERROR! lvsplay renders templates with Jinja2 3\.0 or later in Python 3 on this machine/);
      assert.match(lines[0], detail);
      assert.match(lines[0], /apt-get install python3-jinja2/);
      assert.equal(r.stdout, '');
    });
  }

  it('runs with the default interpreter (python3-jinja2 installed, as .ci/setup does)', () => {
    const out = join(d, 'touched-ok');
    const r = spawnSync(process.execPath, [CLI, '-i', 'localhost,', '-e', `out=${out}`, join(d, 'pb.yml')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LVSPLAY_PYTHON: '' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.ok(existsSync(out));
  });
});
