// Free-form arguments and module argument validation.
import assert from 'node:assert/strict';
import { parseFreeForm, splitArgs, validateModuleArgs } from '../../src/playbook/index.js';
import type { Vars } from '../../src/types.js';
import { registerFakes } from './fakes.js';

const pos = { file: 'x.yml', line: 3, col: 5 };

describe('playbook loader: free-form arguments', () => {
  it('splits on spaces outside quotes and Jinja expressions', () => {
    assert.deepEqual(
      splitArgs(`a=1  b="x y" c='p q' d={{ foo | default('a b') }} e`).map((t) => t.text),
      ['a=1', 'b="x y"', "c='p q'", "d={{ foo | default('a b') }}", 'e'],
    );
  });

  it("kv: k=v pairs with quotes removed; other words are reported", () => {
    const r = parseFreeForm(`name=net.ipv4.ip_forward value="1 2" msg='a b' junk`, 'kv');
    assert.equal(r.args.name, 'net.ipv4.ip_forward');
    assert.equal(r.args.value, '1 2');
    assert.equal(r.offsets.value, 25);
    assert.equal(r.args.msg, 'a b');
    assert.deepEqual(r.bad.map((t) => t.text), ['junk']);
  });

  it('raw: known k=v become arguments, the command keeps its text and spacing', () => {
    const r = parseFreeForm(`echo  "a  b" | tr a b chdir=/tmp creates=/x`, 'raw', ['chdir', 'creates', '_raw_params']);
    assert.deepEqual(r.args, { chdir: '/tmp', creates: '/x', _raw_params: 'echo  "a  b" | tr a b' });
    const s = parseFreeForm('FOO=bar env chdir=/srv', 'raw', ['chdir']);
    assert.deepEqual(s.args, { chdir: '/srv', _raw_params: 'FOO=bar env' });
    const m = parseFreeForm('ls chdir=/srv -l', 'raw', ['chdir']);
    assert.deepEqual(m.args, { chdir: '/srv', _raw_params: 'ls -l' });
  });
});

describe('playbook loader: validateModuleArgs', () => {
  before(() => registerFakes());

  it('accepts valid args and converts yes/no and numbers as Ansible does', () => {
    const args: Vars = { name: 'a', value: 1, reload: 'yes', sysctl_set: 'off' };
    assert.deepEqual(validateModuleArgs('x_sysctl', args, pos), []);
    assert.deepEqual(args, { name: 'a', value: '1', reload: true, sysctl_set: false });
  });

  it('finds modules by FQCN', () => {
    assert.deepEqual(validateModuleArgs('ansible.posix.x_sysctl', { name: 'a' }, pos), []);
    assert.deepEqual(validateModuleArgs('ansible.builtin.command', { _raw_params: 'ls' }, pos), []);
  });

  it('skips type and enum errors on templated values (checked again after templating)', () => {
    assert.deepEqual(validateModuleArgs('x_sysctl', { name: 'a', state: '{{ s }}', reload: '{{ r }}' }, pos), []);
    const after = validateModuleArgs('x_sysctl', { name: 'a', state: 'gone' }, pos, { state: { file: 'x.yml', line: 9, col: 14 } });
    assert.equal(after.map(String).join(), `x.yml:9:14: x_sysctl argument 'state' must be one of present, absent, got "gone"`);
  });

  it('reports unknown arguments with did-you-mean, missing required ones, and unknown modules', () => {
    const errs = validateModuleArgs('x_sysctl', { nmae: 'a', valeu: 1 }, pos).map(String);
    assert.equal(errs.length, 3);
    assert.match(errs[0], /^x.yml:3:5: unknown argument 'nmae' for module x_sysctl \(did you mean 'name'\?\); expected one of: name, value/);
    assert.match(errs[1], /unknown argument 'valeu' .*did you mean 'value'/);
    assert.match(errs[2], /missing required argument 'name' for module x_sysctl/);
    assert.equal(validateModuleArgs('x_sysctll', {}, pos).map(String).join(), `x.yml:3:5: unknown module 'x_sysctll' (did you mean 'x_sysctl'?)`);
  });

  it("refuses an Ansible argument the module declares unsupported, saying so at the argument's position", () => {
    const errs = validateModuleArgs('user', { name: 'a', generate_ssh_key: true, ssh_key_passphrase: 'x' }, pos, {}, { ssh_key_passphrase: { file: 'x.yml', line: 4, col: 20 } }).map(String);
    assert.deepEqual(errs, ["x.yml:4:20: argument 'ssh_key_passphrase' of module user is not supported by lvsplay (ssh-keygen would take it on its command line, visible on the host; generate the key with its passphrase another way)"]);
  });

  it('apt: refuses the Ansible arguments lvsplay lacks (upgrade, clean, ...) at their position; accepts deb, default_release, force, autoremove, autoclean, allow_downgrade, dpkg_options, only_upgrade', () => {
    const errs = validateModuleArgs('apt', { upgrade: 'dist', clean: true }, pos, {}, { upgrade: { file: 'x.yml', line: 4, col: 9 } }).map(String);
    assert.deepEqual(errs, ["x.yml:4:9: argument 'upgrade' of module apt is not supported by lvsplay", "x.yml:3:5: argument 'clean' of module apt is not supported by lvsplay"]);
    const ok = { deb: '/tmp/x.deb', default_release: 'bookworm-backports', force: true, autoremove: true, autoclean: true, allow_downgrade: true, allow_downgrades: true, dpkg_options: 'force-confnew', only_upgrade: true };
    assert.deepEqual(validateModuleArgs('ansible.builtin.apt', ok, pos), []);
  });

  it('validates control actions (meta, include_role)', () => {
    assert.deepEqual(validateModuleArgs('include_role', { name: 'x', tasks_from: 'y' }, pos), []);
    assert.match(validateModuleArgs('include_role', { name: 'x', task_from: 'y' }, pos).map(String).join(), /did you mean 'tasks_from'/);
    assert.match(validateModuleArgs('include_tasks', {}, pos).map(String).join(), /missing required argument 'file'/);
  });
});
