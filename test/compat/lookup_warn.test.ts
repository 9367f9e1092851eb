// Lookups that fail under errors='warn' and errors='ignore', and files a lookup does not find: the
// warnings ansible-playbook 2.14 prints (their words, in their order, per task), the values the
// lookups give and the recap — lvsplay against ansible-playbook on the same playbook.
import { strict as assert } from 'node:assert';
import { runBoth, skipWithoutOracle } from './oracle.js';

/** Each task's warnings, in order, their wrapped lines joined (both tools wrap them at 79 columns). */
function warningsByTask(out: string): Record<string, string[]> {
  const res: Record<string, string[]> = {};
  let task = '';
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = /^TASK \[(.*)\] \*+$/.exec(lines[i]);
    if (t) task = t[1];
    if (!lines[i].startsWith('[WARNING]: ')) continue;
    let text = lines[i].slice('[WARNING]: '.length);
    while (i + 1 < lines.length && lines[i + 1] !== '' && !/^(\[|ok:|fatal:|changed:|skipping:|TASK |PLAY |\.\.\.)/.test(lines[i + 1])) text += ` ${lines[++i]}`;
    (res[task] ??= []).push(text.replace(/\s+/g, ' ').trim());
  }
  return res;
}

const values = (out: string): string[] => [...out.matchAll(/"msg": (.*)$/gm)].map((m) => m[1]);

describe('compat: lookup warnings (errors=warn/ignore, files not found) as ansible-playbook 2.14 prints them', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('the same warnings per task, the same values and recap', () => {
    const { lvsplay, ansible } = runBoth({
      'inventory.ini': 'localhost ansible_connection=local\n',
      'files/present.txt': 'here\n',
      'pb.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - name: warn file
      debug: {msg: "{{ lookup('file', 'nosuchfile', errors='warn') }}"}
    - name: ignore file
      debug: {msg: "{{ lookup('file', 'nosuchfile', errors='ignore') }}"}
    - name: warn query
      debug: {msg: "{{ query('file', 'present.txt', 'nosuchfile', errors='warn') }}"}
    - name: warn undefined still fails
      debug: {msg: "{{ lookup('file', undefined_thing, errors='warn') }}"}
      ignore_errors: true
    - name: warn ini
      debug: {msg: "{{ lookup('ini', 'x section=y file=nofile.ini', errors='warn') }}"}
    - name: template missing fails
      debug: {msg: "{{ lookup('template', 'nosuch.j2') }}"}
      ignore_errors: true
    - name: first_found is quiet
      debug: {msg: "{{ lookup('first_found', ['nosuch1', 'present.txt']) | basename }}"}
    - name: found
      debug: {msg: "{{ lookup('file', 'present.txt', errors='warn') }}"}
`,
    });
    assert.equal(lvsplay.rc, ansible.rc, `${lvsplay.output}\n---\n${ansible.output}`);
    assert.deepEqual(lvsplay.recap, ansible.recap);
    assert.deepEqual(warningsByTask(lvsplay.output), warningsByTask(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.ok(Object.keys(warningsByTask(ansible.output)).length >= 4, 'Ansible warned'); // the case is real
    // the tasks that did not fail: the same values (the failed ones' msgs carry each tool's own position paragraph)
    const okValues = (out: string) => values(out).filter((v) => !v.includes('The error'));
    assert.deepEqual(okValues(lvsplay.output), okValues(ansible.output));
  });
});
