// git, differential against ansible-playbook 2.14, on repositories this test makes (file:// and
// paths only, never the network; fixed dates so both tools see the same shas): clones of HEAD, a
// tag, a branch (depth, single_branch), a sha, bare, clone: false; check mode, a second run that
// changes nothing; then updates after an upstream commit, local modifications (force), a new
// remote URL, moving between tag and branch. Results (before, after, remote_url_changed), counts
// and the checked-out files (git's own .git internals aside) compared.
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

const GIT_ENV = 'GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com';
const commit = (msg: string, date: string): string => `${GIT_ENV} GIT_AUTHOR_DATE='${date}' GIT_COMMITTER_DATE='${date}' git commit -q -m '${msg}'`;

/** The upstream repository beside the scratch dir: main (2 commits, tags v1 light and v2 annotated), dev. */
function upstream(w: string): void {
  const up = join(w, '..', 'up');
  execSync(
    [
      `git init -q -b main ${up}`, `cd ${up}`,
      'echo one > a.txt', 'git add a.txt', commit('one', '2024-01-01T00:00:00Z'), 'git tag v1',
      'echo two > b.txt', 'git add b.txt', commit('two', '2024-01-02T00:00:00Z'),
      `${GIT_ENV} GIT_COMMITTER_DATE='2024-01-02T00:00:00Z' git tag -a v2 -m v2`,
      'git checkout -q -b dev', 'echo dev > dev.txt', 'git add dev.txt', commit('dev', '2024-01-03T00:00:00Z'), 'git checkout -q main',
      `git clone -q --bare ${up} ${join(w, '..', 'mirror.git')}`,
    ].join(' && '),
    { shell: '/bin/sh' },
  );
}

const ignore = /(^|\/)\.git(\/|$)|^bare\.git\//;
const FIELDS = ['changed', 'failed', 'skipped', 'before', 'after', 'remote_url_changed', 'msg'];

describe('compat: git (differential against ansible-playbook)', function () {
  this.timeout(300_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('clones HEAD, tags, branches, shas, bare and shallow like Ansible; check mode; a second run changes nothing', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  vars: {up: "{{ work | dirname }}/up"}
  tasks:
    - {name: head, git: {repo: "{{ up }}", dest: "{{ work }}/head"}, register: r}
    - {name: tag, ansible.builtin.git: {repo: "file://{{ up }}", dest: "{{ work }}/tag", version: v2}, register: r}
    - {name: light, git: {repo: "{{ up }}", dest: "{{ work }}/light", version: v1}, register: r}
    - {name: branch, git: {repo: "{{ up }}", dest: "{{ work }}/branch", version: dev, depth: 1}, register: r}
    - {name: single, git: {repo: "{{ up }}", dest: "{{ work }}/single", version: dev, single_branch: true}, register: r}
    - {name: sha, git: {name: "{{ up }}", dest: "{{ work }}/sub/sha", version: "{{ lookup('pipe', 'git -C ' ~ up ~ ' rev-parse v1') }}"}, register: r}
    - {name: bare, git: {repo: "{{ up }}", dest: "{{ work }}/bare.git", bare: true}, register: r}
    - {name: noclone, git: {repo: "{{ up }}", dest: "{{ work }}/none", clone: false, version: dev}, register: r}
    - {name: noupdate, git: {repo: "{{ up }}", dest: "{{ work }}/head", update: false, version: dev}, register: r}
    - {name: badversion, git: {repo: "{{ up }}", dest: "{{ work }}/bad", version: nosuch}, register: r, ignore_errors: true}
`,
      { setup: upstream, runs: 3, runArgs: (i) => (i === 0 ? ['--check', '--diff'] : ['--diff']), ignore },
    );
    const tasks = ['head', 'tag', 'light', 'branch', 'single', 'sha', 'bare', 'noclone', 'noupdate'];
    assertSame(d, { ...Object.fromEntries(tasks.map((t) => [t, [...FIELDS, 'diff']])), badversion: ['changed', 'failed'] });
  });

  it('updates after an upstream commit, resets local changes only with force, follows a new URL, moves between versions', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  vars: {up: "{{ work | dirname }}/up", co: "{{ work }}/co"}
  tasks:
    - {name: clone, git: {repo: "{{ up }}", dest: "{{ co }}"}, register: r}
    - {name: upstream, shell: "cd {{ up }} && echo three > c.txt && git add c.txt && ${commit('three', '2024-01-04T00:00:00Z')}"}
    - {name: update-check, git: {repo: "{{ up }}", dest: "{{ co }}"}, register: r, check_mode: true}
    - {name: update, git: {repo: "{{ up }}", dest: "{{ co }}"}, register: r}
    - {name: again, git: {repo: "{{ up }}", dest: "{{ co }}"}, register: r}
    - {name: modify, shell: "echo local >> {{ co }}/a.txt && echo untracked > {{ co }}/new.txt"}
    - {name: refused, git: {repo: "{{ up }}", dest: "{{ co }}"}, register: r, ignore_errors: true}
    - {name: forced, git: {repo: "{{ up }}", dest: "{{ co }}", force: true}, register: r}
    - {name: newurl-check, git: {repo: "{{ work | dirname }}/mirror.git", dest: "{{ co }}"}, register: r, check_mode: true}
    - {name: newurl, git: {repo: "{{ work | dirname }}/mirror.git", dest: "{{ co }}"}, register: r}
    - {name: totag, git: {repo: "{{ work | dirname }}/mirror.git", dest: "{{ co }}", version: v1}, register: r}
    - {name: tobranch, git: {repo: "{{ work | dirname }}/mirror.git", dest: "{{ co }}", version: dev}, register: r}
    - {name: samebranch, git: {repo: "{{ work | dirname }}/mirror.git", dest: "{{ co }}", version: dev}, register: r}
`,
      { setup: upstream, runs: 1, ignore, args: ['--diff'] },
    );
    // check mode with --diff: Ansible fetches to show the diff; lvsplay's plan does not fetch, so no diff.prepared there
    const tasks = ['clone', 'update', 'again', 'refused', 'forced', 'newurl', 'totag', 'tobranch', 'samebranch'];
    assertSame(d, { ...Object.fromEntries(tasks.map((t) => [t, [...FIELDS, 'diff']])), 'update-check': FIELDS, 'newurl-check': FIELDS });
  });
});
