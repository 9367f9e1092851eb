// Python interpreter discovery as ansible-playbook 2.14 shows it: the first module a host runs
// brings `ansible_facts.discovered_interpreter_python` back in its result (a failed one too), the
// host keeps the fact only when that module succeeded, a loop's later items bring it no more, the
// play's fact gathering sets it, `meta: clear_facts` makes the next module bring it again, modules
// that run none on the host (raw, script, fetch, wait_for_connection) and controller actions bring
// nothing, and a given interpreter (inventory, -e, ANSIBLE_PYTHON_INTERPRETER) means no discovery.
// Discovery's warnings when the platform's interpreter is not in the fallback list.
import { strict as assert } from 'node:assert';
import { runBoth, skipWithoutOracle } from './oracle.js';

/** The `msg` lines, failures and warnings in order (a warning with its wrapped lines, exactly: both wrap at 79 columns); times left out. */
function results(out: string): string[] {
  const lines = out.split('\n');
  const res: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (l.startsWith('[WARNING]: ')) {
      // kept as wrapped, line by line: lvsplay wraps as Ansible's Display does
      while (i + 1 < lines.length && /^\S/.test(lines[i + 1]) && !/^(\[|ok:|fatal:|changed:|TASK |PLAY |\.\.\.)/.test(lines[i + 1])) l += `\n${lines[++i]}`;
      res.push(l);
      continue;
    }
    if (!/^fatal:|"msg":/.test(l)) continue;
    res.push(l.replace(/"(delta|end|start)": "[^"]*"/g, '"$1": T').replace(/\s+/g, ' ').trim());
  }
  return res;
}

const inventory = { 'inventory.ini': 'localhost ansible_connection=local\n' };

const shows = (what: string) => `
    - debug: msg="${what} {{ r.ansible_facts.discovered_interpreter_python | default('none') }} fact={{ discovered_interpreter_python | default('none') }}"`;

describe('compat: Python interpreter discovery (discovered_interpreter_python) as ansible-playbook 2.14 reports it', function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('first module of a host, failed or not, loops, later plays, a gathering play: the same results and facts', () => {
    const { lvsplay, ansible } = runBoth({
      ...inventory,
      'pb.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: msg="{{ discovered_interpreter_python | default('none') }}"
    - command: "false"
      register: r
      ignore_errors: true
${shows('failed')}
    - command: "true"
      register: r
      loop: [1, 2]
    - debug: msg="{{ r.results | map(attribute='ansible_facts', default='none') | list }}"
${shows('loop')}
    - command: "true"
      register: r
${shows('after')}
    - debug: msg="{{ [ansible_facts.discovered_interpreter_python | default('none'), ansible_discovered_interpreter_python | default('none')] }}"
- hosts: localhost
  tasks:
    - debug: msg="{{ [discovered_interpreter_python, ansible_facts.discovered_interpreter_python] }}"
    - meta: clear_facts
    - stat: {path: /}
      register: r
${shows('cleared')}
- hosts: localhost
  gather_facts: true
  tasks:
    - command: "true"
      register: r
${shows('gathered')}
`,
    });
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.deepEqual(lvsplay.recap, ansible.recap);
    assert.equal(lvsplay.rc, ansible.rc);
  });

  it('which modules bring it: those running a module on the host, not raw, script, fetch, wait_for_connection or controller actions', () => {
    const cases: [string, string][] = [
      ['template', 'template: {src: t.j2, dest: "{{ out }}/t.txt"}'],
      ['copy', 'copy: {content: "x\\n", dest: "{{ out }}/c.txt"}'],
      ['fetch', 'fetch: {src: /etc/hostname, dest: "{{ out }}/fetched"}'],
      ['wait_for_connection', 'wait_for_connection: {timeout: 5}'],
      ['stat', 'stat: {path: /}'],
      ['file', 'file: {path: "{{ out }}/d", state: directory}'],
      ['lineinfile', 'lineinfile: {path: "{{ out }}/c.txt", line: y}'],
      ['script', 'script: s.sh'],
      ['raw', 'raw: "true"'],
      ['set_fact', 'set_fact: {x: 1}'],
      ['assert', 'assert: {that: [true]}'],
      ['ping', 'ping:'],
      ['slurp', 'slurp: {src: /etc/hostname}'],
      ['tempfile', 'tempfile: {path: "{{ out }}"}'],
    ];
    const tasks = cases.map(([what, task]) => `    - meta: clear_facts\n    - ${task}\n      register: r\n${shows(what)}`).join('\n');
    const { lvsplay, ansible } = runBoth({
      ...inventory,
      'templates/t.j2': 'x={{ 1 + 1 }}\n',
      'files/s.sh': '#!/bin/sh\ntrue\n',
      'pb.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - file: {path: "{{ out }}", state: directory}
${tasks}
`,
    });
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.deepEqual(lvsplay.recap, ansible.recap);
  });

  const given = `
- hosts: localhost
  gather_facts: false
  tasks:
    - command: "true"
      register: r
${shows('first')}
- hosts: localhost
  tasks:
    - debug: msg="{{ ansible_facts.discovered_interpreter_python | default('none') }}"
`;

  it('an interpreter given in the inventory: no discovery, no fact', () => {
    const { lvsplay, ansible } = runBoth({ 'inventory.ini': 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n', 'pb.yml': given });
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.ok(results(lvsplay.output).every((l) => !l.includes('fact=/usr')), lvsplay.output);
  });

  it('ANSIBLE_PYTHON_INTERPRETER: a path means none, auto_silent and -e auto_legacy discover', () => {
    for (const [env, args] of [
      [{ ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' }, []],
      [{ ANSIBLE_PYTHON_INTERPRETER: 'auto_silent' }, []],
      [{}, ['-e', 'ansible_python_interpreter=auto_legacy']],
    ] as [NodeJS.ProcessEnv, string[]][]) {
      const { lvsplay, ansible } = runBoth({ ...inventory, 'pb.yml': given }, args, env);
      assert.deepEqual(results(lvsplay.output), results(ansible.output), `${JSON.stringify(env)} ${args}\n${lvsplay.output}\n---\n${ansible.output}`);
    }
  });

  it("a fallback list without the platform's interpreter: the first one found, with Ansible's warnings", () => {
    const { lvsplay, ansible } = runBoth({
      'inventory.ini': 'localhost ansible_connection=local\n',
      'host_vars/localhost.yml': 'ansible_interpreter_python_fallback: [/usr/bin/python3.11, /nonexistent/python]\n',
      'pb.yml': given,
    });
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.match(lvsplay.output, /should use\s+\/usr\/bin\/python3, but is using\s+\/usr\/bin\/python3\.11/);
    assert.match(lvsplay.output, /\nhttps:\/\/docs\.ansible\.com\/ansible-\ncore\//); // wrapped after the hyphen, as textwrap does
  });
});
