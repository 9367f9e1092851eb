// Loading every supported construct into the model (fixture test/fixtures/playbooks/full).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { displayPath, loadPlaybook, loadTaskFile } from '../../src/playbook/index.js';
import type { Block, Handler, IncludeNode, Play, Playbook, Task, TaskNode } from '../../src/types.js';
import { FIX, registerFakes } from './fakes.js';

const task = (n: TaskNode | undefined): Task => {
  assert.equal(n?.kind, 'task');
  return n as Task;
};
const block = (n: TaskNode | undefined): Block => {
  assert.equal(n?.kind, 'block');
  return n as Block;
};
const inc = (n: TaskNode | undefined): IncludeNode => {
  assert.equal(n?.kind, 'include');
  return n as IncludeNode;
};
const at = (n: { pos: { file: string; line: number; col: number } }): string => `${path.basename(n.pos.file)}:${n.pos.line}:${n.pos.col}`;

describe('playbook loader: constructs', () => {
  let pb: Playbook;
  let play: Play;
  before(async () => {
    registerFakes();
    pb = await loadPlaybook(path.join(FIX, 'full/site.yml'));
    play = pb.plays[0];
  });

  it('returns the absolute file and playbook_dir', () => {
    assert.equal(pb.file, path.join(FIX, 'full/site.yml'));
    assert.equal(pb.dir, path.join(FIX, 'full'));
  });

  it('reads play keywords (YAML 1.1 booleans and octal as Ansible)', () => {
    assert.equal(play.name, 'Web servers');
    assert.equal(play.hosts, 'web:db:&prod');
    assert.equal(play.become, true);
    assert.equal(play.becomeUser, 'root');
    assert.equal(play.gatherFacts, false);
    assert.equal(play.serial, 2);
    assert.equal(play.anyErrorsFatal, true);
    assert.equal(play.forceHandlers, true);
    assert.equal(play.connection, 'local');
    assert.equal(play.remoteUser, 'deploy');
    assert.deepEqual(play.tags, ['play1']);
    assert.equal(play.checkMode, false);
    assert.equal(play.diff, true);
    assert.deepEqual(play.vars, { port: 8080, mode: 0o644 });
    assert.equal(play.file, path.join(FIX, 'full/site.yml'));
    assert.deepEqual(play.pos, { file: displayPath(path.join(FIX, 'full/site.yml')), line: 2, col: 3 });
  });

  it('loads vars_files relative to the playbook, first existing alternative', () => {
    assert.deepEqual(play.varsFiles, { common_var: 'c', fallback_var: 'f' });
  });

  it('resolves roles with params, defaults, vars, when/tags; meta dependencies first, each once', () => {
    assert.deepEqual(play.roles.map((r) => r.name), ['common', 'web']);
    const web = play.roles[1];
    assert.deepEqual(web.params, { web_port: 81 });
    assert.deepEqual(web.defaults, { web_port: 80 });
    assert.deepEqual(web.vars, { web_user: 'www' });
    assert.equal(web.path, path.join(FIX, 'full/roles/web'));
    const [common, webBlock] = play.roleTasks.map(block);
    assert.equal(common.role?.name, 'common');
    assert.equal(task(common.block[0]).name, 'common task');
    assert.equal(task(common.block[0]).role?.name, 'common');
    assert.deepEqual(webBlock.when, ['port > 0']);
    assert.deepEqual(webBlock.tags, ['web']);
    // web depends on base (base_x: 2) and common; common already ran in this play: not repeated
    const dep = block(webBlock.block[0]);
    assert.equal(dep.role?.name, 'base');
    assert.deepEqual(dep.role?.params, { base_x: 2 });
    assert.equal(task(dep.block[0]).name, 'base task');
    assert.deepEqual(webBlock.block.slice(1).map((n) => task(n).name), ['web task', 'role-qualified notify']);
  });

  it('parses free-form command lines: known k=v become arguments, the rest _raw_params', () => {
    const t = task(play.tasks[0]);
    assert.equal(t.action, 'command');
    assert.deepEqual(t.args, { _raw_params: 'ls -l /tmp', chdir: '/var', creates: '/etc/x' });
    assert.equal(t.register, 'out');
    assert.deepEqual(t.changedWhen, ['False']);
    assert.deepEqual(t.failedWhen, ['{{ out.rc != 0 }}']); // kept as written: the templar renders it first, as Ansible (unsafe results then fail)
    assert.deepEqual(t.notify, ['restart web']);
    assert.deepEqual(t.tags, ['a', 'b']);
    assert.equal(at(t), 'site.yml:33:7');
    assert.equal(at({ pos: t.argsPos.chdir }), 'site.yml:34:27');
  });

  it('reads every task keyword', () => {
    const t = task(play.tasks[1]);
    assert.equal(t.action, 'shell');
    assert.equal(t.actionAs, 'ansible.builtin.shell');
    assert.deepEqual(t.args, { cmd: 'echo {{ item }}' });
    assert.deepEqual(t.loop, [1, 2]);
    assert.equal(t.loopVar, 'n');
    assert.equal(t.indexVar, 'i');
    assert.equal(t.loopLabel, '{{ n }}');
    assert.deepEqual(t.when, ['port == 8080', 'True']);
    assert.equal(t.until, 'out is success');
    assert.equal(t.retries, 3);
    assert.equal(t.delay, 1.5);
    assert.equal(t.ignoreErrors, true);
    assert.equal(t.noLog, true);
    assert.equal(t.checkMode, false);
    assert.equal(t.diff, false);
    assert.equal(t.delegateTo, 'localhost');
    assert.equal(t.runOnce, true);
    assert.equal(t.become, false);
    assert.equal(t.becomeUser, 'nobody');
    assert.deepEqual(t.vars, { x: 1 });
    assert.equal(t.file, path.join(FIX, 'full/site.yml'));
  });

  it('with_items becomes loop; k=v args are converted by the module schema (yes -> true)', () => {
    const t = task(play.tasks[2]);
    assert.equal(t.loop, '{{ things }}');
    assert.equal(t.loopWith, 'items');
    assert.equal(t.loopVar, 'item');
    assert.deepEqual(t.args, { name: 'net.ipv4.ip_forward', value: '1', reload: true });
  });

  it('merges the args: keyword with free-form arguments', () => {
    assert.deepEqual(task(play.tasks[3]).args, { _raw_params: 'echo hi', chdir: '/srv' });
  });

  it('reads block/rescue/always with block keywords', () => {
    const b = block(play.tasks[4]);
    assert.equal(b.name, 'a block');
    assert.deepEqual(b.when, ['port']);
    assert.equal(task(b.block[0]).name, 'in block');
    assert.equal(task(b.rescue[0]).name, 'rescuing');
    const m = task(b.always[0]);
    assert.equal(m.action, 'meta');
    assert.deepEqual(m.args, { _raw_params: 'flush_handlers' });
  });

  it('expands import_tasks statically (inline, or as a block when it has keywords)', () => {
    const plain = task(play.tasks[5]);
    assert.equal(plain.name, 'extra one');
    assert.equal(plain.file, path.join(FIX, 'full/tasks/extra.yml'));
    assert.equal(at(plain), 'extra.yml:1:3');
    const wrapped = block(play.tasks[6]);
    assert.deepEqual(wrapped.when, ['port == 1']);
    assert.deepEqual(wrapped.tags, ['imp']);
    assert.equal(task(wrapped.block[0]).name, 'extra one');
  });

  it('keeps include_tasks / include_role for run time', () => {
    const a = inc(play.tasks[7]);
    assert.equal(a.what, 'tasks');
    assert.equal(a.target, 'tasks/{{ which }}.yml');
    assert.deepEqual(a.loop, ['a', 'b']);
    const b = inc(play.tasks[8]);
    assert.equal(b.target, 'tasks/dyn.yml');
    const r = inc(play.tasks[9]);
    assert.equal(r.what, 'role');
    assert.equal(r.target, 'web');
    assert.deepEqual(r.params, { name: 'web', tasks_from: 'other' });
    assert.deepEqual(r.vars, { web_port: 99 });
  });

  it('expands import_role into a block with the role', () => {
    const b = block(play.tasks[10]);
    assert.equal(b.role?.name, 'base');
    assert.deepEqual(b.role?.defaults, { base_x: 1 });
    assert.equal(task(b.block[0]).name, 'base task');
  });

  it('accepts FQCNs of modules (ansible.posix.x)', () => {
    const t = task(play.postTasks[0]);
    assert.equal(t.action, 'x_sysctl');
    assert.equal(t.actionAs, 'ansible.posix.x_sysctl');
    assert.deepEqual(t.args, { name: '{{ key }}', value: '2' }); // 2 -> "2": the schema says string
  });

  it("lists the handlers in Ansible's load order (the roles: section's before the play's own), with listen", () => {
    const names = play.handlers.map((h) => h.name);
    assert.deepEqual(names, ['reload web', 'restart web']);
    assert.equal(play.handlers[0].role?.name, 'web');
    assert.deepEqual((play.handlers[1] as Handler).listen, ['web changed']);
  });

  it('expands import_playbook with its vars', () => {
    assert.equal(pb.plays.length, 2);
    const other = pb.plays[1];
    assert.equal(other.hosts, 'all');
    assert.equal(other.file, path.join(FIX, 'full/other.yml'));
    assert.deepEqual(other.vars, { from_import: 1 });
    assert.equal(task(other.tasks[0]).action, 'debug');
  });

  it('reads booleans as PyYAML does: yes/no/on/off, but y and n stay strings', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-pb-'));
    writeFileSync(path.join(dir, 'pb.yml'), '- hosts: all\n  vars: { a: y, b: n, c: on, d: No }\n  tasks:\n    - include_vars: v.yml\n    - ansible.builtin.include_vars: { file: v.yml, name: vv }\n');
    const p = (await loadPlaybook(path.join(dir, 'pb.yml'))).plays[0];
    assert.deepEqual(p.vars, { a: 'y', b: 'n', c: true, d: false });
    assert.deepEqual(task(p.tasks[0]).args, { file: 'v.yml' });
    assert.equal(task(p.tasks[1]).action, 'include_vars');
    assert.deepEqual(task(p.tasks[1]).args, { file: 'v.yml', name: 'vv' });
  });

  it('with_<lookup> keeps its terms and lookup, loop_control.extended; an unknown with_<name> is refused at its position', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lvsplay-pb-'));
    const pbText = (t: string) => `- hosts: all\n  tasks:\n${t}`;
    writeFileSync(path.join(dir, 'ok.yml'), pbText('    - debug: { msg: x }\n      with_dict: { a: 1 }\n      loop_control: { extended: true, extended_allitems: false, index_var: i }\n    - include_tasks: x.yml\n      with_first_found: [a.yml]\n'));
    const p = (await loadPlaybook(path.join(dir, 'ok.yml'))).plays[0];
    const t = task(p.tasks[0]);
    assert.deepEqual([t.loop, t.loopWith, t.loopExtended, t.loopAllItems, t.indexVar], [{ a: 1 }, 'dict', true, false, 'i']);
    assert.deepEqual([inc(p.tasks[1]).loop, inc(p.tasks[1]).loopWith], [['a.yml'], 'first_found']);
    writeFileSync(path.join(dir, 'bad.yml'), pbText('    - debug: { msg: x }\n      with_nosuch: [a]\n    - debug: { msg: x }\n      loop: [a]\n      with_items: [b]\n'));
    await assert.rejects(loadPlaybook(path.join(dir, 'bad.yml')), (e: Error) => {
      assert.match(e.message, /bad\.yml:4:7: 'with_nosuch': lvsplay has no lookup plugin 'nosuch'.*with_subelements/);
      assert.match(e.message, /bad\.yml:7:7: conflicting loops: loop, with_items/);
      return true;
    });
  });

  it('loadTaskFile loads a task file for include_tasks, with the role set', async () => {
    const role = pb.plays[0].roles[1];
    const nodes = await loadTaskFile(path.join(FIX, 'full/roles/web/tasks/other.yml'), { role });
    assert.equal(nodes.length, 1);
    assert.equal(task(nodes[0]).name, 'web other');
    assert.equal(nodes[0].role, role);
  });
});
