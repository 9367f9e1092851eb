// The split-brain guard (roles/lvs_director/tasks/guard.yml) under ansible-playbook 2.14 and
// lvsplay: two "directors" on this machine (connection local, each with its own keepalived.conf
// path in a scratch dir), the guard run with --limit d1 so d2 is outside the run. Both tools must
// render the same shared-settings string, read the same one from d2's keepalived.conf, and stop (or
// pass) with the same exit code and message.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipWithoutAnsible } from '../compat/harness.js';
import { ROOT } from './clustervars.js';

const D2_CONF = (pass: string) => `vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 50
    advert_int 1
${pass ? `    authentication {\n        auth_type PASS\n        auth_pass ${pass}   ! a comment\n    }\n` : ''}    virtual_ipaddress {
        10.0.0.100/24 dev eth0 label eth0:2
    }
}
`;

const PLAYBOOK = `- hosts: directors
  gather_facts: false
  tasks:
    - include_role:
        name: lvs_director
        tasks_from: guard
    - debug:
        var: lvs_director_shared
`;

interface Outcome {
  rc: number;
  msg?: string;
  shared: string[];
}

function runTool(tool: 'ansible' | 'lvsplay', dir: string, extra: string[]): Promise<Outcome> {
  const [cmd, pre] = tool === 'ansible' ? ['ansible-playbook', []] : [process.execPath, [join(ROOT, 'dist/cli/lvsplay.js')]];
  return new Promise((res) => {
    execFile(cmd, [...pre, '-i', join(dir, 'inv.ini'), join(dir, 'pb.yml'), '--limit', 'd1', ...extra],
      { cwd: dir, env: { ...process.env, ANSIBLE_ROLES_PATH: join(ROOT, 'roles'), ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' }, timeout: 120_000 },
      (e, stdout) => {
        const rc = e ? Number((e as { code?: number }).code ?? 250) : 0;
        const fatal = /^fatal: \[d1\]: FAILED! => (\{.*\})$/m.exec(stdout);
        const shared = [...stdout.matchAll(/"lvs_director_shared": "(.*)"/g)].map((m) => m[1]);
        res({ rc, msg: fatal ? String((JSON.parse(fatal[1]) as { msg: string }).msg) : undefined, shared });
      });
  });
}

describe('split-brain guard: ansible-playbook 2.14 and lvsplay agree (connection local, --limit d1)', function () {
  this.timeout(180_000);
  let dir = '';
  before(function () {
    skipWithoutAnsible(this);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lvsplay-guard-'));
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'inv.ini'), `[directors]
d1 keepalived_priority=100 lvs_keepalived_conf=${dir}/d1.conf
d2 keepalived_priority=50 lvs_keepalived_conf=${dir}/d2.conf

[all:vars]
ansible_connection=local
ansible_python_interpreter=/usr/bin/python3
lvs_vip=10.0.0.100
keepalived_auth_pass=newpass1
`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string | null, string[], number][] = [
    ['auth_pass differs on d2 (outside the run): both stop, same message', 'oldpass1', [], 2],
    ['d2 has the same settings: both pass', 'newpass1', [], 0],
    ['d2 has no authentication block: both stop', '', [], 2],
    ['d2 has no keepalived.conf yet: both pass', null, [], 0],
    ['forced with -e lvsplay_allow_director_mismatch=true: both pass', 'oldpass1', ['-e', 'lvsplay_allow_director_mismatch=true'], 0],
  ];
  for (const [name, d2pass, extra, rc] of cases) {
    it(name, async () => {
      if (d2pass !== null) writeFileSync(join(dir, 'd2.conf'), D2_CONF(d2pass));
      const [a, l] = [await runTool('ansible', dir, extra), await runTool('lvsplay', dir, extra)];
      assert.equal(a.rc, rc, `ansible-playbook exit ${a.rc}`);
      assert.deepEqual(l, a);
      if (rc === 2) {
        assert.match(l.msg ?? '', /but d2 \(outside this run\) has VI_1 virtual_router_id=51 advert_int=1 auth_pass=(sha1:[0-9a-f]{12}|none) vips=10\.0\.0\.100\/24; on disk/);
        assert.doesNotMatch(l.msg ?? '', /pass1/, 'no password in the message');
      }
    });
  }
});
