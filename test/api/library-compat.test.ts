// What a library/ module overrides, compared with ansible-playbook 2.14: the same playbook with an
// Ansible Python module in library/ (for ansible) and a lvsplay TypeScript module of the same name
// (for lvsplay). Measured: a library/ module overrides a built-in of its name — under the short
// name, ansible.legacy.* and ansible.builtin.* alike; library/ beside the playbook wins over -M;
// a library/debug.py is ignored (debug is an action plugin), as lvsplay ignores it too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from '../compat/harness.js';
import { forgetCompiled } from './helpers.js';

const py = (tag: string) => `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(path=dict(type='str'), msg=dict(type='str')))
m.exit_json(changed=False, custom='${tag}')
`;

const ts = (name: string, tag: string) => `import { defineModule } from 'lvsplay';
export default defineModule({
  name: '${name}',
  schema: { type: 'object', properties: { path: { type: 'string' }, msg: { type: 'string' } } },
  async plan() {
    return { steps: [], result: { custom: '${tag}' } };
  },
});
`;

describe('api: library/ overrides, differential against ansible-playbook', function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('a library/ module overrides the built-in of its name (short, ansible.legacy., ansible.builtin.), library/ wins over -M, library/debug.py is ignored', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: short, stat: {path: /etc}, register: r}
    - {name: builtin, ansible.builtin.stat: {path: /etc}, register: r}
    - {name: legacy, ansible.legacy.stat: {path: /etc}, register: r}
    - {name: custom, myping: {path: /x}, register: r}
    - {name: custom-legacy, ansible.legacy.myping: {path: /x}, register: r}
    - {name: mpath-only, onlympath: {path: /x}, register: r}
    - {name: dbg, debug: {msg: hello}, register: r}
`,
      {
        args: ['-M', 'mpath'],
        beside(dir, tool) {
          mkdirSync(join(dir, 'library'));
          mkdirSync(join(dir, 'mpath'));
          const put = (sub: string, name: string, tag: string) =>
            tool === 'ansible' ? writeFileSync(join(dir, sub, `${name}.py`), py(tag)) : writeFileSync(join(dir, sub, `${name}.ts`), ts(name, tag));
          put('library', 'stat', 'library-stat');
          put('library', 'myping', 'library-myping');
          put('mpath', 'myping', 'mpath-myping');
          put('mpath', 'onlympath', 'mpath-only');
          writeFileSync(join(dir, 'library', 'debug.py'), py('library-debug')); // both tools: ignored
        },
      },
    );
    forgetCompiled(dirname(d.lvsplay.work));
    const f = ['custom', 'changed', 'failed'];
    assertSame(d, { short: f, builtin: f, legacy: f, custom: f, 'custom-legacy': f, 'mpath-only': f, dbg: ['msg', 'custom', 'changed'] });
  });
});
