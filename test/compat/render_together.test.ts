// The hosts of a task render its strings together (issue 17: speed): a render for one host also
// renders the same string with each other host's variables in the same request to the engine, and
// a lazy mapping's keys (hostvars[host]) the template may read come with it. None of that may change
// what a run does, against ansible-playbook 2.14: per-host results, lookups run only when a host
// really renders (never ahead, never for a host whose `when` is false, never for a hostvars key the
// template does not read), host data stays data on every host (a reused result is host data too).
import { strict as assert } from 'node:assert';
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const hosts = (n: number, extra = (_i: number) => '') =>
  Array.from({ length: n }, (_, i) => `t${String(i).padStart(2, '0')} ansible_connection=local ansible_python_interpreter=/usr/bin/python3 idx=${i}${extra(i)}`).join('\n') + '\n';

/** lvsplay's count of requests to the template engine in a run (its LVSPLAY_TIMING mark). */
const requests = (output: string): number => Number(/template engine: (\d+) requests/.exec(output)?.[1] ?? NaN);

describe('compat: hosts rendering a task together, as ansible-playbook 2.14', function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('per-host values on twelve hosts: the same files and recap, one engine request per string instead of one per host', () => {
    const { lvsplay } = assertBothSame(
      {
        'inventory.ini': hosts(12),
        'pb.yml': `
- hosts: all
  gather_facts: false
  vars:
    lport: "{{ 8000 + idx | int }}"
    base: "{{ out }}/h"
  tasks:
    - name: a condition that differs per host
      copy:
        dest: "{{ base }}-{{ inventory_hostname }}.txt"
        content: "{{ inventory_hostname }} {{ lport }} {{ (idx | int) // 3 }} {{ [idx | int, lport | int] | max }}\\n"
      when: (idx | int) is even or (idx | int) > 6
    - name: facts per host from templates
      set_fact:
        twice: "{{ (lport | int) * 2 }}"
        label: "{{ inventory_hostname ~ '-' ~ ((idx | int) % 4) }}"
    - name: what they became
      copy:
        dest: "{{ base }}-{{ label }}.fact"
        content: "{{ twice }} {{ label | length }}\\n"
      when: twice | int > 16005
`,
      },
      [],
      { LVSPLAY_TIMING: '1' },
    );
    assert.equal(lvsplay.rc, 0, lvsplay.output);
    assert.equal(Object.keys(lvsplay.files).length, 9 + 9, Object.keys(lvsplay.files).join(' '));
    // 8 strings the engine renders (the rest lvsplay answers itself), each needing a request per
    // host before; now one request renders a string for all twelve hosts
    const n = requests(lvsplay.output);
    assert.ok(n <= 20, `${n} requests to the template engine (one per host and string would be ~100)`);
  });

  it('a lookup in a variable runs only for the hosts that render it, never ahead for the others', () => {
    const { lvsplay } = assertBothSame({
      'inventory.ini': hosts(4),
      'pb.yml': `
- hosts: all
  gather_facts: false
  vars:
    stamp: "{{ lookup('pipe', 'echo ran >> ' ~ out ~ '/ran-' ~ inventory_hostname ~ '.log; echo S') }}"
  tasks:
    - name: only the first two hosts render the lookup's variable
      debug:
        msg: "{{ stamp | lower }} {{ idx }}"
      when: (idx | int) < 2
`,
    });
    assert.equal(lvsplay.rc, 0, lvsplay.output);
    assert.deepEqual(Object.keys(lvsplay.files).sort(), ['ran-t00.log', 'ran-t01.log']); // a file per host: Ansible's hosts run in any order
    assert.equal(lvsplay.files['ran-t00.log'], 'ran\n');
  });

  it("hostvars keys the template may read come with hostvars[host]; a lookup in a key it does not read never runs", () => {
    const { lvsplay } = assertBothSame({
      'inventory.ini': hosts(3, (i) => ` color=c${i}`),
      'group_vars/all.yml': `shade: "{{ lookup('pipe', 'echo ran >> ' ~ out ~ '/shade-' ~ inventory_hostname ~ '.log; echo dark') }}"\n`,
      'pb.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: read other hosts' color (the text also names 'shade', which is never read)
      copy:
        dest: "{{ out }}/{{ inventory_hostname }}.txt"
        content: |
          {% for h in ansible_play_hosts | sort %}{{ h }}={{ hostvars[h].color }}{{ 'shade' if h == 'none' else '' }};{% endfor %}
          {{ hostvars[inventory_hostname]['color'] | upper }}
`,
    });
    assert.equal(lvsplay.rc, 0, lvsplay.output);
    assert.equal(lvsplay.files['t01.txt'], 't00=c0;t01=c1;t02=c2;C1\n'); // trim_blocks: no newline after endfor
    assert.deepEqual(Object.keys(lvsplay.files).filter((f) => f.startsWith('shade')), []);
  });

  it('host data reused for another host stays data: registered template text is never evaluated on any host', () => {
    const { lvsplay } = assertBothSame({
      'inventory.ini': hosts(3),
      'pb.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: every host prints template text
      command: printf '%s' "{{ '{{' }} 7 * 6 {{ '}}' }}"
      register: said
      changed_when: false
    - name: new text made from it, the same on every host (one render kept for the others)
      set_fact:
        heard: "{{ said.stdout | trim ~ '!' }}"
        other: "{{ said.stdout | replace('7', '6') }}"
    - name: used again (never rendered a second time)
      copy:
        dest: "{{ out }}/{{ inventory_hostname }}.txt"
        content: "{{ heard }} | {{ other }} | {{ heard ~ '' }}\\n"
`,
    });
    assert.equal(lvsplay.rc, 0, lvsplay.output);
    for (const h of ['t00', 't01', 't02']) assert.equal(lvsplay.files[`${h}.txt`], '{{ 7 * 6 }}! | {{ 6 * 6 }} | {{ 7 * 6 }}!\n', h);
  });
});
