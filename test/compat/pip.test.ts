// pip: a virtualenv created with `python3 -m venv`, installs from a local wheel directory (wheels this
// test writes; pip is given no index, so nothing leaves the machine), version specifiers, latest,
// absent, forcereinstall, requirements files, an executable, check mode and the argument errors —
// compared with ansible-playbook 2.14: results (changed, cmd, name, version, state, requirements,
// virtualenv, msg), recap counts, exit codes and what pip lists in the virtualenv afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

/** A pure-Python wheel (name, version) written with Python's zipfile (fixed dates: the same bytes every time): METADATA, WHEEL, RECORD and a module. */
const MKWHEEL = `
import os, sys, zipfile
d, name, ver = sys.argv[1:4]
info = "%s-%s.dist-info" % (name, ver)
files = {
    "%s/__init__.py" % name: "VERSION = %r\\n" % ver,
    info + "/METADATA": "Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (name, ver),
    info + "/WHEEL": "Wheel-Version: 1.0\\nGenerator: lvsplay-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
with zipfile.ZipFile(os.path.join(d, "%s-%s-py3-none-any.whl" % (name, ver)), "w") as z:
    files[info + "/RECORD"] = "".join(p + ",,\\n" for p in files) + info + "/RECORD,,\\n"
    for p, c in files.items():
        z.writestr(zipfile.ZipInfo(p, date_time=(2020, 1, 1, 0, 0, 0)), c)
`;

