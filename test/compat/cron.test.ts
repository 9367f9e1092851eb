// cron (with cron_file in a scratch directory): jobs, variables, special times, disabling, removal
// (the file goes with its last job), counts over two runs and the files, compared with ansible-playbook 2.14.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: cron (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('fails without a crontab program, as Ansible does', async () => {
    const d = await differential(`
- hosts: all
  gather_facts: false
  tasks:
    - {name: add, cron: {name: x, cron_file: "{{ work }}/app", user: root, job: /bin/x}, register: r, ignore_errors: true}
`, { runs: 1, env: { PATH: '/usr/bin:/bin' } });
    assertSame(d, { add: ['changed', 'failed'] });
  });

  // This machine may have no cron: a stub crontab on PATH (cron_file never runs it, Ansible only looks for it).
  const bin = mkdtempSync(join(tmpdir(), 'lvsplay-crontab-'));
  writeFileSync(join(bin, 'crontab'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  const env = { PATH: `${bin}:${process.env.PATH}` };

  it('manages jobs and variables in a cron_file like Ansible, idempotently', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: add, cron: {name: backup, cron_file: "{{ work }}/app", user: root, minute: "5", hour: "2", job: /usr/local/bin/backup}, register: r}
    - {name: special, ansible.builtin.cron: {name: boot, cron_file: "{{ work }}/app", user: root, special_time: reboot, job: /bin/true}, register: r}
    - {name: update, cron: {name: old, cron_file: "{{ work }}/app", user: root, weekday: "1", job: /bin/new}, register: r}
    - {name: disabled, cron: {name: offjob, cron_file: "{{ work }}/app", user: root, disabled: true, job: /bin/off}, register: r}
    - {name: env, cron: {name: PATH, env: true, cron_file: "{{ work }}/app", user: root, job: "/usr/bin:/bin"}, register: r}
    - {name: env2, cron: {name: MAILTO, env: true, cron_file: "{{ work }}/app", user: root, job: "ops", insertafter: PATH}, register: r}
    - {name: adopt, cron: {name: bare, cron_file: "{{ work }}/app", user: root, job: "/bin/bare"}, register: r}
    - {name: remove, cron: {name: gone, cron_file: "{{ work }}/app", state: absent}, register: r}
    - {name: lastjob, cron: {name: only, cron_file: "{{ work }}/single", state: absent}, register: r}
    - {name: bad, cron: {name: x, cron_file: "{{ work }}/app", user: root, special_time: daily, hour: "3", job: y}, register: r, ignore_errors: true}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'app'), '#Ansible: old\n* * * * * root /bin/old\n#Ansible: gone\n1 1 1 1 1 root /bin/gone\n* * * * * root /bin/bare\n# keep me');
          writeFileSync(join(w, 'single'), '#Ansible: only\n* * * * * root /bin/only\n');
        },
        env,
      },
    );
    const f = ['changed', 'failed', 'msg', 'jobs', 'envs', 'cron_file', 'state'];
    assertSame(d, Object.fromEntries(['add', 'special', 'update', 'disabled', 'env', 'env2', 'adopt', 'remove', 'lastjob', 'bad'].map((t) => [t, f])));
  });
});
