// Engine fixes found by the realistic-roles suite (realroles.test.ts), each compared with ansible-playbook
// 2.14: Jinja `*` on strings and lists, dict literals with expression keys, `for k, v` names seen by
// {% include %}, handlers of a role included with `vars:`, loop filters, include `apply:`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: engine details real roles use (differential against ansible-playbook)', function () {
  this.timeout(120_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('repeats strings and lists with *, takes expression keys in dict literals, and {% include %} sees for k, v', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  vars:
    d: {b: 2, a: 1}
    rs: [{item: {name: x}, changed: true}, {item: {name: y}, changed: false}]
  tasks:
    - {name: mul, debug: {msg: "[{{ ' ' * 3 }}|{{ 2 * 'ab' }}|{{ [1, 2] * 2 }}|{{ 3 * 4 }}|{{ 'x' * 0 }}]"}}
    - {name: keys, set_fact: {acc: "{{ acc | default({}) | combine({item.item.name: item.changed}) }}"}, loop: "{{ rs }}"}
    - {name: keys2, debug: {msg: "{{ {rs[0].item.name: 1, rs[1]['item'].name: 'two', 'lit': 3} }}"}}
    - {name: show, debug: {var: acc}}
    - name: render
      template: {src: "{{ work }}/t/main.j2", dest: "{{ work }}/out.txt", mode: "0644"}
`,
      {
        setup(w) {
          mkdirSync(join(w, 't'));
          writeFileSync(join(w, 't/main.j2'), '{% for k, v in d | dictsort %}\n{% include "one.j2" %}\n{% endfor %}\n');
          writeFileSync(join(w, 't/one.j2'), '{{ k }}={{ v }}{{ " " * 2 }};');
        },
      },
    );
    assertSame(d, { mul: ['msg'], keys2: ['msg'], show: ['acc'], render: ['changed'] });
  });

  it('runs the handlers of a role included with vars: with those vars', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  roles: [r]
  tasks:
    - name: again
      include_role: {name: r}
      vars: {label: included}
  post_tasks:
    - {name: log, command: "cat {{ work }}/log", register: log, changed_when: false}
`,
      {
        setup(w) {
          const r = join(dirname(w), 'roles/r');
          mkdirSync(join(r, 'tasks'), { recursive: true });
          mkdirSync(join(r, 'handlers'));
          mkdirSync(join(r, 'defaults'));
          writeFileSync(join(r, 'defaults/main.yml'), 'label: default\n');
          writeFileSync(join(r, 'tasks/main.yml'), '- {name: touch, command: "true", notify: h}\n');
          writeFileSync(join(r, 'handlers/main.yml'), '- {name: h, shell: "echo {{ label }} >> {{ work }}/log"}\n');
        },
      },
    );
    assertSame(d, { log: ['stdout'] });
  });

  it('applies apply: keywords (tags, vars, ignore_errors) to the tasks of include_tasks and include_role', async () => {
    const pb = `
- hosts: all
  gather_facts: false
  tasks:
    - name: inc
      include_tasks: {file: "{{ work }}/inc.yml", apply: {tags: [x], vars: {who: applied}, ignore_errors: true}}
      tags: [x]
    - name: role
      include_role: {name: r, apply: {tags: [x]}}
      tags: [x]
    - {name: untagged, debug: {msg: not x}}
`;
    const setup = (w: string) => {
      writeFileSync(join(w, 'inc.yml'), '- {name: said, debug: {msg: "{{ who }}"}}\n- {name: boom, command: "false"}\n- {name: after, debug: {msg: after}}\n');
      mkdirSync(join(dirname(w), 'roles/r/tasks'), { recursive: true });
      writeFileSync(join(dirname(w), 'roles/r/tasks/main.yml'), '- {name: in role, debug: {msg: role ran}}\n');
    };
    assertSame(await differential(pb, { setup, runs: 1, args: ['--tags', 'x'] }), { said: ['msg'], after: ['msg'], 'r : in role': ['msg'] }, { files: false });
    assertSame(await differential(pb, { setup, runs: 1 }), { said: ['msg'], untagged: ['msg'] }, { files: false });
  });

  it('filters loops ({% for x in y if c %}) before counting loop.*, over lists, pairs and mappings', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  vars:
    us: [{name: a}, {name: c, state: absent}, {name: b}]
    d: {x: 1, y: 2, z: 3}
  tasks:
    - {name: list, debug: {msg: "{% for u in us if u.state | default('present') == 'present' %}{{ loop.index }}/{{ loop.length }}{{ u.name }}{% if loop.last %}L{% endif %} {% endfor %}"}}
    - {name: pairs, debug: {msg: "{% for k, v in d | dictsort if v > 1 %}{{ k }}={{ v }} {% else %}none{% endfor %}"}}
    - {name: keys, debug: {msg: "{% for k in d if k != 'y' %}{{ k }}{% endfor %}|{% for u in [] if u %}x{% else %}empty{% endfor %}"}}
`);
    assertSame(d, { list: ['msg'], pairs: ['msg'], keys: ['msg'] });
  });
});
