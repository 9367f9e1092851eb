// wait_for: a file, a file containing a Python regular expression (groups, named groups, MULTILINE),
// a file to go away, a loopback port nobody listens on, the timeout messages and custom msg, and a
// plain sleep — compared with ansible-playbook 2.14 (connection: local): results (state, path, port,
// search_regex, match_groups, match_groupdict, msg, failed), elapsed seconds, recap counts.
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const SHAPE = ['failed', 'changed', 'state', 'path', 'port', 'search_regex', 'match_groups', 'match_groupdict', 'msg', 'elapsed', 'mode', 'owner', 'uid', 'size'];

describe('compat: wait_for (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('files, regular expressions with groups, absent files, a closed loopback port, timeouts and msg', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: file there
      wait_for: {path: "{{ work }}/ready", timeout: 5}
    - name: groups
      wait_for: {path: "{{ work }}/ready", search_regex: 'state=(\\w+) pid=([0-9]+)', timeout: 5}
    - name: named groups and multiline
      wait_for: {path: "{{ work }}/ready", search_regex: '^mode (?P<mode>\\w+)$', timeout: 5}
    - name: no groups
      wait_for: {path: "{{ work }}/ready", search_regex: started, timeout: 5}
    - name: written later
      shell: sleep 2 && echo "done at last" > {{ work }}/later
      async: 20
      poll: 0
    - name: appears
      wait_for: {path: "{{ work }}/later", search_regex: 'done (?P<when>at \\w+)', timeout: 10}
      register: later
    - name: waited
      debug: {msg: "{{ later.elapsed >= 1 and later.elapsed <= 8 }}"}
    - name: never matches
      wait_for: {path: "{{ work }}/ready", search_regex: 'stopped', timeout: 2}
      ignore_errors: true
    - name: never appears
      wait_for: {path: "{{ work }}/nothing", timeout: 2}
      ignore_errors: true
    - name: gone
      wait_for: {path: "{{ work }}/nothing", state: absent, timeout: 2}
    - name: never goes
      wait_for: {path: "{{ work }}/ready", state: absent, timeout: 2}
      ignore_errors: true
    - name: closed port
      wait_for: {port: 1, host: 127.0.0.1, timeout: 2}
      ignore_errors: true
    - name: custom message
      wait_for: {port: 1, timeout: 1, msg: nobody listens}
      ignore_errors: true
    - name: stopped port
      wait_for: {port: 1, state: stopped, timeout: 2}
    - name: just sleeps
      wait_for: {timeout: 1, delay: 1}
    - name: stopped with a path
      wait_for: {path: "{{ work }}/ready", state: stopped}
      ignore_errors: true
    - name: both port and path
      wait_for: {path: "{{ work }}/ready", port: 1}
      ignore_errors: true
`,
      { setup: (w) => writeFileSync(join(w, 'ready'), 'started\nstate=up pid=4242\nmode fast\n'), runs: 1 },
    );
    const t = Object.fromEntries(
      ['file there', 'groups', 'named groups and multiline', 'no groups', 'appears', 'never matches', 'never appears', 'gone', 'never goes', 'closed port', 'custom message', 'stopped port', 'just sleeps', 'stopped with a path', 'both port and path'].map((n) => [n, SHAPE]),
    );
    // elapsed of a wait that polls is seconds of wall time: compared where both tools must agree exactly (timeouts, immediate matches)
    for (const n of ['appears']) t[n] = SHAPE.filter((k) => k !== 'elapsed');
    assertSame(d, { ...t, waited: ["msg"] });
  });

  it("search_regex with a port: what a loopback server sends on a connection (an SSH-like banner, one sent after a second), a pattern it never sends", async () => {
    // this test's own servers on 127.0.0.1: a banner at once, a banner after a second, silence
    const servers = [
      createServer((s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n')),
      createServer((s) => void setTimeout(() => s.end('220 mail ESMTP ready\r\n'), 1000)),
      createServer((s) => void setTimeout(() => s.destroy(), 500)),
    ];
    const ports = await Promise.all(servers.map((srv) => new Promise<number>((res) => srv.listen(0, '127.0.0.1', () => res((srv.address() as AddressInfo).port)))));
    try {
      const d = await differential(
        `
- hosts: all
  gather_facts: false
  tasks:
    - name: banner
      wait_for: {port: ${ports[0]}, host: 127.0.0.1, search_regex: OpenSSH, timeout: 10}
    - name: late banner
      wait_for: {port: ${ports[1]}, search_regex: '^220 (?P<host>\\w+) ESMTP', timeout: 10}
    - name: never says it
      wait_for: {port: ${ports[0]}, search_regex: 'Dropbear', timeout: 2}
      ignore_errors: true
    - name: silent server
      wait_for: {port: ${ports[2]}, search_regex: 'anything', timeout: 2, msg: no banner}
      ignore_errors: true
`,
        { runs: 1 },
      );
      const shape = SHAPE.filter((k) => k !== 'elapsed');
      assertSame(d, { banner: SHAPE, 'late banner': shape, 'never says it': SHAPE, 'silent server': SHAPE });
    } finally {
      for (const srv of servers) srv.close();
    }
  });
});
