// file with recurse: modes (octal and symbolic with X) and ownership under a tree, counts over two runs
// (the second unchanged) and the files, compared with ansible-playbook 2.14.
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSame, differential, skipWithoutAnsible } from './harness.js';

describe('compat: file recurse (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('sets modes and owners on a whole tree like Ansible, idempotently', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: octal, file: {path: "{{ work }}/a", state: directory, recurse: true, mode: "0750"}, register: r}
    - {name: symbolic, file: {path: "{{ work }}/b", state: directory, recurse: true, mode: "u=rwX,g=rX,o="}, register: r}
    - {name: owner, ansible.builtin.file: {path: "{{ work }}/c", state: directory, recurse: true, owner: root, group: root}, register: r}
    - {name: create, file: {path: "{{ work }}/new/sub", state: directory, recurse: true, mode: "0700"}, register: r}
    - {name: bad, file: {path: "{{ work }}/a/f", state: file, recurse: true}, register: r, ignore_errors: true}
    - {name: multi-op, file: {path: "{{ work }}/c/sub/g", mode: "u+rwX-x,g-wx,o-wx,g+r,o+r"}, register: r}
    - {name: multi-op-x, file: {path: "{{ work }}/c/f", mode: "a+x-w,u+w"}, register: r}
`,
      {
        setup(w) {
          for (const t of ['a', 'b', 'c']) {
            mkdirSync(join(w, t, 'sub'), { recursive: true });
            writeFileSync(join(w, t, 'f'), 'x', { mode: 0o644 });
            writeFileSync(join(w, t, 'sub', 'g'), 'y', { mode: 0o755 });
          }
        },
      },
    );
    const f = ['changed', 'failed', 'msg', 'path', 'state'];
    assertSame(d, Object.fromEntries(['octal', 'symbolic', 'owner', 'create', 'bad', 'multi-op', 'multi-op-x'].map((t) => [t, [...f, 'mode']])));
  });
  it('recurse through symlinks: with follow (the default) what links lead to, linked directories walked into; without, links left as they are', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: nofollow, file: {path: "{{ work }}/nf/top", recurse: true, mode: "0700", follow: false}, register: r}
    - {name: follow, file: {path: "{{ work }}/fl/top", recurse: true, mode: "a-x"}, register: r}
    - {name: again, file: {path: "{{ work }}/fl/top", recurse: true, mode: "a-x"}, register: r}
    - {name: owner, file: {path: "{{ work }}/fl/top", recurse: true, owner: nobody}, register: r}
    - {name: owner-again, file: {path: "{{ work }}/fl/top", recurse: true, owner: nobody}, register: r}
    - {name: list, shell: "cd {{ work }} && find . -mindepth 1 -printf '%p %y %m %u\\n' | sort", register: r}
`,
      {
        setup(w) {
          for (const t of ['nf', 'fl']) {
            mkdirSync(join(w, t, 'top', 'sub'), { recursive: true });
            mkdirSync(join(w, t, 'tdir', 'inner'), { recursive: true });
            writeFileSync(join(w, t, 'top', 'f'), 'a', { mode: 0o755 });
            writeFileSync(join(w, t, 'tfile'), 'b', { mode: 0o755 });
            writeFileSync(join(w, t, 'tdir', 'inner', 'g'), 'c', { mode: 0o755 });
            symlinkSync('../tfile', join(w, t, 'top', 'lf'));
            symlinkSync('../tdir', join(w, t, 'top', 'ld'));
            symlinkSync('nowhere', join(w, t, 'top', 'broken'));
          }
        },
      },
    );
    const f = ['changed', 'failed', 'msg', 'path', 'state', 'mode', 'owner'];
    assertSame(d, { ...Object.fromEntries(['nofollow', 'follow', 'again', 'owner', 'owner-again'].map((t) => [t, f])), list: ['stdout'] });
  });
});

