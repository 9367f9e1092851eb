// Old-style Ansible modules read their arguments from a file of `k=v ` words: lvsplay must write the
// very bytes ActionBase._execute_module writes (shlex.quote of Python's str() of each value). Checked
// against python3's own shlex.quote and str() on the same values.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { oldStyleArgs, shlexQuote } from '../../src/pymod/module.js';

const WORDS = ['', 'abc', 'a b', "it's", 'x=y', '$HOME', 'ünïcode', '@%+=:,./-', 'a\nb', 'tab\there', '"dq"', '*', 'semi;colon', '~user', 'A_Z-09'];

function python(code: string, input: unknown): unknown {
  const r = spawnSync('python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('old-style module arguments (as ansible-core writes them)', () => {
  it('shlexQuote quotes exactly as Python 3 shlex.quote', () => {
    const want = python('import json, shlex, sys; print(json.dumps([shlex.quote(w) for w in json.load(sys.stdin)]))', WORDS) as string[];
    assert.deepEqual(WORDS.map(shlexQuote), want);
  });

  it("the arguments file is the k=v text ActionBase writes (str() of each value, a space after each)", () => {
    const args = { name: 'web server', state: 'present', count: 3, ratio: 1.5, force: true, none: null, list: [1, 'a', false], dict: { k: "it's" }, empty: '' };
    // json.load gives Python's own types (true -> True, null -> None), as the module args are in Ansible
    const want = python(
      "import json, shlex, sys\nd = json.load(sys.stdin)\nout = ''\nfor k, v in d.items():\n    out += '%s=%s ' % (k, shlex.quote(str(v)))\nprint(json.dumps(out))",
      args,
    ) as string;
    assert.equal(oldStyleArgs(args), want);
  });
});
