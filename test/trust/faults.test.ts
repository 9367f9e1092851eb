// Faults on the lab: a host unreachable from the start, a failing command, --force-handlers, Ctrl-C
// during a large upload (exit 99, no half-written file anywhere), a host killed mid-run. The recap
// and exit code are right, and the other hosts finish their work.
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labDown, readState } from '../../src/lab/index.js';
import type { TestLab } from '../helpers/lab.js';
import { labExec, lvsplay, lvsplayAsync, tmpDir, writeFiles, trustLabOrSkip } from './helpers.js';

export function recap(out: string, host: string): Record<string, number> {
  const m = new RegExp(`^${host}\\s+: (.*)$`, 'm').exec(out);
  if (!m) return {};
  return Object.fromEntries([...m[1].matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1], Number(x[2])]));
}

function cat(lab: TestLab, node: string, path: string): string | undefined {
  const r = labExec(lab.dir, node, `cat ${path}`);
  return r.rc === 0 ? r.out : undefined;
}

describe('trust: faults on the lab', function () {
  this.timeout(300000);
  let lab: TestLab;
  let dir: string;
  const others = ['node01', 'node02', 'node04'];

  before(async function () {
    lab = await trustLabOrSkip(this);
    dir = tmpDir();
    for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -f /root/trust-fault-* /root/.trust-fault-*');
  });

  it('a host unreachable from the start: exit 4, recap unreachable=1, the other hosts do their work', () => {
    writeFiles(dir, {
      'dead.ini': '[real_servers]\nnode09 ansible_host=10.158.0.19 ansible_user=root\n',
      'a.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { content: "{{ inventory_hostname }} a\\n", dest: /root/trust-fault-a }
    - command: cat /root/trust-fault-a
`,
    });
    const r = lvsplay(['-i', lab.inventory, '-i', join(dir, 'dead.ini'), '-T', '3', join(dir, 'a.yml')]);
    assert.equal(r.rc, 4, r.out + r.err);
    assert.match(r.out, /fatal: \[node09\]: UNREACHABLE! .*10\.158\.0\.19/);
    assert.deepEqual([recap(r.out, 'node09').unreachable, recap(r.out, 'node09').ok], [1, 0], r.out);
    for (const h of lab.hosts) {
      assert.deepEqual([recap(r.out, h.name).ok, recap(r.out, h.name).failed, recap(r.out, h.name).unreachable], [2, 0, 0], `${h.name}\n${r.out}`);
      assert.equal(cat(lab, h.name, '/root/trust-fault-a'), `${h.name} a\n`);
    }
  });

  it('a command that fails on one host: exit 2, that host failed=1 and stops, the others finish', () => {
    writeFiles(dir, {
      'b.yml': `- hosts: all
  gather_facts: false
  tasks:
    - command: /bin/false
      when: inventory_hostname == 'node02'
    - copy: { content: "{{ inventory_hostname }} b\\n", dest: /root/trust-fault-b }
`,
    });
    const r = lvsplay(['-i', lab.inventory, join(dir, 'b.yml')]);
    assert.equal(r.rc, 2, r.out + r.err);
    assert.match(r.out, /fatal: \[node02\]: FAILED! => .*"rc": 1/);
    assert.equal(recap(r.out, 'node02').failed, 1, r.out);
    assert.equal(cat(lab, 'node02', '/root/trust-fault-b'), undefined, 'node02 stopped at its failure');
    for (const h of ['node01', 'node03', 'node04']) {
      assert.equal(recap(r.out, h).failed, 0, r.out);
      assert.equal(cat(lab, h, '/root/trust-fault-b'), `${h} b\n`);
    }
  });

  for (const force of [false, true]) {
    it(`${force ? '--force-handlers runs' : 'without --force-handlers, a failed host loses'} the handlers it was notified of`, () => {
      const run = randomBytes(4).toString('hex');
      for (const h of lab.hosts) labExec(lab.dir, h.name, 'rm -f /root/trust-fault-h');
      writeFiles(dir, {
        'h.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { content: "${run}\\n", dest: /root/trust-fault-c }
      notify: mark
    - command: /bin/false
      when: inventory_hostname == 'node02'
  handlers:
    - name: mark
      copy: { content: "handled\\n", dest: /root/trust-fault-h }
`,
      });
      const r = lvsplay(['-i', lab.inventory, ...(force ? ['--force-handlers'] : []), join(dir, 'h.yml')]);
      assert.equal(r.rc, 2, r.out + r.err);
      assert.equal(recap(r.out, 'node02').failed, 1);
      assert.equal(cat(lab, 'node02', '/root/trust-fault-h'), force ? 'handled\n' : undefined, r.out);
      for (const h of ['node01', 'node03', 'node04']) assert.equal(cat(lab, h, '/root/trust-fault-h'), 'handled\n', `${h}\n${r.out}`);
    });
  }

  it('Ctrl-C during a large upload: exit 99, connections closed, no half-written file on any host', async () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, randomBytes(48 * 1024 * 1024));
    const sum = createHash('sha1').update(readFileSync(big)).digest('hex');
    writeFiles(dir, {
      'i.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: big upload
      copy: src=${big} dest=/root/trust-fault-big
`,
    });
    const run = lvsplayAsync(['-i', lab.inventory, join(dir, 'i.yml')]);
    // Interrupt once the upload is under way on the hosts (a temp file exists beside dest).
    const deadline = Date.now() + 60000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`the upload never started:\n${run.output()}`);
      const r = labExec(lab.dir, 'node01', 'ls -a /root | grep -c "^\\.trust-fault-big\\.lvsplay" || true');
      if (Number(r.out.trim()) > 0) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.rc, 99, run.output());
    assert.match(r.err, /User interrupted/);
    await new Promise((res) => setTimeout(res, 1500)); // let the hosts' shells notice the closed channels
    for (const h of lab.hosts) {
      const got = labExec(lab.dir, h.name, `sha1sum /root/trust-fault-big 2>/dev/null | cut -d' ' -f1`).out.trim();
      assert.ok(got === '' || got === sum, `${h.name}: /root/trust-fault-big is absent or complete, got sha1 ${got}`);
      const temps = labExec(lab.dir, h.name, 'ls -a /root | grep lvsplay || true').out.trim();
      assert.equal(temps, '', `${h.name}: no temp file left`);
      const conns = labExec(lab.dir, h.name, `ss -tnH state established '( sport = :22 )' | wc -l`).out.trim();
      assert.equal(conns, '1', `${h.name}: only our own ssh session is connected (the run's connections are closed)`);
    }
  });

  it('a host killed mid-run (its namespace processes): exit 4, it is unreachable, the others finish', async () => {
    writeFiles(dir, {
      'k.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { content: "1\\n", dest: /root/trust-fault-k1 }
    - name: pause
      command: sleep 3
    - copy: { content: "2\\n", dest: /root/trust-fault-k2 }
`,
    });
    const run = lvsplayAsync(['-i', lab.inventory, join(dir, 'k.yml')]);
    const deadline = Date.now() + 60000;
    while (!/TASK \[pause\]/.test(run.output())) {
      if (Date.now() > deadline) throw new Error(run.output());
      await new Promise((res) => setTimeout(res, 50));
    }
    const pid = readState(lab.dir)!.hosts.find((h) => h.name === 'node03')!.pid!;
    process.kill(pid, 'SIGKILL'); // unshare --kill-child: the host's init and every process in it die
    try {
      const r = await run.done;
      assert.equal(r.rc, 4, run.output());
      assert.match(r.out, /fatal: \[node03\]: UNREACHABLE!/);
      assert.equal(recap(r.out, 'node03').unreachable, 1, r.out);
      for (const h of others) {
        assert.deepEqual([recap(r.out, h).ok, recap(r.out, h).failed], [3, 0], r.out);
        assert.equal(cat(lab, h, '/root/trust-fault-k2'), '2\n');
      }
    } finally {
      await labDown({ dir: lab.dir, log: () => undefined }); // node03 is gone: the next user gets a fresh lab
    }
  });
});