describe('compat: file state=hard (differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('makes hard links like Ansible: new, already linked, refused without force, replaced with force', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: new, file: {path: "{{ work }}/h1", src: "{{ work }}/src.txt", state: hard}, register: r}
    - {name: same, file: {path: "{{ work }}/h1", src: "{{ work }}/src.txt", state: hard}, register: r}
    - {name: refused, file: {path: "{{ work }}/other.txt", src: "{{ work }}/src.txt", state: hard}, register: r, ignore_errors: true}
    - {name: forced, file: {path: "{{ work }}/forced.txt", src: "{{ work }}/src.txt", state: hard, force: true}, register: r}
    - {name: nosrc, file: {path: "{{ work }}/h2", src: "{{ work }}/nope", state: hard}, register: r, ignore_errors: true}
    - {name: count, stat: {path: "{{ work }}/src.txt"}, register: s}
    - {name: links, debug: {msg: "links={{ s.stat.nlink }}"}}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'src.txt'), 'data\n');
          writeFileSync(join(w, 'other.txt'), 'other\n');
          writeFileSync(join(w, 'forced.txt'), 'forced\n');
        },
      },
    );
    const f = ['changed', 'failed', 'msg', 'dest', 'src'];
    assertSame(d, { ...Object.fromEntries(['new', 'same', 'refused', 'forced', 'nosrc'].map((t) => [t, f])), links: ['msg'] });
  });
});

