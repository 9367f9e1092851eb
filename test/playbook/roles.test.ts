// Role search order (rolesPath, env, roles/ beside the playbook, npm packages, shipped roles),
// meta dependencies and resolveRole for include_role.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigErrors } from '../../src/errors.js';
import { loadPlaybook, resolveRole, shippedRolesDir } from '../../src/playbook/index.js';
import type { Block, Task, TaskNode } from '../../src/types.js';

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
function role(dir: string, name: string, files: Record<string, string> = {}): string {
  const r = path.join(dir, name);
  write(path.join(r, 'tasks/main.yml'), files.tasks ?? `- name: ${name} task\n  debug: msg=${name}\n`);
  for (const [k, v] of Object.entries(files)) if (k !== 'tasks') write(path.join(r, k), v);
  return r;
}
/** Names of the tasks in run order (blocks flattened), with the role each belongs to. */
function flat(nodes: TaskNode[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if (n.kind === 'block') out.push(...flat((n as Block).block));
    else out.push(`${n.role?.name ?? '-'}:${(n as Task).name ?? n.kind}`);
  }
  return out;
}

describe('playbook loader: roles', () => {
  let tmp: string;
  const saved = { l: process.env.LVSPLAY_ROLES_PATH, a: process.env.ANSIBLE_ROLES_PATH };
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'lvsplay-roles-'));
    delete process.env.LVSPLAY_ROLES_PATH;
    delete process.env.ANSIBLE_ROLES_PATH;
  });
  after(() => {
    if (saved.l === undefined) delete process.env.LVSPLAY_ROLES_PATH;
    else process.env.LVSPLAY_ROLES_PATH = saved.l;
    if (saved.a === undefined) delete process.env.ANSIBLE_ROLES_PATH;
    else process.env.ANSIBLE_ROLES_PATH = saved.a;
  });

  it('a role entry takes every task keyword (environment, remote_user, timeout, ...), its other keys are parameters; Ansible role attributes lvsplay lacks are refused', async () => {
    role(path.join(tmp, 'roles'), 'r');
    write(path.join(tmp, 'site.yml'), '- hosts: all\n  roles:\n    - { role: r, environment: { A: "1" }, remote_user: deploy, timeout: 5, app_port: 80 }\n');
    const pb = await loadPlaybook(path.join(tmp, 'site.yml'));
    const b = pb.plays[0].roleTasks[0] as Block;
    assert.deepEqual([b.environment, b.remoteUser, b.timeout], [{ A: '1' }, 'deploy', 5]);
    assert.deepEqual(pb.plays[0].roles[0].params, { app_port: 80 });
    write(path.join(tmp, 'bad.yml'), '- hosts: all\n  roles:\n    - { role: r, port: 2222 }\n');
    await assert.rejects(loadPlaybook(path.join(tmp, 'bad.yml')), (e: ConfigErrors) => /bad\.yml:3:18: 'port' on a role entry is a keyword of the role in Ansible, not a parameter; lvsplay does not support it/.test(String(e)));
  });

  it('finds a role in an installed npm package (node_modules/<pkg>/roles/<name>), walking up', async () => {
    role(path.join(tmp, 'node_modules/lvsplay-roles-web/roles'), 'nginx');
    write(path.join(tmp, 'node_modules/lvsplay-roles-web/package.json'), '{"name":"lvsplay-roles-web"}');
    const pbf = path.join(tmp, 'deploy/site.yml');
    write(pbf, '- hosts: all\n  roles: [nginx]\n');
    const pb = await loadPlaybook(pbf);
    assert.equal(pb.plays[0].roles[0].path, path.join(tmp, 'node_modules/lvsplay-roles-web/roles/nginx'));
    assert.deepEqual(flat(pb.plays[0].roleTasks), ['nginx:nginx task']);
  });

  it('uses package.json lvsplay.roles, scoped packages and pkg/role names', async () => {
    role(path.join(tmp, 'node_modules/@acme/ops/ansible'), 'lb');
    write(path.join(tmp, 'node_modules/@acme/ops/package.json'), '{"name":"@acme/ops","lvsplay":{"roles":"ansible"}}');
    write(path.join(tmp, 'site.yml'), '- hosts: all\n  roles: [lb, "@acme/ops/lb"]\n');
    const pb = await loadPlaybook(path.join(tmp, 'site.yml'));
    const want = path.join(tmp, 'node_modules/@acme/ops/ansible/lb');
    assert.deepEqual(pb.plays[0].roles.map((r) => r.path), [want, want]);
    // the same role with the same params runs once per play
    assert.deepEqual(flat(pb.plays[0].roleTasks), ['lb:lb task']);
  });

  it('search order: rolesPath option, then env, then roles/ beside the playbook, then npm', async () => {
    for (const d of ['opt', 'env', 'roles', 'node_modules/p/roles']) role(path.join(tmp, d), 'r', { tasks: `- name: from ${d}\n  debug: msg=x\n` });
    write(path.join(tmp, 'site.yml'), '- hosts: all\n  roles: [r]\n');
    const from = async (o?: string[]): Promise<string> => (await loadPlaybook(path.join(tmp, 'site.yml'), { rolesPath: o })).plays[0].roles[0].path;
    process.env.LVSPLAY_ROLES_PATH = `/nonexistent:${path.join(tmp, 'env')}`;
    assert.equal(await from([path.join(tmp, 'opt')]), path.join(tmp, 'opt/r'));
    assert.equal(await from(), path.join(tmp, 'env/r'));
    delete process.env.LVSPLAY_ROLES_PATH;
    process.env.ANSIBLE_ROLES_PATH = path.join(tmp, 'env');
    assert.equal(await from(), path.join(tmp, 'env/r'));
    delete process.env.ANSIBLE_ROLES_PATH;
    assert.equal(await from(), path.join(tmp, 'roles/r'));
  });

  it('shipped roles are found relative to the compiled loader', () => {
    assert.equal(path.basename(shippedRolesDir()), 'roles');
    assert.equal(path.dirname(shippedRolesDir()), path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..'));
  });

  it('runs meta dependencies first, each once unless allow_duplicates', async () => {
    const rd = path.join(tmp, 'roles');
    role(rd, 'base');
    role(rd, 'dup', { 'meta/main.yml': 'allow_duplicates: true\n' });
    role(rd, 'a', { 'meta/main.yml': 'dependencies: [base, dup]\n' });
    role(rd, 'b', { 'meta/main.yml': 'dependencies:\n  - base\n  - role: dup\n    when: x\n' });
    write(path.join(tmp, 'site.yml'), '- hosts: all\n  roles: [a, b]\n');
    const pb = await loadPlaybook(path.join(tmp, 'site.yml'));
    assert.deepEqual(flat(pb.plays[0].roleTasks), ['base:base task', 'dup:dup task', 'a:a task', 'dup:dup task', 'b:b task']);
    // the dependency's keywords wrap its tasks
    const bBlock = pb.plays[0].roleTasks[1] as Block;
    const dupBlock = bBlock.block[0] as Block;
    assert.equal(dupBlock.role?.name, 'dup');
    assert.deepEqual(dupBlock.when, ['x']);
  });

  it('reports circular role dependencies', async () => {
    const rd = path.join(tmp, 'roles');
    role(rd, 'x', { 'meta/main.yml': 'dependencies: [y]\n' });
    role(rd, 'y', { 'meta/main.yml': 'dependencies: [x]\n' });
    write(path.join(tmp, 'site.yml'), '- hosts: all\n  roles: [x]\n');
    await assert.rejects(loadPlaybook(path.join(tmp, 'site.yml')), (e: unknown) => {
      assert.ok(e instanceof ConfigErrors);
      assert.match(e.message, /meta\/main.yml:1:16: role 'x' depends on itself \(x -> y -> x\)/);
      return true;
    });
  });

  it('resolveRole (include_role) returns tasks, handlers, defaults, vars and params; tasks_from', async () => {
    const rd = path.join(tmp, 'roles');
    role(rd, 'dep');
    role(rd, 'svc', {
      'meta/main.yml': 'dependencies: [dep]\n',
      'defaults/main.yml': 'port: 80\n',
      'vars/main.yml': 'user: svc\n',
      'handlers/main.yml': '- name: restart svc\n  debug: msg=r\n',
      'tasks/alt.yml': '- name: alt task\n  debug: msg=alt\n',
    });
    const r = await resolveRole('svc', tmp, { port: 81 });
    assert.equal(r.role.name, 'svc');
    assert.equal(r.role.path, path.join(rd, 'svc'));
    assert.deepEqual(r.role.defaults, { port: 80 });
    assert.deepEqual(r.role.vars, { user: 'svc' });
    assert.deepEqual(r.role.params, { port: 81 });
    assert.deepEqual(flat(r.tasks), ['dep:dep task', 'svc:svc task']);
    assert.deepEqual(r.handlers.map((h) => `${h.role?.name}:${h.name}`), ['svc:restart svc']);
    const alt = await resolveRole('svc', tmp, {}, undefined, { tasksFrom: 'alt' });
    assert.deepEqual(flat(alt.tasks), ['dep:dep task', 'svc:alt task']);
    // a role inside a role's tasks dir finds its siblings (include_role from roles/x/tasks)
    const sib = await resolveRole('dep', path.join(rd, 'svc/tasks'), {});
    assert.equal(sib.role.path, path.join(rd, 'dep'));
    await assert.rejects(resolveRole('nope', tmp, {}), /role 'nope' not found/);
  });

  it('role errors point into the role files', async () => {
    role(path.join(tmp, 'roles'), 'bad', { tasks: '- name: t\n  debgu: msg=x\n', 'defaults/main.yml': '- not a mapping\n' });
    write(path.join(tmp, 'site.yml'), '- hosts: all\n  roles: [bad]\n');
    await assert.rejects(loadPlaybook(path.join(tmp, 'site.yml')), (e: unknown) => {
      assert.ok(e instanceof ConfigErrors);
      assert.match(e.message, /roles\/bad\/defaults\/main.yml:1:1: '.*' must be a mapping of variables, got list/);
      assert.match(e.message, /roles\/bad\/tasks\/main.yml:2:3: unknown module 'debgu' \(did you mean 'debug'\?\)/);
      return true;
    });
  });
});
