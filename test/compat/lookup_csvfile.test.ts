// The csvfile lookup against ansible-playbook 2.14 on the same files: CSV and TSV (the default),
// keys with spaces and quotes, col, default, options inline (kept for the later terms) and as
// keywords, query over several terms, and its failures (a column out of range, a file not found, an
// unknown option, no key) with Ansible's messages.
import { strict as assert } from 'node:assert';
import { runBoth, skipWithoutOracle } from './oracle.js';

/** Each task's printed result or failure line, in order; a warning with its wrapped lines joined and whitespace collapsed (both tools wrap them at 79 columns). */
function results(out: string): string[] {
  const lines = out.split('\n');
  const res: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (l.startsWith('[WARNING]: ')) while (i + 1 < lines.length && /^\S/.test(lines[i + 1]) && !/^(\[|ok:|fatal:|TASK |PLAY |\.\.\.|pb\.yml:)/.test(lines[i + 1])) l += ` ${lines[++i]}`;
    else if (!/^fatal:|"msg":/.test(l)) continue;
    res.push(l.replace(/\s+/g, ' ').trim());
  }
  return res;
}

describe('compat: the csvfile lookup as ansible-playbook 2.14 reads files', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('values, defaults, inline and keyword options, query, and failures: the same', () => {
    const { lvsplay, ansible } = runBoth({
      'inventory.ini': 'localhost ansible_connection=local\n',
      'files/elements.csv': 'Li,3,6.94\nH,1,1.008\n"He, gas",2,4.0026\n\nO;x,8\n"say ""hi""",quoted\n',
      'files/ansible.csv': 'a\tb\tc\nx\ty\nwith space\tz\n',
      'files/latin1.csv': Buffer.from('caf\xe9,1\n', 'latin1').toString('latin1'),
      'pb.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: {msg: "{{ lookup('csvfile', 'Li file=elements.csv delimiter=,') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'Li file=elements.csv delimiter=, col=2') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'He, gas', file='elements.csv', delimiter=',') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'say \\"hi\\"', file='elements.csv', delimiter=',') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'a') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'with space') }}"}
    - debug: {msg: "{{ query('csvfile', 'a', 'x', 'zz') | to_json }}"}
    - debug: {msg: "{{ query('csvfile', 'Li file=elements.csv delimiter=,', 'H') | to_json }}"}
    - debug: {msg: "{{ lookup('csvfile', 'zz', default='none here') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'zz') | to_json }}"}
    - debug: {msg: "{{ lookup('csvfile', 'x', delimiter='TAB', col='1') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'a', col=0) }}"}
    - debug: {msg: "{{ lookup('csvfile', 'O;x', file='elements.csv', delimiter=';') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'Li file=elements.csv delimiter=, col=7') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('csvfile', 'Li file=elements.csv delimiter=, col=two') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('csvfile', 'Li file=nofile.csv') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('csvfile', 'Li bogus=1') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('csvfile', 'file=elements.csv') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('csvfile', 'Li', file='elements.csv', delimiter=',,') }}"}
      ignore_errors: true
    - debug: {msg: "{{ lookup('csvfile', 'café', file='latin1.csv', delimiter=',', encoding='latin-1') }}"}
    - debug: {msg: "{{ lookup('csvfile', 'x', encoding='no-such-codec') }}"}
      ignore_errors: true
`,
    });
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.deepEqual(lvsplay.recap, ansible.recap);
    assert.equal(lvsplay.rc, ansible.rc);
  });
});
