// ansible-playbook 2.14 and lvsplay on the same inputs: exit codes (unreachable 4, missing
// playbook 1, malformed -e 4, non-mapping -e 5, a command line that does not parse 2, a --limit
// that leaves no host 1), -e parsed the same way (k=v with quotes and
// escapes, JSON/YAML, @file), --list-tags, and the accepted flags (--flush-cache, -M, --become-method sudo).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipWithoutAnsible } from '../helpers/ansible.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const ENV: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', LVSPLAY_LAB_DIR: '/nonexistent', ANSIBLE_HOST_KEY_CHECKING: 'False' };
delete ENV.ANSIBLE_CONFIG;

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, env: ENV, timeout: 60000 });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}
const both = (args: string[], cwd: string) => ({ a: run('ansible-playbook', args, cwd), l: run(process.execPath, [CLI, ...args], cwd) });

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'lvsplay-parity-'));
  for (const [p, t] of Object.entries(files)) writeFileSync(join(d, p), t);
  return d;
}

const DUMP = `- hosts: all
  gather_facts: false
  tasks:
    - copy:
        content: "{{ {'p': p | default('UNDEF'), 'k': k | default('UNDEF'), 'm': m | default('UNDEF'), 'x': x | default('UNDEF')} | to_json }}"
        dest: "{{ playbook_dir }}/{{ out }}"
`;
const TAGS = `- name: first
  hosts: all
  gather_facts: false
  tags: [p]
  tasks:
    - debug: {msg: a}
      tags: [t1, always]
    - block:
        - debug: {msg: b}
          tags: t2
      tags: [blk]
    - debug: {msg: c}
- hosts: all
  gather_facts: false
  tasks:
    - command: echo
      tags: [z, never]
`;

