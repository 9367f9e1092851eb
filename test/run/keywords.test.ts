// Task/block/play keywords the loader accepts and the executor honours: environment, remote_user,
// connection, include_vars, serial lists, ignore_unreachable, timeout, throttle, loop_control.pause,
// max_fail_percentage, play-level no_log/ignore_errors/run_once, delegate_facts.
import { strict as assert } from 'node:assert';
import type { Vars } from '../../src/types.js';
import { LocalConnection } from '../../src/connection/local.js';
import { memInventory, run, unreachableConnection } from './helpers.js';

describe('executor: keywords', () => {
  it('environment: play < block < task per key, templated, exported for the command and its probes', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  vars: { proxy: "http://p:3128" }
  environment: { A: play, B: play, HTTP_PROXY: "{{ proxy }}" }
  tasks:
    - block:
        - shell: echo "$A $B $C $HTTP_PROXY"
          environment: { C: "it's task" }
          register: o
          args: { creates: "/nonexistent/$A" }
      environment: { B: block }
    - debug: var=o.stdout
    - shell: echo "[$A]"
      environment: "{{ {'A': 'from template'} }}"
      register: t
    - debug: var=t.stdout
`,
    );
    assert.equal(r.rc, 0, r.text);
    assert.match(r.text, /"o.stdout": "play block it's task http:\/\/p:3128"/);
    assert.match(r.text, /"t.stdout": "\[from template\]"/);
  });

  it('environment: a bad variable name fails the task with its position', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      environment: { "BAD-NAME": x }
`);
    assert.equal(r.rc, 2);
    assert.match(r.text, /site\.yml:5:7: environment: 'BAD-NAME' is not a valid environment variable name/);
  });

  it('remote_user: play and task keywords give ansible_user; an ansible_user variable still wins; one connection per user', async () => {
    const users: Record<string, unknown[]> = {};
    const inv = memInventory({ a: {}, b: { ansible_user: 'inv' } });
    const r = await run(
      `
- hosts: all
  gather_facts: false
  remote_user: playuser
  tasks:
    - command: "true"
    - command: "true"
      remote_user: taskuser
`,
      { inventory: inv, deps: { createConnection: (h, v: Vars) => ((users[h] ??= []).push(v.ansible_user), new LocalConnection(h)) } },
    );
    assert.equal(r.rc, 0, r.text);
    assert.deepEqual(users, { a: ['playuser', 'taskuser'], b: ['inv'] });
  });

  it('connection: a task keyword overrides the play (ansible_connection of the connection)', async () => {
    const kinds: unknown[] = [];
    const r = await run(
      `
- hosts: all
  gather_facts: false
  connection: ssh
  tasks:
    - command: "true"
      connection: local
`,
      { deps: { createConnection: (h, v: Vars) => (kinds.push(v.ansible_connection), new LocalConnection(h)) } },
    );
    assert.equal(r.rc, 0, r.text);
    assert.deepEqual(kinds, ['local']);
  });

  it('include_vars: beside the task file, a role vars/ file, name:, precedence above task vars and below set_fact; a missing file fails with its position', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  vars: { a: play }
  tasks:
    - include_vars: extra.yml
    - debug: msg="{{ a }} {{ b }}"
      vars: { a: taskvar }
    - include_vars: { file: extra.yml, name: bundle }
    - debug: msg="{{ bundle.b }}"
    - set_fact: { a: fact }
    - debug: msg="{{ a }}"
    - include_role: { name: r }
    - include_vars: missing.yml
`,
      {
        files: {
          'extra.yml': 'a: included\nb: "{{ a }}-b"\n',
          'roles/r/vars/other.yml': 'rv: role-vars-file\n',
          'roles/r/tasks/main.yml': '- include_vars: other.yml\n- debug: msg="{{ rv }}"\n',
        },
      },
    );
    assert.equal(r.rc, 2, r.text);
    const msgs = r.events.flatMap((e) => (e.type === 'host_result' && e.task === 'debug' ? [e.result?.msg] : []));
    assert.deepEqual(msgs, ['included included-b', 'included-b', 'fact']);
    assert.equal(r.results('r : debug')[0].result?.msg, 'role-vars-file');
    // a missing file fails the task at run time with Ansible's message (test/compat/target_gaps.test.ts)
    assert.match(r.text, /fatal: \[localhost\]: FAILED! => .*"message": "Could not find or access 'missing\.yml'/);
  });

  it('serial as a list: batch sizes in turn, the last repeating', async () => {
    const inv = memInventory({ h1: {}, h2: {}, h3: {}, h4: {}, h5: {}, h6: {} });
    const r = await run(
      `
- hosts: all
  gather_facts: false
  serial: [1, "40%"]
  tasks:
    - debug: msg="{{ ansible_play_batch | join(',') }}"
      run_once: true
`,
      { inventory: inv },
    );
    assert.equal(r.rc, 0, r.text);
    assert.deepEqual(r.results('debug').map((e) => e.result?.msg), ['h1', 'h2,h3', 'h4,h5', 'h6']);
  });

  it('ignore_unreachable: the host counts ok+ignored, prints ...ignoring and stays in the play', async () => {
    const inv = memInventory({ up: {}, down: {} });
    let downTries = 0;
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      ignore_unreachable: true
    - command: "true"
`,
      { inventory: inv, deps: { createConnection: (h) => (h === 'down' ? (downTries++, unreachableConnection(h)) : new LocalConnection(h)) } },
    );
    assert.equal(r.rc, 4, 'the second task (no ignore_unreachable) makes it unreachable');
    assert.equal(downTries, 2, 'the second task tried the host again');
    assert.match(r.text, /fatal: \[down\]: UNREACHABLE! => .*\n\.\.\.ignoring/);
    assert.deepEqual(r.recap.down, { ok: 1, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 1 });
  });

  it('timeout: a task that takes longer fails as Ansible says, and the play goes on for the other tasks (ignore_errors)', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - shell: sleep 5
      timeout: 1
      ignore_errors: true
    - debug: msg=after
`);
    assert.equal(r.rc, 0, r.text);
    const res = r.results('shell')[0].result!;
    assert.equal(res.msg, 'The shell action failed to execute in the expected time frame (1) and was terminated');
    assert.deepEqual(res.timedout, { period: 1 });
    assert.equal(r.recap.localhost.ignored, 1);
  });

  it('throttle: at most N hosts run the task at once (below forks)', async () => {
    let running = 0;
    let peak = 0;
    const inv = memInventory({ h1: {}, h2: {}, h3: {}, h4: {} });
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: sleep 0.2
      throttle: 2
`,
      {
        inventory: inv,
        opts: { forks: 10 },
        deps: {
          createConnection: (h) => {
            const c = new LocalConnection(h);
            const exec = c.exec.bind(c);
            c.exec = async (cmd, o) => {
              peak = Math.max(peak, ++running);
              try {
                return await exec(cmd, o);
              } finally {
                running--;
              }
            };
            return c;
          },
        },
      },
    );
    assert.equal(r.rc, 0, r.text);
    assert.equal(peak, 2);
  });

  it('loop_control.pause is read and the loop still runs every item', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg={{ item }}
      loop: [1, 2]
      loop_control: { pause: 0.05 }
`);
    assert.equal(r.rc, 0, r.text);
    assert.deepEqual(r.results('debug').flatMap((e) => (e.item !== undefined ? [e.result?.msg] : [])), [1, 2]);
  });

  it('max_fail_percentage: more than that share failing stops the run; exactly that share does not', async () => {
    const inv = memInventory({ h1: { bad: true }, h2: { bad: true }, h3: {}, h4: {} });
    const pb = (pct: number) => `
- hosts: all
  gather_facts: false
  max_fail_percentage: ${pct}
  tasks:
    - fail: msg=bad
      when: bad | default(false)
    - debug: msg=next
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="second play"
`;
    const stop = await run(pb(40), { inventory: inv });
    assert.equal(stop.rc, 2);
    assert.equal(stop.results('debug').length, 0, stop.text);
    assert.match(stop.text, /2 of 4 hosts failed, more than max_fail_percentage 40%/);
    const go = await run(pb(50), { inventory: inv });
    assert.equal(go.rc, 2);
    assert.equal(go.results('debug').length, 4, 'h3, h4 run both plays');
  });

  it('play-level no_log, ignore_errors and run_once are inherited (a task may override)', async () => {
    const inv = memInventory({ h1: {}, h2: {} });
    const r = await run(
      `
- hosts: all
  gather_facts: false
  no_log: true
  ignore_errors: true
  run_once: true
  tasks:
    - debug: msg=secret-value
    - fail: msg=boom
    - debug: msg=shown
      no_log: false
`,
      { inventory: inv },
    );
    assert.equal(r.rc, 0, r.text);
    assert.doesNotMatch(r.text, /secret-value|boom/);
    assert.match(r.text, /the output has been hidden/);
    assert.match(r.text, /\.\.\.ignoring/);
    assert.match(r.text, /"msg": "shown"/);
    assert.deepEqual(r.results('debug').map((e) => e.host), ['h1', 'h1']);
  });

  it('no_log given as a template is rendered', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  vars: { quiet: true }
  tasks:
    - debug: msg=secret-value
      no_log: "{{ quiet }}"
`);
    assert.equal(r.rc, 0, r.text);
    assert.doesNotMatch(r.text, /secret-value/);
  });

  it('delegate_facts: facts a delegated task sets go to the delegated host', async () => {
    const inv = memInventory({ a: {}, b: {} });
    const r = await run(
      `
- hosts: a
  gather_facts: false
  tasks:
    - set_fact: { marker: from-a }
      delegate_to: b
      delegate_facts: true
    - debug: msg="{{ hostvars['b'].marker }} {{ marker | default('none') }}"
`,
      { inventory: inv },
    );
    assert.equal(r.rc, 0, r.text);
    assert.equal(r.results('debug')[0].result?.msg, 'from-a none');
  });

  it('include_role: tasks_from and vars_from choose the files; they are not role variables', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: r, tasks_from: other, vars_from: alt }
`,
      {
        files: {
          'roles/r/tasks/main.yml': '- debug: msg=main\n',
          'roles/r/tasks/other.yml': '- debug: msg="other {{ v }} {{ tasks_from | default(\'unset\') }}"\n',
          'roles/r/vars/main.yml': 'v: main\n',
          'roles/r/vars/alt.yml': 'v: alt\n',
        },
      },
    );
    assert.equal(r.rc, 0, r.text);
    assert.equal(r.results('r : debug')[0].result?.msg, 'other alt unset');
  });
});

