// Later plays' hosts are connected early (src/run/prewarm.ts), with fake connections: the handshake
// overlaps play 1, a failed prewarm costs one attempt and surfaces at first use, and a different
// connection setting at the task opens its own connection.
import assert from 'node:assert/strict';
import type { Connection, Vars } from '../../src/types.js';
import { ConnectionError } from '../../src/errors.js';
import { LocalConnection } from '../../src/connection/local.js';
import { memInventory, run } from './helpers.js';

interface Fake {
  log: string[];
  made: { host: string; user: string }[];
  create(host: string, vars: Vars): Connection;
}

function fakes(failing: Set<string> = new Set()): Fake {
  const log: string[] = [];
  const made: { host: string; user: string }[] = [];
  return {
    log,
    made,
    create(host, vars) {
      const user = String(vars.ansible_user ?? '');
      made.push({ host, user });
      const local = new LocalConnection(host);
      return {
        host,
        address: `${host}:22`,
        get execCount() {
          return local.execCount;
        },
        connect: async () => {
          log.push(`connect:${host}:${user}`);
          await new Promise((r) => setTimeout(r, 5));
          if (failing.has(host)) throw new ConnectionError(host, `${host}:22`, 'connection refused');
          log.push(`connected:${host}:${user}`);
        },
        exec: async (cmd, o) => {
          log.push(`exec:${host}:${user}`);
          const r = await local.exec(cmd, o);
          log.push(`done:${host}:${user}`);
          return r;
        },
        close: async () => undefined,
      };
    },
  };
}

// an interpreter given: no discovery question (src/facts/discover.ts), so exec counts are the tasks' own
const inv = () => memInventory({ a: { ansible_connection: 'ssh', ansible_python_interpreter: '/usr/bin/python3' }, b: { ansible_connection: 'ssh', ansible_python_interpreter: '/usr/bin/python3' } });

const twoPlays = (taskVars = '', before = '') => `${before}
- hosts: a
  gather_facts: false
  tasks:
    - command: sleep 0.2
- hosts: b
  gather_facts: false
  tasks:
    - command: "true"
${taskVars}
`;

describe("run: prewarming the connections of every play's hosts", () => {
  let unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it("connects play 2's hosts before play 1 has finished, and reuses that connection", async () => {
    const f = fakes();
    const r = await run(twoPlays(), { inventory: inv(), deps: { createConnection: (h, v) => f.create(h, v) } });
    assert.equal(r.rc, 0);
    const lastA = f.log.lastIndexOf('done:a:');
    assert.ok(f.log.indexOf('connected:b:') >= 0 && f.log.indexOf('connected:b:') < lastA, f.log.join(' '));
    assert.deepEqual(f.made.filter((m) => m.host === 'b').length, 1, 'one connection for b');
    const recap = r.events.find((e) => e.type === 'recap') as { execs?: Record<string, number> };
    assert.equal(recap.execs?.b, 1);
  });

  it("connects the first play's hosts too: a first play that runs on the controller leaves them ready for the next", async () => {
    const f = fakes();
    const controllerOnly = '- hosts: b\n  gather_facts: false\n  tasks:\n    - debug: msg=controller';
    const r = await run(twoPlays('', controllerOnly), { inventory: inv(), deps: { createConnection: (h, v) => f.create(h, v) } });
    assert.equal(r.rc, 0);
    assert.ok(f.log.indexOf('connected:b:') >= 0 && f.log.indexOf('connected:b:') < f.log.lastIndexOf('done:a:'), f.log.join(' '));
    assert.equal(f.made.filter((m) => m.host === 'b').length, 1, 'one connection for b');
  });

  it('a failing prewarm makes one attempt and gives the usual UNREACHABLE at first use', async () => {
    const f = fakes(new Set(['b']));
    await new Promise((r) => setTimeout(r, 0));
    const r = await run(twoPlays(), { inventory: inv(), deps: { createConnection: (h, v) => f.create(h, v) } });
    assert.equal(r.rc, 4);
    assert.equal(f.log.filter((l) => l.startsWith('connect:b')).length, 1, f.log.join(' '));
    assert.ok(f.log.indexOf('connect:b:') < f.log.lastIndexOf('exec:a:'), 'the attempt was the prewarm');
    assert.match(r.text, /fatal: \[b\]: UNREACHABLE! => \{"changed": false, "msg": "b \(b:22\): connection refused", "unreachable": true\}/);
    assert.equal(r.recap.b.unreachable, 1);
    await new Promise((r2) => setTimeout(r2, 20));
    assert.deepEqual(unhandled, []);
  });

  it('a task with other connection settings (ansible_user) opens its own connection', async () => {
    const f = fakes();
    const r = await run(twoPlays('      vars:\n        ansible_user: other'), { inventory: inv(), deps: { createConnection: (h, v) => f.create(h, v) } });
    assert.equal(r.rc, 0);
    assert.deepEqual(f.made.filter((m) => m.host === 'b').map((m) => m.user), ['', 'other']);
    assert.ok(f.log.includes('exec:b:other') && !f.log.includes('exec:b:'), f.log.join(' '));
    const recap = r.events.find((e) => e.type === 'recap') as { execs?: Record<string, number> };
    assert.equal(recap.execs?.b, 1, 'the unused prewarmed connection adds no execs');
  });

  it('LVSPLAY_PREWARM=0 connects only at first use', async () => {
    const f = fakes();
    process.env.LVSPLAY_PREWARM = '0';
    try {
      await run(twoPlays(), { inventory: inv(), deps: { createConnection: (h, v) => f.create(h, v) } });
    } finally {
      delete process.env.LVSPLAY_PREWARM;
    }
    assert.ok(f.log.indexOf('connect:b:') > f.log.lastIndexOf('exec:a:'), f.log.join(' '));
  });
});
