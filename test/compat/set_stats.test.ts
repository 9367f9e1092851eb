// set_stats: registered results, and the CUSTOM STATS the recap prints with show_custom_stats
// (ANSIBLE_SHOW_CUSTOM_STATS / ansible.cfg), compared with ansible-playbook 2.14 on two local hosts:
// aggregation of numbers, strings, lists and mappings, a value of another type ignored, replace
// (aggregate false), per host and for the run, run_once, loops, templated data, errors.
import assert from 'node:assert/strict';
import { runBoth, skipWithoutOracle } from './oracle.js';

const INV = 'h1 ansible_connection=local\nh2 ansible_connection=local\n';

/** The CUSTOM STATS section of a run's output (up to the end), '' when there is none. */
const customStats = (out: string): string => {
  const i = out.indexOf('CUSTOM STATS');
  return i < 0 ? '' : out.slice(i).trimEnd();
};

function same(pb: string, env: NodeJS.ProcessEnv = { ANSIBLE_SHOW_CUSTOM_STATS: '1' }, files: Record<string, string> = {}): string {
  const { lvsplay, ansible } = runBoth({ 'inventory.ini': INV, 'pb.yml': pb, ...files }, [], env);
  const view = (o: typeof lvsplay) => ({ rc: o.rc, recap: o.recap, files: o.files, custom: customStats(o.output) });
  assert.deepEqual(view(lvsplay), view(ansible), `lvsplay and ansible-playbook differ\n--- lvsplay:\n${lvsplay.output}\n--- ansible-playbook:\n${ansible.output}`);
  assert.ok(Object.keys(ansible.recap).length > 0, ansible.output);
  return customStats(ansible.output);
}

describe('compat: set_stats (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('adds up per host and for the run; replaces without aggregate; ignores a value of another type; its result', () => {
    const shown = same(`- hosts: all
  gather_facts: false
  tasks:
    - set_stats: { data: { n: 1, words: "a", items: [1], conf: { a: { x: 1 } } } }
      register: r
    - copy: { dest: "{{ out }}/r-{{ inventory_hostname }}", content: "{{ r | to_json(sort_keys=true) }}" }
    - set_stats: { data: { n: 2, words: "b", items: [2, 3], conf: { a: { y: 2 }, b: 1 } } }
    - set_stats: { data: { n: "text", mine: "{{ inventory_hostname }}" }, per_host: true }
    - set_stats: { data: { mine: "{{ inventory_hostname | upper }}" }, per_host: yes, aggregate: false }
    - ansible.builtin.set_stats:
        data: { last: "{{ ansible_play_hosts | length }}", n: 1.5 }
        aggregate: false
    - set_stats: { data: { count: "{{ item }}" } }
      loop: [1, 2]
    - set_stats: { data: { once: 1 }, per_host: true }
      run_once: true
    - set_stats: { data: { skipped: 1 } }
      when: false
    - set_stats: { data: { loose: 1 }, aggregate: "x", per_host: "On" }
    - set_stats: { data: { decimal: 1 }, per_host: "1.0" }
`);
    assert.match(shown, /RUN: /, 'ansible printed the run statistics');
  });

  it("bad data fails the task (not a mapping, a name that is no identifier); nothing printed without show_custom_stats", () => {
    same(
      `- hosts: h1
  gather_facts: false
  tasks:
    - set_stats: { data: "{{ [1, 2] }}" }
      register: r1
      ignore_errors: true
    - set_stats: { data: { "not a name": 1 } }
      register: r2
      ignore_errors: true
    - set_stats: { data: { fine: 1 } }
    - copy: { dest: "{{ out }}/r", content: "{{ [r1, r2] | to_json(sort_keys=true) }}" }
`,
      {},
    );
  });
});
