// LocalConnection: /bin/sh -c, stdin, exit codes, become via sudo -n only for another user; and
// the command/shell modules' quoting (command never goes through a shell).
import { strict as assert } from 'node:assert';
import { userInfo } from 'node:os';
import { LocalConnection } from '../../src/connection/local.js';
import { splitWords } from '../../tasks/lib/cmdline.js';
import { run } from './helpers.js';

describe('local connection', () => {
  it('runs sh commands, passes stdin, returns rc; counts execs', async () => {
    const c = new LocalConnection('localhost');
    const r = await c.exec('read x; echo "got $x"; echo err >&2; exit 7', { stdin: 'abc\n' });
    assert.deepEqual(r, { stdout: 'got abc\n', stderr: 'err\n', rc: 7 });
    assert.equal(c.execCount, 1);
  });

  it('become: no sudo for the current user, sudo -n -u for another (the one become wrapper of src/connection/become.ts)', async () => {
    const c = new LocalConnection('localhost');
    const me = userInfo().username;
    assert.deepEqual(c.argv('id', { become: { user: me } }), ['/bin/sh', '-c', 'id']);
    const [sh, dashC, cmd] = c.argv('id', { become: { user: 'nobody-else' } });
    assert.deepEqual([sh, dashC], ['/bin/sh', '-c']);
    assert.match(cmd, /^sudo -H -n -u nobody-else \/bin\/sh -c '.*\nid'$/s);
    // sudo refuses an unknown user: the become error says so (as over SSH), no stack trace
    const err = await c.exec('id', { become: { user: 'nobody-else' } }).catch((e: unknown) => e);
    assert.match(String((err as Error).message), /become \(sudo -u nobody-else\) failed/);
  });

  it('splitWords follows shlex', () => {
    assert.deepEqual(splitWords(`echo "a b" 'c d' e\\ f g"h"`), ['echo', 'a b', 'c d', 'e f', 'gh']);
    assert.throws(() => splitWords('echo "open'));
  });

  it('command quotes each word: only $VARS and ~ expand (as Ansible), no globbing or operators; shell expands', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: echo $HOME "a;b" '*'
      register: c
    - shell: echo $((1+2)) | tr 3 x
      register: s
    - command:
        argv: [printf, "%s|", "a b", "c"]
      register: a
    - command: cat
      args:
        stdin: piped
      register: i
    - command: pwd
      args:
        chdir: /tmp
      register: d
    - debug: msg="{{ c.stdout }}#{{ s.stdout }}#{{ a.stdout }}#{{ i.stdout }}#{{ d.stdout }}"
`);
    assert.equal(r.rc, 0, r.text);
    const home = (process.env.HOME ?? '').replace(/[/.]/g, '\\$&');
    assert.match(r.text, new RegExp(`"msg": "${home} a;b \\*#x#a b\\|c\\|#piped#\\/tmp"`));
  });

  it('--profile lists task times after the recap', async () => {
    const r = await run(`- hosts: all\n  gather_facts: false\n  tasks:\n    - name: p1\n      command: "true"\n`, { opts: { profile: true } });
    assert.match(r.text, /TASK PROFILE \*+\np1 -+ \d+\.\d\ds\n/);
  });
});