describe('ansible-playbook 2.14 parity', function () {
  this.timeout(180000);
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook');
  });

  it('an unreachable host exits 4 in both', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r)); // nothing listens there now: connection refused
    const d = dir({ inv: `h1 ansible_host=127.0.0.1 ansible_port=${port}\n`, 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks: [{command: echo hi}]\n' });
    const { a, l } = both(['-i', 'inv', 'pb.yml'], d);
    assert.equal(a.rc, 4, a.out);
    assert.equal(l.rc, a.rc, l.out + l.err);
    assert.match(l.out, /UNREACHABLE/);
  });

  it('a missing playbook exits 1 in both, with the same message', () => {
    const d = dir({});
    const { a, l } = both(['-i', 'localhost,', 'nope.yml'], d);
    assert.equal(a.rc, 1);
    assert.equal(l.rc, 1);
    assert.match(a.err, /ERROR! the playbook: nope\.yml could not be found/);
    assert.match(l.err, /ERROR! the playbook: nope\.yml could not be found/);
  });

  it('a malformed -e exits as ansible-playbook does, with a message and no stack trace', () => {
    const d = dir({ 'pb.yml': DUMP });
    for (const e of ['{"x": 1', '[1, 2]', '{x: [1}']) {
      const { a, l } = both(['-i', 'localhost,', '-c', 'local', '-e', e, 'pb.yml'], d);
      assert.equal(l.rc, a.rc, `-e ${e}: ansible ${a.rc}, lvsplay ${l.rc}\n${l.err}`);
      assert.match(l.err, /^ERROR! /m);
      assert.doesNotMatch(l.err, /\n\s+at /);
    }
  });

  it('command lines that do not parse exit 2 in both (unknown flag, bad value, no playbook)', () => {
    const d = dir({ 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks: [{debug: {msg: hi}}]\n' });
    for (const args of [['--bogus', 'pb.yml'], ['-f', 'abc', 'pb.yml'], [], ['-i']]) {
      const { a, l } = both(args, d);
      assert.equal(a.rc, 2, `ansible-playbook ${args.join(' ')}: ${a.err}`);
      assert.equal(l.rc, a.rc, `lvsplay ${args.join(' ')}: ${l.err}`);
      assert.doesNotMatch(l.err, /\n\s+at /);
    }
  });

  it('--limit: unmatched terms warn; a limit that leaves no host is an error (exit 1) before anything runs', () => {
    const d = dir({ inv: 'h1 ansible_connection=local\nh2 ansible_connection=local\n', 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks: [{file: {path: "{{ playbook_dir }}/ran-{{ inventory_hostname }}", state: touch}}]\n' });
    const { a, l } = both(['-i', 'inv', '-l', 'nomatch', 'pb.yml'], d);
    assert.equal(a.rc, 1, a.out + a.err);
    assert.equal(l.rc, a.rc, l.out + l.err);
    const msg = /Specified inventory, host pattern and\/or --limit leaves us with no hosts to target/;
    assert.match(a.err, msg);
    assert.match(l.err, msg);
    assert.deepEqual(readdirSync(d).filter((n) => n.startsWith('ran-')), []);
    const partial = both(['-i', 'inv', '-l', 'nomatch,h2', 'pb.yml'], d);
    for (const r of [partial.a, partial.l]) {
      assert.equal(r.rc, 0, r.out + r.err);
      assert.match(r.err, /\[WARNING\]: Could not match supplied host pattern, ignoring: nomatch/);
    }
  });

  it('-e values: k=v split like a shell with quotes and escapes, JSON/YAML, @file — the same variables', () => {
    const d = dir({ 'pb.yml': DUMP, 'vars.json': '{"x": [1, "two"], "k": "from-file"}' });
    const forms = [
      ['p=Sp 9Qz}'],
      [`p='Sp 9Qz}' k="a b" m=c\\ d`],
      [`p='a'b k="x\\"y" m='it''s'`],
      ['p=a\\nb k="a\\tb" m=\\x41'],
      ['p="a b"c k=a"b c"'],
      ['p=a=b k= m=1 x: [1]'],
      ['{"x": {"y": [1, true]}, "p": "json"}'],
      ['{x: yes, p: y}'],
      ['@vars.json', 'p=after-file'],
    ];
    forms.forEach((es, i) => {
      const args = ['-i', 'localhost,', '-c', 'local', ...es.flatMap((e) => ['-e', e])];
      const a = run('ansible-playbook', [...args, '-e', `out=a${i}`, 'pb.yml'], d);
      const l = run(process.execPath, [CLI, ...args, '-e', `out=l${i}`, 'pb.yml'], d);
      assert.equal(a.rc, 0, a.out + a.err);
      assert.equal(l.rc, 0, l.out + l.err);
      assert.deepEqual(JSON.parse(readFileSync(join(d, `l${i}`), 'utf8')), JSON.parse(readFileSync(join(d, `a${i}`), 'utf8')), `-e ${es.join(' -e ')}`);
    });
  });

  it('--list-tags (with and without --list-tasks and -t): the same output', () => {
    const d = dir({ 'tags.yml': TAGS });
    for (const extra of [[], ['--list-tasks'], ['-t', 't2'], ['--skip-tags', 't1']]) {
      const { a, l } = both(['-i', 'localhost,', '--list-tags', ...extra, 'tags.yml'], d);
      assert.equal(l.rc, a.rc);
      assert.equal(l.out, a.out, extra.join(' '));
    }
  });

  it('--flush-cache, -M/--module-path and --become-method sudo are accepted by both', () => {
    const d = dir({ 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n' });
    const { a, l } = both(['-i', 'localhost,', '-c', 'local', '--flush-cache', '-M', '/nonexistent/a:/nonexistent/b', '--become-method', 'sudo', 'pb.yml'], d);
    assert.equal(a.rc, 0, a.err);
    assert.equal(l.rc, 0, l.err);
  });
});

describe('become methods lvsplay does not implement', () => {
  it('--become-method doas is refused clearly (exit 5, an options error), before anything runs', () => {
    const d = dir({ 'pb.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n' });
    const l = run(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', '--become-method', 'doas', 'pb.yml'], d);
    assert.equal(l.rc, 5);
    assert.match(l.err, /--become-method: 'doas' is not supported by lvsplay \(supported: sudo, su\)/);
  });
});
