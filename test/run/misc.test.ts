// include_tasks/include_role at run time, delegate_to, run_once, no_log and secret masking,
// meta end_host/end_play, serial, forks, unreachable hosts (exit 4), one connection per host.
import { strict as assert } from 'node:assert';
import type { Connection, RunEvent } from '../../src/types.js';
import { LocalConnection } from '../../src/connection/local.js';
import { memInventory, run, unreachableConnection } from './helpers.js';

describe('executor: includes, delegation, secrets, meta', () => {
  it('include_tasks with a loop and a templated file name; included: line; tasks see the item', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  vars:
    which: inc
  tasks:
    - name: inc
      include_tasks: "{{ which }}.yml"
      loop: [x, y]
`,
      { files: { 'inc.yml': '- name: included task\n  debug: msg="in {{ item }}"\n' } },
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /TASK \[inc\] \*+\nincluded: \/.*\/inc\.yml for localhost\nincluded: .*inc\.yml for localhost\n/);
    assert.match(r.text, /"msg": "in x"[\s\S]*"msg": "in y"/);
    assert.equal(r.recap.localhost.ok, 4);
  });

  it('include_role runs the role tasks with role defaults and params; its handlers are usable', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - include_role:
        name: r1
      vars:
        p: param
`,
      {
        files: {
          'roles/r1/defaults/main.yml': 'd: default\np: defaultp\n',
          'roles/r1/tasks/main.yml': '- name: role task\n  command: echo {{ d }} {{ p }}\n  register: o\n  notify: rh\n- debug: var=o.stdout\n',
          'roles/r1/handlers/main.yml': '- name: rh\n  debug: msg=rolehandler\n',
        },
      },
    );
    assert.equal(r.rc, 0, r.text);
    assert.match(r.text, /TASK \[r1 : role task\]/);
    assert.match(r.text, /"o.stdout": "default param"/);
    assert.match(r.text, /RUNNING HANDLER \[r1 : rh\]/);
  });

  it('delegate_to runs on the other host with this host\'s variables; run_once registers for all', async () => {
    const seen: string[] = [];
    const inv = memInventory({ web1: { who: 'w1' }, web2: { who: 'w2' }, db1: { who: 'd' } });
    const r = await run(
      `
- hosts: web1:web2
  gather_facts: false
  tasks:
    - name: delegated
      command: echo {{ who }}
      delegate_to: db1
      register: d
    - name: once
      command: echo {{ inventory_hostname }}
      run_once: true
      register: o
    - debug: msg="{{ d.stdout }} {{ o.stdout }}"
`,
      { inventory: inv, opts: { forks: 1 }, deps: { createConnection: (h) => (seen.push(h), new LocalConnection(h)) } },
    );
    assert.equal(r.rc, 0);
    assert.match(r.text, /changed: \[web1 -> db1\]\nchanged: \[web2 -> db1\]/);
    assert.deepEqual(r.results('once').map((e) => e.host), ['web1']);
    assert.match(r.text, /ok: \[web1\] => \{\n    "msg": "w1 web1"\n\}\nok: \[web2\] => \{\n    "msg": "w2 web1"\n\}/);
    assert.deepEqual([...new Set(seen)].sort(), ['db1', 'web1']);
  });

  it('no_log censors results; secretArgs-like values (become password) never appear', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  vars:
    token: s3cr3t-t0ken
  tasks:
    - name: hidden
      command: echo {{ token }}
      no_log: true
      register: h
    - name: hidden fail
      fail: msg="bad {{ token }}"
      no_log: true
      ignore_errors: true
`,
      { verbosity: 1 },
    );
    assert.ok(!r.text.includes('s3cr3t-t0ken'), r.text);
    assert.ok(!JSON.stringify(r.events).includes('s3cr3t-t0ken'));
    assert.match(r.text, /changed: \[localhost\] => \{"censored": "the output has been hidden due to the fact that 'no_log: true' was specified for this result", "changed": true\}/);
  });

  it('masks registered secrets in every event', async () => {
    const { Masker } = await import('../../src/report/mask.js');
    const m = new Masker();
    m.add('hunter22');
    assert.equal(m.text('pw=hunter22;'), 'pw=********;');
    assert.deepEqual(m.value({ a: ['x hunter22'] }), { a: ['x ********'] });
    assert.deepEqual(m.diffs([{ path: '/f', before: 'hunter22', after: 'y' }]), [{ path: '/f', before: '********', after: 'y' }]);
  });

  it('meta: end_host stops one host, end_play all', async () => {
    const inv = memInventory({ a: {}, b: {} });
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - meta: end_host
      when: inventory_hostname == 'a'
    - name: only b
      debug: msg=b
    - meta: end_play
    - name: nobody
      debug: msg=x
`,
      { inventory: inv },
    );
    assert.equal(r.rc, 0);
    assert.deepEqual(r.results('only b').map((e) => e.host), ['b']);
    assert.equal(r.results('nobody').length, 0);
  });

  it('serial: batches run the whole play one after another', async () => {
    const inv = memInventory({ h1: {}, h2: {}, h3: {} });
    const r = await run(`
- hosts: all
  serial: 2
  gather_facts: false
  tasks:
    - name: t1
      debug: msg=1
    - name: t2
      debug: msg=2
`, { inventory: inv });
    const seq = r.events.filter((e) => e.type === 'play_start' || e.type === 'host_result').map((e) => (e.type === 'play_start' ? `play:${e.hosts.join(',')}` : `${e.task}@${(e as { host: string }).host}`));
    assert.deepEqual(seq, ['play:h1,h2', 't1@h1', 't1@h2', 't2@h1', 't2@h2', 'play:h3', 't1@h3', 't2@h3']);
  });

  it('forks bounds how many hosts work at once', async () => {
    const inv = memInventory(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`h${i}`, {}])));
    let running = 0;
    let peak = 0;
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: sleep 0.05
`, {
      inventory: inv,
      opts: { forks: 2 },
      deps: {
        createConnection: (h) => {
          const c = new LocalConnection(h);
          const exec = c.exec.bind(c);
          c.exec = async (cmd, o) => {
            running++;
            peak = Math.max(peak, running);
            try {
              return await exec(cmd, o);
            } finally {
              running--;
            }
          };
          return c;
        },
      },
    });
    assert.equal(r.rc, 0);
    assert.equal(peak, 2);
  });

  it('an unreachable host is reported UNREACHABLE, drops out, and the run exits 3', async () => {
    const inv = memInventory({ up: {}, down: {} });
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
    - name: next
      debug: msg=n
`, {
      inventory: inv,
      opts: { forks: 1 },
      deps: {
        createConnection: (h): Connection => (h === 'down' ? unreachableConnection(h) : new LocalConnection(h)),
      },
    });
    assert.equal(r.rc, 4);
    assert.match(r.text, /fatal: \[down\]: UNREACHABLE! => \{"changed": false, "msg": "down \(10\.0\.0\.9:22\): connection refused", "unreachable": true\}/);
    assert.deepEqual(r.results('next').map((e) => e.host), ['up']);
    assert.equal(r.recap.down.unreachable, 1);
  });

  it('one connection per host for the whole run; facts gathered once', async () => {
    let opened = 0;
    let gathered = 0;
    const r = await run(`
- hosts: all
  tasks:
    - command: "true"
    - shell: "true"
- hosts: all
  tasks:
    - debug: msg="{{ ansible_facts.os_family }} {{ ansible_os_family }}"
`, {
      deps: {
        createConnection: (h) => (opened++, new LocalConnection(h)),
        gatherFacts: async () => (gathered++, { os_family: 'Debian' }),
      },
    });
    assert.equal(r.rc, 0);
    assert.equal(opened, 1);
    assert.equal(gathered, 1);
    assert.match(r.text, /TASK \[Gathering Facts\] \*+\nok: \[localhost\]/);
    assert.match(r.text, /"msg": "Debian Debian"/);
  });

  it('JSON events: host_result per host, recap last before playbook_end', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: echo hi
`);
    const types = r.events.map((e: RunEvent) => e.type);
    assert.deepEqual(types, ['playbook_start', 'play_start', 'task_start', 'host_result', 'recap', 'playbook_end']);
    const hr = r.events[3] as Extract<RunEvent, { type: 'host_result' }>;
    assert.equal(hr.status, 'changed');
    assert.equal((hr.result as { stdout: string }).stdout, 'hi');
    assert.deepEqual(hr.steps, ['echo hi']);
  });
});
