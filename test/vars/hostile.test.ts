// Data from hosts is never templated on the controller: facts, registered output, set_fact of
// either, hostvars, loop items, include params, JSON round trips and lookups carry `{{ }}`/`{% %}`
// as literal text. lvsplay's outputs are compared byte-for-byte with ansible-playbook 2.14's.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../run/helpers.js';
import { haveAnsible, runAnsible, runLvsplay, scratch } from './twotools.js';

const SECRET = 'CONTROLLER-SECRET-7f3a';
const hostile = (secretPath: string) =>
  [`{{ lookup('file', '${secretPath}') }}`, '{% if true %}EVALUATED{% endif %}', '{# hidden #}tail {{ 6 * 7 }}'].join('\n');

// Every case writes one file under out/: its content is what the task received.
const PLAYBOOK = `
- hosts: all
  gather_facts: false
  vars:
    out: "{{ playbook_dir }}/out"
  tasks:
    - file: {path: "{{ out }}", state: directory}
    - command: cat hostile.txt
      register: r
    - shell: cat < hostile.txt
      register: s
    - set_fact:
        copied: "{{ r.stdout }}"
        derived: "pre {{ r.stdout | trim }}"
        as_dict: {k: "{{ r.stdout }}"}
        round_trip: "{{ {'v': r.stdout} | to_json | from_json }}"
        as_json: "{{ r.stdout_lines | to_json }}"
        from_lookup: "{{ lookup('file', 'template.txt') }}"
    - set_fact:
        chained: "{{ derived }}"
    - copy: {dest: "{{ out }}/registered", content: "{{ r.stdout }}"}
    - copy: {dest: "{{ out }}/shell_lines", content: "{{ s.stdout_lines | join('\\n') }}"}
    - copy: {dest: "{{ out }}/set_fact", content: "{{ copied }}"}
    - copy: {dest: "{{ out }}/set_fact_derived", content: "{{ derived }}"}
    - copy: {dest: "{{ out }}/set_fact_chained", content: "{{ chained }}"}
    - copy: {dest: "{{ out }}/set_fact_dict", content: "{{ as_dict.k }}"}
    - copy: {dest: "{{ out }}/json_round_trip", content: "{{ round_trip.v }}"}
    - copy: {dest: "{{ out }}/json_string", content: "{{ (as_json | from_json)[0] }}"}
    - copy: {dest: "{{ out }}/lookup", content: "{{ from_lookup }}"}
    - copy: {dest: "{{ out }}/hostvars", content: "{{ hostvars[inventory_hostname].copied }}"}
    - copy: {dest: "{{ out }}/hostvars_filtered", content: "{{ hostvars[inventory_hostname].derived | replace('pre ', '') }}"}
    - copy: {dest: "{{ out }}/loop_{{ i }}", content: "{{ item }}"}
      loop: "{{ r.stdout_lines }}"
      loop_control: {index_var: i}
    - include_tasks: inc.yml
      vars:
        param: "{{ copied }}"
    - debug: {msg: "never"}
      when: "{{ r.stdout_lines[1] }}"
      register: w
      ignore_errors: true
    - copy: {dest: "{{ out }}/when_unsafe_failed", content: "{{ w.failed | default('undefined') }}"}
`;
const INC = `
- copy: {dest: "{{ out }}/include_param", content: "{{ param }}"}
- copy: {dest: "{{ out }}/include_loop_{{ j }}", content: "{{ line }}"}
  loop: "{{ param.split('\\n') }}"
  loop_control: {loop_var: line, index_var: j}
`;

function tree(): string {
  const d = scratch({ 'site.yml': PLAYBOOK, 'inc.yml': INC, 'template.txt': '{{ 6 * 7 }} {% if true %}EVALUATED{% endif %}', 'secret.txt': SECRET });
  // written by the test, not by a template: the "host" file holding markup
  writeFileSync(join(d, 'hostile.txt'), hostile(join(d, 'secret.txt')));
  return d;
}

