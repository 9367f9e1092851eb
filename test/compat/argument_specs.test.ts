// Role argument specs: the implicit "Validating arguments against arg spec" task of roles:,
// import_role and include_role (tasks_from has its own spec), its result and failure message, and
// defaults of the spec not applied, compared with ansible-playbook 2.14.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

function role(w: string): void {
  const r = join(w, '..', 'roles/r'); // beside the playbook
  for (const d of ['meta', 'tasks']) mkdirSync(join(r, d), { recursive: true });
  writeFileSync(join(r, 'meta/argument_specs.yml'), `
argument_specs:
  main:
    short_description: The main entry
    options:
      r_port: {type: int, required: true}
      r_name: {type: str, default: dflt}
      r_mode: {type: str, choices: [a, b]}
      r_items: {type: list, elements: int}
      r_flag: {type: bool}
      r_conf:
        type: dict
        options:
          host: {type: str, required: true}
  other:
    options:
      r_x: {type: int, required: true}
`);
  writeFileSync(join(r, 'tasks/main.yml'), "- {name: main-task, debug: {msg: \"{{ r_port }} {{ r_name | default('UNDEF') }}\"}}\n");
  writeFileSync(join(r, 'tasks/other.yml'), '- {name: other-task, debug: {msg: "{{ r_x }}"}}\n');
  writeFileSync(join(r, 'tasks/nospec.yml'), '- {name: nospec-task, debug: {msg: nospec}}\n');
}

const PLAYBOOK = (roleVars: string, tasks: string): string => `
- hosts: all
  gather_facts: false
  roles:
    - {role: r, ${roleVars}}
  tasks:${tasks}
`;

// the role's path differs (each tool has its scratch directory)
const CTX = ['validate_args_context.name', 'validate_args_context.argument_spec_name', 'validate_args_context.type'];

describe('compat: role argument_specs (differential against ansible-playbook)', function () {
  this.timeout(240_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('validates at role entry (roles:, import_role, include_role with tasks_from) and passes', async () => {
    const d = await differential(PLAYBOOK('r_port: 8080, r_mode: a, r_items: [1, "2"], r_flag: "yes", r_conf: {host: h}', `
    - {name: imp, import_role: {name: r, tasks_from: other}, vars: {r_x: 3}}
    - {name: inc, include_role: {name: r, tasks_from: nospec}}
    - {name: inc2, include_role: {name: r, tasks_from: other}, vars: {r_x: "4"}}`), { setup: role, runs: 1 });
    assertSame(d, {
      "r : Validating arguments against arg spec 'main' - The main entry": ['changed', 'failed', 'msg', ...CTX],
      "r : Validating arguments against arg spec 'other'": ['changed', 'failed', 'msg', ...CTX],
      'r : main-task': ['msg'], 'r : other-task': ['msg'], 'r : nospec-task': ['msg'],
    }, { files: false });
  });

  // (an invalid bool is left out: Ansible lists the valid ones in a random order, a Python set's)
  it('fails with Ansible\'s message listing the problems', async () => {
    const d = await differential(PLAYBOOK('r_mode: c, r_items: [1, 2.5], r_conf: {port: 1}', ''), { setup: role, runs: 1 });
    assertSame(d, { "r : Validating arguments against arg spec 'main' - The main entry": ['changed', 'failed', 'msg', 'argument_errors', ...CTX] }, { files: false });
  });

  it('fails an import_role entry point with a missing required argument', async () => {
    const d = await differential(PLAYBOOK('r_port: 1', `
    - {name: imp, import_role: {name: r, tasks_from: other}, ignore_errors: true}
    - {name: after, debug: {msg: done}}`), { setup: role, runs: 1 });
    assertSame(d, { "r : Validating arguments against arg spec 'other'": ['changed', 'failed', 'msg', 'argument_errors'], after: ['msg'] }, { files: false });
  });
});
