// file's modification_time / access_time (+ _format): a fixed time, 'preserve', 'now', in check
// mode and twice (idempotent), with state=file, touch and directory; a time that does not match its
// format fails the task — run by lvsplay and ansible-playbook 2.14: the same exit code, recap and
// files written (the times read back with stat, and each task's `changed`).
import { assertBothSame, skipWithoutOracle } from './oracle.js';

const set = (name: string, args: string, extra = ''): string => `    - file: { ${args} }
      register: ${name}
${extra}`;

describe('compat: file modification_time and access_time (differential, connection: local)', function () {
  this.timeout(240_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('fixed times set once (changed, then ok), check mode changes nothing, preserve keeps, now always changes, bad formats fail', () => {
    assertBothSame({
      'inventory.ini': 'h1 ansible_connection=local\n',
      'pb.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "{{ out }}/f.txt", content: "x" }
    - file: { path: "{{ out }}/d", state: directory }
${set('chk', 'path: "{{ out }}/f.txt", modification_time: "202202081414.00"', '      check_mode: true\n')}    - stat: { path: "{{ out }}/f.txt" }
      register: st0
${set('m1', 'path: "{{ out }}/f.txt", modification_time: "202202081414.00", modification_time_format: "%Y%m%d%H%M.%S"')}${set('m2', 'path: "{{ out }}/f.txt", modification_time: "202202081414.00"')}${set('a1', 'path: "{{ out }}/f.txt", access_time: "2021-03-04 05:06:07", access_time_format: "%Y-%m-%d %H:%M:%S"')}${set('a2', 'path: "{{ out }}/f.txt", access_time: "2021-03-04 05:06:07", access_time_format: "%Y-%m-%d %H:%M:%S", modification_time: preserve')}${set('t1', 'path: "{{ out }}/new.txt", state: touch, modification_time: "202001011200.0", access_time: "202001011200.0"')}${set('t2', 'path: "{{ out }}/new.txt", state: touch, modification_time: "202001011200.0", access_time: "202001011200.0"')}${set('tp', 'path: "{{ out }}/new.txt", state: touch, modification_time: preserve, access_time: preserve')}${set('dd', 'path: "{{ out }}/d", state: directory, modification_time: "19991231", modification_time_format: "%Y%m%d"')}${set('yy', 'path: "{{ out }}/d", modification_time: "31/12/99 23:59", modification_time_format: "%d/%m/%y %H:%M"')}${set('now', 'path: "{{ out }}/f.txt", access_time: now')}    - file: { path: "{{ out }}/f.txt", modification_time: "2022-02-30", modification_time_format: "%Y%m%d" }
      register: bad
      ignore_errors: true
    - stat: { path: "{{ out }}/f.txt" }
      register: st1
    - stat: { path: "{{ out }}/new.txt" }
      register: st2
    - stat: { path: "{{ out }}/d" }
      register: st3
    - copy:
        dest: "{{ out }}/result.json"
        content: "{{ r | to_json }}"
      vars:
        r:
          changed: "{{ [chk, m1, m2, a1, a2, t1, t2, tp, dd, yy, now] | map(attribute='changed') | list }}"
          check_mode_kept: "{{ st0.stat.mtime != 1644329640 }}"
          f: "{{ [st1.stat.mtime | int, now.changed] }}"
          new: "{{ [st2.stat.mtime | int, st2.stat.atime | int] }}"
          d: "{{ st3.stat.mtime | int }}"
          bad: "{{ [bad is failed, 'does not match format' in bad.msg] }}"
`,
    });
  });
});
