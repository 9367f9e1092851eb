// Interpreter discovery's decision (src/facts/discover.ts) against Ansible 2.14's own
// discover_interpreter, given the same host answers: ansible-core's function is called with a
// stand-in action whose commands return the answers of each case (a distribution, its version,
// the interpreters found), and its interpreter and warnings are compared with lvsplay's.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { discover, parseDiscovery, PYTHON_FALLBACK, type DiscoveryProbe } from '../../src/facts/discover.js';
import { skipWithoutAnsible } from '../helpers/ansible.js';

/** Ansible's discover_interpreter over each case: [interpreter, warnings]. */
const ORACLE = `
import json, sys
from ansible.executor.interpreter_discovery import discover_interpreter
from ansible import constants as C

class Conn:
    has_pipelining = True

class Action:
    def __init__(self, case):
        self.case = case
        self._connection = Conn()
        self._discovery_warnings = []
    def _low_level_execute_command(self, cmd, sudoable=False, in_data=None):
        c = self.case
        if in_data is None:
            return {'stdout': 'PLATFORM\\n%s\\nFOUND\\n%s\\nENDFOUND\\n' % (c['uname'], '\\n'.join(c['found']))}
        return {'stdout': json.dumps({'platform_dist_result': [], 'osrelease_content': c['osrelease']})}

out = []
for case in json.load(sys.stdin):
    a = Action(case)
    py = discover_interpreter(a, 'python', case['mode'], {'inventory_hostname': 'h1'})
    out.append([py, a._discovery_warnings])
print(json.dumps(out))
`;

interface Case {
  mode: string;
  uname: string;
  found: string[];
  osrelease: string;
}

const os = (id: string, version?: string) => `NAME="x"\nID=${id}\n${version === undefined ? '' : `VERSION_ID="${version}"\n`}`;
const py3 = ['/usr/bin/python3.11', '/usr/bin/python3'];

const CASES: Case[] = [
  { mode: 'auto', uname: 'Linux', found: py3, osrelease: os('debian', '12') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python'], osrelease: os('debian', '9') },
  { mode: 'auto', uname: 'Linux', found: py3, osrelease: os('debian', '7') },
  { mode: 'auto', uname: 'Linux', found: py3, osrelease: os('ubuntu', '22.04') },
  { mode: 'auto', uname: 'Linux', found: py3, osrelease: os('ubuntu', '15.10') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/libexec/platform-python', '/usr/bin/python3'], osrelease: os('rhel', '8.9') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3.9', '/usr/bin/python3'], osrelease: os('rocky', '9.3') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3.9', '/usr/bin/python3'], osrelease: os('almalinux', '8.8') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3.11'], osrelease: os('raspbian', '11') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3.11'], osrelease: os('alpine', '3.19.1') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3'], osrelease: os('linuxmint', '21.3') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3'], osrelease: os('debian') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3'], osrelease: '' },
  { mode: 'auto', uname: 'FreeBSD', found: ['/usr/local/bin/python3.11'], osrelease: '' },
  { mode: 'auto', uname: 'Linux', found: [], osrelease: os('debian', '12') },
  { mode: 'auto_silent', uname: 'Linux', found: [], osrelease: os('debian', '12') },
  { mode: 'auto_silent', uname: 'Linux', found: ['/usr/bin/python3.11'], osrelease: os('alpine', '3.19') },
  { mode: 'auto_legacy', uname: 'Linux', found: ['/usr/bin/python3', '/usr/bin/python'], osrelease: os('debian', '12') },
  { mode: 'auto_legacy', uname: 'Linux', found: ['/usr/bin/python3'], osrelease: os('debian', '12') },
  { mode: 'auto_legacy_silent', uname: 'Linux', found: ['/usr/bin/python3', '/usr/bin/python'], osrelease: os('ubuntu', '20.04') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3.11'], osrelease: os('debian', '12') },
  { mode: 'auto', uname: 'Linux', found: ['/usr/bin/python3.11', '/usr/bin/python3'], osrelease: os('fedora', '39') },
];

describe('interpreter discovery: the same decision and warnings as Ansible 2.14 for the same host answers', function () {
  this.timeout(60_000);
  before(function () {
    skipWithoutAnsible(this, 'ansible-playbook');
  });

  it(`${CASES.length} hosts (distributions, versions, interpreters found, modes): the same interpreter and warnings`, () => {
    const want = JSON.parse(execFileSync('/usr/bin/python3', ['-c', ORACLE], { input: JSON.stringify(CASES), encoding: 'utf8' })) as [string, string[]][];
    const got = CASES.map((c) => {
      const probe: DiscoveryProbe = { platform: c.uname.toLowerCase(), found: c.found, osRelease: c.osrelease };
      const d = discover(probe, 'h1', c.mode, PYTHON_FALLBACK);
      return [d.python, d.warnings];
    });
    for (let i = 0; i < CASES.length; i++) {
      // one warning left out on purpose: "No python interpreters found" (lvsplay's modules need none; the fact is Ansible's)
      const [py, warnings] = want[i];
      const kept = warnings.filter((w) => !w.startsWith('No python interpreters found for host'));
      if (CASES[i].found.length === 0 && !CASES[i].mode.endsWith('_silent')) assert.equal(warnings.length - kept.length, 1, `case ${i}: Ansible warns`);
      assert.deepEqual(got[i], [py, kept], `case ${i}: ${JSON.stringify(CASES[i])}`);
    }
  });

  it("the bootstrap's output is read as Ansible reads it", () => {
    const p = parseDiscovery('PLATFORM\nLinux\nFOUND\n/usr/bin/python3.11\npython\n/usr/bin/python3\nENDFOUND\n@@lvsplay-discovery-osrelease\nID=debian\nVERSION_ID="12"\n');
    assert.deepEqual(p, { platform: 'linux', found: ['/usr/bin/python3.11', '/usr/bin/python3'], osRelease: 'ID=debian\nVERSION_ID="12"\n' });
    assert.equal(parseDiscovery('sh: 1: syntax error'), undefined);
  });
});
