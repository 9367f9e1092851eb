// async/poll and async_status, run by lvsplay and by ansible-playbook 2.14 with `connection: local`:
// registered results, recap counts and files, run twice. The jobs' files both tools leave under
// ~/.ansible_async are removed afterwards (the directory too when the suite made it).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';
import { runBoth } from './oracle.js';

const RESULT = ['changed', 'failed', 'finished', 'started', 'rc', 'stdout', 'stderr', 'cmd', 'msg'];

describe('compat: async/poll and async_status (differential, connection: local)', function () {
  this.timeout(240_000);
  const dir = join(homedir(), '.ansible_async');
  let before0: Set<string> | undefined;
  before(function () {
    skipWithoutAnsible(this);
    before0 = new Set(existsSync(dir) ? readdirSync(dir) : []);
  });
  after(() => {
    if (!before0 || !existsSync(dir)) return;
    for (const f of readdirSync(dir)) if (!before0.has(f)) rmSync(join(dir, f), { recursive: true, force: true });
    if (before0.size === 0 && readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
  });

  it('poll > 0 waits for the job (the module result, finished 1); a job longer than async fails with Ansible message; a file module under async (unchanged on the second run); copy refuses async as Ansible\'s action plugin', async () => {
    const d = await differential(
      `- hosts: localhost
  gather_facts: false
  tasks:
    - name: wait
      shell: sleep 1; echo hi; echo warn >&2
      async: 10
      poll: 1
      register: a
    - name: lineinfile async
      lineinfile: { path: "{{ work }}/f.txt", line: "async line", create: true, mode: "0640" }
      async: 10
      poll: 1
      register: li
    - name: copy async
      copy: { dest: "{{ work }}/g.txt", content: "x" }
      async: 10
      poll: 1
      ignore_errors: true
    - name: too long
      command: sleep 6
      async: 2
      poll: 1
      register: t
      ignore_errors: true
    - name: ids
      copy: { dest: "{{ work }}/ids", content: "{{ [a.ansible_job_id is string, a.results_file is string, t.async_result.finished, t.async_result.started] | to_json }}" }
`,
      {},
    );
    assertSame(d, { wait: RESULT, 'lineinfile async': ['changed', 'failed', 'finished', 'msg', 'backup'], 'copy async': ['changed', 'failed', 'msg'], 'too long': ['changed', 'failed', 'msg'] });
  });

  it('poll: 0 starts the job and goes on (started 1, finished 0); async_status with until: job.finished gives its result, a failing job fails there; an unknown job', async () => {
    const d = await differential(
      `- hosts: localhost
  gather_facts: false
  tasks:
    - name: fire
      shell: sleep 2; echo bye; echo err >&2; exit 3
      async: 20
      poll: 0
      register: f
    - name: meanwhile
      copy: { dest: "{{ work }}/meanwhile", content: "{{ [f.finished, f.started, f.failed, f.changed] | to_json }}" }
    - name: status
      async_status: jid={{ f.ansible_job_id }}
      register: s
      until: s.finished
      retries: 10
      delay: 1
      ignore_errors: true
    - name: fire ok
      command: echo fine
      async: 20
      poll: 0
      register: g
    - name: status ok
      ansible.builtin.async_status:
        jid: "{{ g.ansible_job_id }}"
      register: s2
      until: s2.finished
      retries: 10
      delay: 1
    - name: unknown
      async_status: jid=j1.1
      ignore_errors: true
    - name: cleanup
      async_status: jid={{ g.ansible_job_id }} mode=cleanup
`,
      {},
    );
    assertSame(d, {
      fire: ['changed', 'finished', 'started'], // failed: 0 is in the file written by 'meanwhile'
      status: RESULT,
      'fire ok': ['changed', 'finished', 'started'],
      'status ok': RESULT,
      unknown: ['failed', 'msg', 'finished'],
    });
  });

  it("the console's ASYNC POLL lines while a polled job runs, then ASYNC OK or ASYNC FAILED (a failing job, a job over its time, loop items)", () => {
    const { lvsplay, ansible } = runBoth({
      'inventory.ini': 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - {name: quick, command: "true", async: 10, poll: 1}
    - {name: failing, command: "false", async: 10, poll: 1, ignore_errors: true}
    - {name: over, command: sleep 4, async: 2, poll: 1, ignore_errors: true}
    - {name: items, shell: "sleep {{ item }}", async: 10, poll: 1, loop: [0, 1.5]}
`,
    });
    // the console's lines, each job's id made one placeholder
    const lines = (out: string) => out.split('\n').map((l) => l.replace(/jid=j\d+\.\d+/, 'jid=J').replace(/"ansible_job_id": "j\d+\.\d+"/, '"ansible_job_id": "J"'));
    assert.ok(lines(ansible.output).includes('ASYNC POLL on localhost: jid=J started=1 finished=0'), ansible.output);
    // the ASYNC lines and, in their place, each result's status line up to its result (whose fields the other cases compare)
    const shown = (out: string) => lines(out).filter((l) => /^ASYNC |^(ok|changed|failed|fatal|TASK)/.test(l)).map((l) => l.replace(/ => .*/, ''));
    assert.deepEqual(shown(lvsplay.output), shown(ansible.output), `--- lvsplay:\n${lvsplay.output}\n--- ansible:\n${ansible.output}`);
    assert.deepEqual([lvsplay.rc, lvsplay.recap], [ansible.rc, ansible.recap]);
  });

  it("an Ansible module under async as async_wrapper reports it: its stderr in the result, output that is no JSON a failure with the output as data; ansible_async_dir; the job's file removed once polled", () => {
    const mod = (body: string) => `#!/usr/bin/python3\nimport json, sys\n${body}\n`;
    const { lvsplay, ansible } = runBoth({
      'inventory.ini': 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
      'library/say_err.py': mod('sys.stderr.write("printed to stderr\\n")\nprint(json.dumps({"changed": True, "said": 1}))'),
      'library/no_json.py': mod('print("not json")\nsys.stderr.write("boom\\n")\nsys.exit(1)'),
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - {say_err: {}, async: 10, poll: 1, register: a}
    - {no_json: {}, async: 10, poll: 1, register: b, ignore_errors: true}
    - {command: "true", async: 10, poll: 1, register: c, vars: {ansible_async_dir: "{{ out }}/jobs"}}
    - {command: "sleep 1", async: 10, poll: 0, register: d, vars: {ansible_async_dir: "{{ out }}/jobs"}}
    - {async_status: {jid: "{{ d.ansible_job_id }}"}, register: e, until: e is finished, retries: 10, delay: 1, vars: {ansible_async_dir: "{{ out }}/jobs"}}
    - {async_status: {jid: "{{ d.ansible_job_id }}", mode: cleanup}, vars: {ansible_async_dir: "{{ out }}/jobs"}}
    - copy:
        dest: "{{ out }}/results"
        content: |
          {{ a | dict2items | selectattr('key', 'in', ['changed', 'failed', 'finished', 'said', 'stderr', 'stderr_lines']) | items2dict | to_json(sort_keys=true) }}
          {{ b | dict2items | selectattr('key', 'in', ['changed', 'failed', 'finished', 'data', 'stderr']) | items2dict | to_json(sort_keys=true) }}
          c {{ c.finished }} {{ c.results_file.startswith(out ~ '/jobs/') }} {{ lookup('fileglob', out ~ '/jobs/*', wantlist=true) | length }}
`,
    });
    assert.deepEqual([lvsplay.rc, lvsplay.recap, lvsplay.files], [ansible.rc, ansible.recap, ansible.files], `--- lvsplay:\n${lvsplay.output}\n--- ansible:\n${ansible.output}`);
  });

  it('async where Ansible refuses it: in check mode, and on a controller-side action', async () => {
    const d = await differential(
      `- hosts: localhost
  gather_facts: false
  tasks:
    - name: in check mode
      command: echo x
      async: 5
      poll: 1
      check_mode: true
      ignore_errors: true
    - name: on debug
      debug: msg=x
      async: 5
      poll: 1
      ignore_errors: true
`,
      { runs: 1 },
    );
    assertSame(d, { 'in check mode': ['failed', 'msg'], 'on debug': ['failed', 'msg'] });
    assert.ok(d.lvsplay.runs[0].counts.ok > 0);
  });
});