function pythonWithVenv(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import ensurepip, venv'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every run: no pip configuration of the machine, never an index (only the wheels directory). */
const PIP_ENV = { PIP_CONFIG_FILE: '/dev/null', PIP_NO_INDEX: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };

const setup = (work: string): void => {
  const wheels = join(work, 'wheels');
  mkdirSync(wheels);
  for (const [n, v] of [['lvsdemo', '1.0'], ['lvsdemo', '1.1'], ['lvs_other', '0.5'], ['lvs_other', '0.6rc1']]) execFileSync('/usr/bin/python3', ['-c', MKWHEEL, wheels, n, v]);
  writeFileSync(join(work, 'reqs.txt'), 'lvsdemo==1.0\nlvs-other<0.6\n');
};

const RESULT = ['changed', 'failed', 'cmd', 'name', 'version', 'state', 'requirements', 'virtualenv', 'msg', 'skipped'];
const LISTED = ['stdout'];
/** The play's head: the virtualenv's path and pip's arguments for the local wheels. */
const PLAY = `
- hosts: all
  gather_facts: false
  vars:
    venv: "{{ work }}/venv"
    local: "--find-links {{ work }}/wheels"
  tasks:`;
/** Files compared: the wheels and requirements, not the virtualenv's own files (paths inside them differ). */
const IGNORE = /^venv/;

describe('compat: pip (differential against ansible-playbook)', function () {
  this.timeout(300_000);
  before(function () {
    skipWithoutAnsible(this);
    if (!existsSync('/usr/bin/python3') || !pythonWithVenv()) {
      console.log('    (skipped: /usr/bin/python3 with venv and ensurepip is missing — .ci/setup installs python3-venv)');
      this.skip();
    }
  });

  it('creates a virtualenv and installs, upgrades, reinstalls and removes packages; unchanged on the second run', async () => {
    const d = await differential(
      `${PLAY}
    - name: first
      pip: {name: lvsdemo==1.0, virtualenv: "{{ venv }}", virtualenv_command: /usr/bin/python3 -m venv, extra_args: "{{ local }}"}
      register: r
    - name: satisfied
      pip: {name: "lvsdemo>=1.0", virtualenv: "{{ venv }}"}
    - name: version argument
      ansible.builtin.pip: {name: lvsdemo, version: "1.0", virtualenv: "{{ venv }}"}
    - name: specifier split at a comma
      pip: {name: "lvsdemo>=0.9,<1.1", virtualenv: "{{ venv }}"}
    - name: other
      pip: {name: lvs-other, virtualenv: "{{ venv }}", extra_args: "{{ local }}"}
    - name: listed
      command: "{{ venv }}/bin/pip list --format=freeze --exclude pip --exclude setuptools"
      changed_when: false
    - name: remove
      pip: {name: [LVS.Other], state: absent, virtualenv: "{{ venv }}"}
    - name: remove again
      pip: {name: lvs_other, state: absent, virtualenv: "{{ venv }}"}
    - name: with the executable
      pip: {name: lvs_other==0.5, executable: "{{ venv }}/bin/pip", extra_args: "{{ local }}"}
    - name: executable satisfied
      pip: {name: lvs_other, executable: "{{ venv }}/bin/pip"}
    - name: cleanup other
      pip: {name: lvs_other, state: absent, virtualenv: "{{ venv }}"}
    - name: listed after
      command: "{{ venv }}/bin/pip list --format=freeze --exclude pip --exclude setuptools"
      changed_when: false
`,
      { setup, env: PIP_ENV, ignore: IGNORE },
    );
    const t = Object.fromEntries(['first', 'satisfied', 'version argument', 'specifier split at a comma', 'other', 'remove', 'remove again', 'with the executable', 'executable satisfied', 'cleanup other'].map((n) => [n, RESULT]));
    assertSame(d, { ...t, listed: LISTED, 'listed after': LISTED }, { files: true });
  });

  it('latest, forcereinstall and a requirements file (changed from the package list before and after)', async () => {
    const d = await differential(
      `${PLAY}
    - name: requirements
      pip: {requirements: "{{ work }}/reqs.txt", virtualenv: "{{ venv }}", virtualenv_command: /usr/bin/python3 -m venv, extra_args: "{{ local }}"}
    - name: requirements relative to chdir
      pip: {requirements: reqs.txt, chdir: "{{ work }}", virtualenv: venv, extra_args: "{{ local }}"}
    - name: latest
      pip: {name: [lvsdemo, lvs_other], state: latest, virtualenv: "{{ venv }}", extra_args: "{{ local }}"}
    - name: pre-release by specifier
      pip: {name: "lvs_other>=0.6rc1", virtualenv: "{{ venv }}", extra_args: "{{ local }} --pre"}
    - name: forcereinstall
      pip: {name: lvsdemo==1.1, state: forcereinstall, virtualenv: "{{ venv }}", extra_args: "{{ local }}"}
    - name: listed
      command: "{{ venv }}/bin/pip list --format=freeze --exclude pip --exclude setuptools"
      changed_when: false
    - name: downgrade for the next run
      pip: {name: [lvsdemo==1.0, lvs_other==0.5], virtualenv: "{{ venv }}", extra_args: "{{ local }}"}
`,
      { setup, env: PIP_ENV, ignore: IGNORE },
    );
    const t = Object.fromEntries(['requirements', 'requirements relative to chdir', 'latest', 'pre-release by specifier', 'forcereinstall', 'downgrade for the next run'].map((n) => [n, RESULT]));
    assertSame(d, { ...t, listed: LISTED });
  });

  it('check mode: a missing virtualenv, missing, satisfied and installed packages, latest and requirements', async () => {
    const d = await differential(
      `${PLAY}
    - name: no virtualenv yet
      pip: {name: lvsdemo, virtualenv: "{{ work }}/other-venv", virtualenv_command: /usr/bin/python3 -m venv}
    - name: make the virtualenv
      pip: {name: lvsdemo==1.0, virtualenv: "{{ venv }}", virtualenv_command: /usr/bin/python3 -m venv, extra_args: "{{ local }}"}
      check_mode: false
    - name: missing
      pip: {name: lvs_other, virtualenv: "{{ venv }}"}
    - name: satisfied
      pip: {name: "lvsdemo<2", virtualenv: "{{ venv }}"}
    - name: wrong version
      pip: {name: "lvsdemo==1.1", virtualenv: "{{ venv }}"}
    - name: absent installed
      pip: {name: lvsdemo, state: absent, virtualenv: "{{ venv }}"}
    - name: absent missing
      pip: {name: lvs_other, state: absent, virtualenv: "{{ venv }}"}
    - name: latest
      pip: {name: lvsdemo, state: latest, virtualenv: "{{ venv }}"}
    - name: forcereinstall
      pip: {name: lvsdemo, state: forcereinstall, virtualenv: "{{ venv }}"}
    - name: requirements
      pip: {requirements: "{{ work }}/reqs.txt", virtualenv: "{{ venv }}"}
    - name: listed
      command: "{{ venv }}/bin/pip list --format=freeze --exclude pip --exclude setuptools"
      changed_when: false
      check_mode: false
`,
      { setup, env: PIP_ENV, ignore: /^(venv|other-venv)/, args: ['--check'], runs: 1 },
    );
    const t = Object.fromEntries(['no virtualenv yet', 'missing', 'satisfied', 'wrong version', 'absent installed', 'absent missing', 'latest', 'forcereinstall', 'requirements'].map((n) => [n, ['changed', 'failed', 'cmd']]));
    assertSame(d, { ...t, 'make the virtualenv': RESULT, listed: LISTED });
  });

  it('errors: ambiguous or conflicting version, latest with a version, no pip in the virtualenv, a package pip cannot find', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  vars:
    venv: "{{ work }}/venv"
  tasks:
    - name: ambiguous
      pip: {name: [lvsdemo, lvs_other], version: "1.0", virtualenv: "{{ venv }}"}
      ignore_errors: true
    - name: conflicting
      pip: {name: "lvsdemo>1", version: "1.0", virtualenv: "{{ venv }}"}
      ignore_errors: true
    - name: latest with version
      pip: {name: lvsdemo, version: "1.0", state: latest, virtualenv: "{{ venv }}"}
      ignore_errors: true
    - name: empty virtualenv dir
      file: {path: "{{ work }}/bare/bin", state: directory}
    - name: marker file
      copy: {dest: "{{ work }}/bare/bin/activate", content: ""}
    - name: no pip there
      pip: {name: lvsdemo, virtualenv: "{{ work }}/bare"}
      ignore_errors: true
    - name: make the virtualenv
      pip: {name: lvsdemo==1.0, virtualenv: "{{ venv }}", virtualenv_command: /usr/bin/python3 -m venv, extra_args: "--find-links {{ work }}/wheels"}
    - name: not to be found
      pip: {name: lvs-nowhere, virtualenv: "{{ venv }}"}
      register: nf
      ignore_errors: true
    - name: pip said
      debug: {msg: "{{ nf.msg is search('No matching distribution found for lvs-nowhere') }}"}
`,
      { setup, env: PIP_ENV, ignore: IGNORE, runs: 1 },
    );
    const t = Object.fromEntries(['ambiguous', 'conflicting', 'latest with version', 'no pip there'].map((n) => [n, ['changed', 'failed', 'msg']]));
    assertSame(d, { ...t, 'not to be found': ['failed', 'cmd'], 'pip said': ['msg'] });
  });
});
