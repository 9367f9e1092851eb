// k=v text as ansible-playbook 2.14 reads it (parse_kv: split_args, _decode_escapes, unquote), in
// the three places it is read: free-form module arguments (set_fact's k=v, command's words with
// chdir), `-e k=v` and lookup terms. Backslashes decoded once (not again when unquoting), octal
// escapes left as written, \N{NAME}, escaped `=`, words without `=` (`-e` makes them
// `_raw_params`), and unbalanced quotes refused at load (exit 4).
import { strict as assert } from 'node:assert';
import { runBoth, skipWithoutOracle } from './oracle.js';

/** The printed `msg` lines and failure lines, in order. */
function results(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => /^fatal:|"msg":|^ERROR!/.test(l))
    .map((l) => l.replace(/^ERROR! (pb\.yml:\d+:\d+: )?/, 'ERROR! ').trim());
}

const inventory = { 'inventory.ini': 'localhost ansible_connection=local\n' };

describe('compat: k=v text (free-form arguments, -e, lookup terms) decoded as ansible-playbook 2.14 decodes it', function () {
  this.timeout(120_000);
  before(function () {
    skipWithoutOracle(this);
  });

  it('free-form set_fact, command words and lookup terms: the same values', () => {
    const { lvsplay, ansible } = runBoth({
      ...inventory,
      'pb.yml': String.raw`
- hosts: localhost
  gather_facts: false
  tasks:
    - set_fact: two="x\\\\y" sq='p\"q' dq="r\"s" bare=t\\u tab="x\ty" hex='\x41\u00e9\U0001F600' eq="j\=k" eq2=m\=n oct="\101" named='\N{BULLET}\N{LATIN SMALL LETTER A}' bell=a\ab
    - debug: msg="{{ [two, sq, dq, bare, tab, hex, eq, eq2, oct, named, bell] | to_json }}"
    - set_fact: spaced="  a  b  " endq='c\'d' mixed=pre"quoted part"post
    - debug: msg="{{ [spaced, endq, mixed] | to_json }}"
    - command: printf '%s|' "a\\b" 'c\td' e\"f g\=h chdir="/no\\such\tdir"
      register: r
      ignore_errors: true
    - debug: msg="{{ [r.cmd, r.msg | default('')] | to_json }}"
    - command: printf '%s|' one\=two "x y"  'z'
      register: r2
    - debug: msg="{{ [r2.cmd, r2.stdout] | to_json }}"
    - debug: msg="{{ query('sequence', 'start=1 end=3 format=n\x41%d') | to_json }}"
    - debug: msg="{{ query('sequence', 'start=1 end=2 format=\"q%d\"') | to_json }}"
`,
    });
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.deepEqual(lvsplay.recap, ansible.recap);
    assert.equal(lvsplay.rc, ansible.rc);
  });

  it('-e k=v: escapes, quotes, words without `=` as _raw_params, later values win', () => {
    const pb = {
      ...inventory,
      'pb.yml': `
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: msg="{{ [a|default('U'), b|default('U'), c|default('U'), d|default('U'), e|default('U'), _raw_params|default('U')] | to_json }}"
`,
    };
    const { lvsplay, ansible } = runBoth(pb, ['-e', String.raw`word a="x\\\\y" b=c\101d\x41`, '-e', String.raw`c="q\"r" d=s\=t=u e=\N{BULLET} other\=x`, '-e', 'a=late']);
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.equal(lvsplay.rc, ansible.rc);
  });

  it('unbalanced quotes: refused at load with exit 4, in free-form arguments and in -e', () => {
    const files = {
      ...inventory,
      'pb.yml': String.raw`
- hosts: localhost
  gather_facts: false
  tasks:
    - debug: msg=never
    - debug: msg='a\'
`,
    };
    const { lvsplay, ansible } = runBoth(files);
    assert.equal(ansible.rc, 4, ansible.output);
    assert.equal(lvsplay.rc, ansible.rc, lvsplay.output);
    assert.deepEqual(results(lvsplay.output), results(ansible.output), `${lvsplay.output}\n---\n${ansible.output}`);
    assert.doesNotMatch(lvsplay.output, /never/); // nothing ran

    const e = runBoth({ ...files, 'pb.yml': '- hosts: localhost\n  gather_facts: false\n  tasks: [{debug: {msg: ran}}]\n' }, ['-e', String.raw`x='q\'`]);
    assert.equal(e.ansible.rc, 4, e.ansible.output);
    assert.equal(e.lvsplay.rc, 4, e.lvsplay.output);
    assert.match(e.lvsplay.output, /failed at splitting arguments, either an unbalanced jinja2 block or quotes: x='q\\'/);
    assert.doesNotMatch(e.lvsplay.output, /ran/);
  });

  it('an unknown \\N{NAME}: Python codec message as Ansible shows it; lvsplay stops at load with exit 4 where Ansible crashes', () => {
    const { lvsplay, ansible } = runBoth({ ...inventory, 'pb.yml': '- hosts: localhost\n  gather_facts: false\n  tasks: [{debug: {msg: ran}}]\n' }, ['-e', String.raw`x=\N{NOSUCHCHAR}`]);
    const codec = "'unicodeescape' codec can't decode bytes in position 0-13: unknown Unicode character name";
    assert.ok(ansible.output.includes(codec), ansible.output);
    assert.ok(lvsplay.output.includes(codec), lvsplay.output);
    assert.equal(lvsplay.rc, 4, lvsplay.output);
  });
});