describe('compat: file attributes (lsattr/chattr; differential against ansible-playbook)', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  // On ext4 a new file has the flag 'e' (extents): '=e' is already there, '=A' and '+A' run chattr
  // on every run (the flags read 'Ae'), '-A' always runs. On a file system without attributes
  // (tmpfs) lsattr fails and chattr fails the task: both tools alike.
  it('sets, adds and removes flags like Ansible, with its idea of "changed" (two runs)', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: same, file: {path: "{{ work }}/f1", attributes: e}, register: r, ignore_errors: true}
    - {name: set, file: {path: "{{ work }}/f2", attributes: A}, register: r, ignore_errors: true}
    - {name: add, file: {path: "{{ work }}/f3", attr: "+A"}, register: r, ignore_errors: true}
    - {name: remove, file: {path: "{{ work }}/f3", attributes: "-A"}, register: r, ignore_errors: true}
    - {name: touch-new, file: {path: "{{ work }}/f4", state: touch, attributes: "+A", modification_time: preserve, access_time: preserve}, register: r, ignore_errors: true}
    - {name: dir, file: {path: "{{ work }}/d", state: directory, attributes: "+A"}, register: r, ignore_errors: true}
    - {name: flags, shell: "lsattr -d {{ work }}/f1 {{ work }}/f2 {{ work }}/f3 {{ work }}/f4 {{ work }}/d | sed 's|{{ work }}/||'", register: r, changed_when: false, ignore_errors: true}
`,
      {
        setup(w) {
          for (const f of ['f1', 'f2', 'f3']) writeFileSync(join(w, f), 'x', { mode: 0o644 });
        },
      },
    );
    const f = ['changed', 'failed'];
    assertSame(d, { ...Object.fromEntries(['same', 'set', 'add', 'remove', 'touch-new', 'dir'].map((t) => [t, f])), flags: ['stdout', 'rc'] });
  });
});

describe("compat: file's structured diff in every result (differential against ansible-playbook)", function () {
  this.timeout(180_000);
  before(function () {
    skipWithoutAnsible(this);
  });

  it('path, state, link targets, mode, owner and group ids, times and what a removed directory held — run and check mode', async () => {
    const d = await differential(
      `
- hosts: all
  gather_facts: false
  tasks:
    - {name: unchanged, file: {path: "{{ work }}/f"}, register: r}
    - {name: new-dir, file: {path: "{{ work }}/nd/sub", state: directory, mode: "0700"}, register: r}
    - {name: dir-mode, file: {path: "{{ work }}/d", state: directory, mode: "0750"}, register: r}
    - {name: touch-new, file: {path: "{{ work }}/t", state: touch}, register: r}
    - {name: touch-keys, debug: {msg: "{{ (r.diff | default({})).after | default({}) | list | sort }} {{ (r.diff | default({})).before | default({}) | list | sort }}"}}
    - {name: relink, file: {src: b, dest: "{{ work }}/l", state: link}, register: r}
    - {name: owner, file: {path: "{{ work }}/f", owner: nobody, group: nogroup}, register: r}
    - {name: hard-file, file: {path: "{{ work }}/h1", state: file}, register: r}
    - {name: mtime, file: {path: "{{ work }}/f", modification_time: "202001020304.05"}, register: r}
    - {name: mtime-keys, debug: {msg: "{{ r.diff.after | list | sort }} {{ r.diff.after.mtime | default(0) | int }}"}}
    - {name: gone, file: {path: "{{ work }}/tree", state: absent}, register: r}
    - {name: gone-file, file: {path: "{{ work }}/f2", state: absent}, register: r}
    - {name: listed, debug: {msg: "{{ r.diff is defined }}"}}
    - {name: follow-mode, file: {path: "{{ work }}/fl", mode: "0600", follow: true}, register: r}
    - {name: keep-link, file: {path: "{{ work }}/fl", state: link}, register: r}
    - {name: no-src, file: {path: "{{ work }}/nolink", state: link}, register: r, ignore_errors: true}
    - {name: target-mode, stat: {path: "{{ work }}/ft"}, register: r}
    - {name: link-mode, file: {src: ft2, dest: "{{ work }}/fl2", state: link, mode: "0700"}, register: r}
    - {name: src-no-state, file: {src: ft2, dest: "{{ work }}/nothing-here"}, register: r, ignore_errors: true}
    - {name: link-over-dir, file: {src: ft2, dest: "{{ work }}/d", state: link}, register: r, ignore_errors: true}
    - {name: link-over-full-dir, file: {src: ft2, dest: "{{ work }}/nd", state: link, force: true}, register: r, ignore_errors: true}
    - {name: link-over-empty-dir, file: {src: ft2, dest: "{{ work }}/ed", state: link, force: true}, register: r}
    - {name: link-over-file, file: {src: ft2, dest: "{{ work }}/f2b", state: link}, register: r, ignore_errors: true}
    - {name: link-missing-src, file: {src: nowhere, dest: "{{ work }}/ml", state: link}, register: r, ignore_errors: true}
    - {name: recurse-no-state, file: {path: "{{ work }}/rec/a", recurse: true, mode: "0750"}, register: r}
    - {name: target2-mode, stat: {path: "{{ work }}/ft2"}, register: r}
`,
      {
        setup(w) {
          writeFileSync(join(w, 'f'), 'x', { mode: 0o644 });
          writeFileSync(join(w, 'f2'), 'x');
          mkdirSync(join(w, 'd'), { mode: 0o755 });
          writeFileSync(join(w, 'a'), 'a');
          writeFileSync(join(w, 'b'), 'b');
          symlinkSync('a', join(w, 'l'));
          writeFileSync(join(w, 'h1'), 'h');
          linkSync(join(w, 'h1'), join(w, 'h2'));
          mkdirSync(join(w, 'tree/x/y'), { recursive: true });
          writeFileSync(join(w, 'tree/top.txt'), '1');
          writeFileSync(join(w, 'tree/x/in.txt'), '2');
          symlinkSync('x', join(w, 'tree/lnk'));
          writeFileSync(join(w, 'ft'), 't', { mode: 0o666 });
          symlinkSync('ft', join(w, 'fl'));
          writeFileSync(join(w, 'ft2'), 't');
          mkdirSync(join(w, 'ed'));
          writeFileSync(join(w, 'f2b'), 'x');
        },
        runArgs: (i) => (i === 0 ? ['--check'] : []),
        runs: 3,
      },
    );
    const keys = ['changed', 'failed', 'diff.before.path', 'diff.after.path', 'diff.before.state', 'diff.after.state', 'diff.before.mode', 'diff.after.mode', 'diff.before.src', 'diff.after.src', 'diff.before.owner', 'diff.after.owner', 'diff.before.group', 'diff.after.group'];
    const t = Object.fromEntries(['unchanged', 'new-dir', 'dir-mode', 'touch-new', 'relink', 'owner', 'hard-file', 'gone-file', 'follow-mode', 'keep-link', 'no-src', 'link-mode', 'src-no-state', 'recurse-no-state', 'link-over-dir', 'link-over-full-dir', 'link-over-empty-dir', 'link-over-file', 'link-missing-src'].map((n) => [n, [...keys, 'msg', 'src', 'dest']]));
    // the listing's order is the file system's: compared as sets
    for (const run of [...d.ansible.runs, ...d.lvsplay.runs]) {
      const pc = (run.tasks.get('gone')?.diff as { before?: { path_content?: { directories: string[]; files: string[] } } } | undefined)?.before?.path_content;
      if (pc) for (const k of ['directories', 'files'] as const) pc[k].sort();
    }
    assertSame(d, { ...t, gone: [...keys, 'diff.before.path_content'], 'touch-keys': ['msg'], 'mtime-keys': ['msg'], mtime: ['changed', 'diff.before.path', 'diff.after.path'], listed: ['msg'], 'target-mode': ['stat.mode'], 'target2-mode': ['stat.mode'] });
  });
});