function outputs(d: string): Record<string, string> {
  const o: Record<string, string> = {};
  for (const f of readdirSync(join(d, 'out')).sort()) o[f] = readFileSync(join(d, 'out', f), 'utf8');
  return o;
}

describe('unsafe data: host data is never templated', function () {
  this.timeout(120000);
  let lv: { dir: string; rc: number | null; text: string };

  before(() => {
    const dir = tree();
    const r = runLvsplay(dir, 'site.yml');
    lv = { dir, rc: r.rc, text: r.out + r.err };
  });

  it('lvsplay: every path delivers the literal text and never reads the controller file', () => {
    assert.equal(lv.rc, 0, lv.text);
    const o = outputs(lv.dir);
    const literal = hostile(join(lv.dir, 'secret.txt'));
    const lines = literal.split('\n');
    for (const k of ['registered', 'shell_lines', 'set_fact', 'set_fact_dict', 'json_round_trip', 'hostvars', 'include_param']) assert.equal(o[k], literal, k);
    assert.equal(o.set_fact_derived, `pre ${literal}`);
    assert.equal(o.set_fact_chained, `pre ${literal}`);
    assert.equal(o.hostvars_filtered, literal);
    assert.equal(o.json_string, lines[0]);
    assert.equal(o.lookup, '{{ 6 * 7 }} {% if true %}EVALUATED{% endif %}');
    lines.forEach((l, i) => {
      assert.equal(o[`loop_${i}`], l);
      assert.equal(o[`include_loop_${i}`], l);
    });
    assert.equal(o.when_unsafe_failed, 'True');
    for (const [k, v] of Object.entries(o)) {
      assert.ok(!v.includes(SECRET), `${k} holds the controller's file`);
      assert.ok(!/^EVALUATED|[^%]EVALUATED|\b42\b/.test(v.replace('{% if true %}EVALUATED{% endif %}', '')), `${k} was evaluated: ${v}`);
    }
  });

  it('ansible-playbook 2.14 writes the same files, byte for byte', function () {
    if (!haveAnsible()) {
      console.log('    (skipped: ansible-playbook is not on PATH; the differential test needs Ansible 2.14)');
      this.skip();
    }
    const dir = tree();
    const a = runAnsible(dir, 'site.yml');
    assert.equal(a.rc, 0, a.out + a.err);
    const norm = (o: Record<string, string>, d: string) => JSON.parse(JSON.stringify(o).split(d).join('DIR')) as Record<string, string>;
    assert.deepEqual(norm(outputs(lv.dir), lv.dir), norm(outputs(dir), dir));
  });

  it('facts from a host holding markup are data (in-process: the fake host answers the facts)', async () => {
    const d = scratch({ 'secret.txt': SECRET });
    const fact = hostile(join(d, 'secret.txt'));
    const r = await run(
      `
- hosts: all
  gather_facts: true
  tasks:
    - set_fact: {os: "{{ ansible_distribution }}", viafacts: "{{ ansible_facts.distribution | trim }}"}
    - copy: {dest: "${d}/fact", content: "{{ ansible_distribution }}"}
    - copy: {dest: "${d}/fact_set", content: "{{ os }} {{ viafacts }}"}
    - copy: {dest: "${d}/fact_loop", content: "{{ item }}"}
      loop: "{{ [ansible_distribution] }}"
`,
      { deps: { gatherFacts: async () => ({ os_family: 'Debian', distribution: fact }) } },
    );
    assert.equal(r.rc, 0, r.text);
    assert.equal(readFileSync(join(d, 'fact'), 'utf8'), fact);
    assert.equal(readFileSync(join(d, 'fact_set'), 'utf8'), `${fact} ${fact}`);
    assert.equal(readFileSync(join(d, 'fact_loop'), 'utf8'), fact);
  });
});
