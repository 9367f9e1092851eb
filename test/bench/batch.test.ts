// Probe coalescing (src/run/batch.ts, a round-trip fix of the bench): probes of one tick go out
// as one exec, and every caller still gets exactly its own stdout, stderr and exit status.
import assert from 'node:assert/strict';
import { LocalConnection } from '../../src/connection/local.js';
import { batcherFor } from '../../src/run/batch.js';

const CASES: { cmd: string; want: { stdout: string; stderr: string; rc: number } }[] = [
  { cmd: 'echo hello', want: { stdout: 'hello\n', stderr: '', rc: 0 } },
  { cmd: "printf 'no newline'; printf 'err' >&2; exit 3", want: { stdout: 'no newline', stderr: 'err', rc: 3 } },
  { cmd: "printf '\\n\\n'", want: { stdout: '\n\n', stderr: '', rc: 0 } },
  { cmd: 'cat', want: { stdout: '', stderr: '', rc: 0 } }, // stdin is /dev/null, never the batch's
  { cmd: "echo \"it's\" 'quoted $HOME'", want: { stdout: "it's quoted $HOME\n", stderr: '', rc: 0 } },
  { cmd: 'if then fi', want: { stdout: '', stderr: '', rc: 2 } }, // a syntax error stays in its own subshell
  { cmd: 'false', want: { stdout: '', stderr: '', rc: 1 } },
];

describe('bench: probe batching (one exec for the probes of one tick)', () => {
  it('runs concurrent probes in one exec with per-command stdout/stderr/rc', async () => {
    const conn = new LocalConnection('localhost');
    const b = batcherFor(conn);
    const res = await Promise.all(CASES.map((c) => b.exec(c.cmd)));
    assert.equal(conn.execCount, 1);
    res.forEach((r, i) => {
      const w = CASES[i].want;
      assert.equal(r.rc, w.rc, CASES[i].cmd);
      assert.equal(r.stdout, w.stdout, CASES[i].cmd);
      if (i !== 5) assert.equal(r.stderr, w.stderr, CASES[i].cmd); // sh's syntax error message varies
      else assert.match(r.stderr, /syntax|unexpected/i);
    });
  });

  it('sends a lone probe as is, and probes with stdin on their own', async () => {
    const conn = new LocalConnection('localhost');
    const b = batcherFor(conn);
    assert.deepEqual(await b.exec('echo one'), { stdout: 'one\n', stderr: '', rc: 0 });
    assert.equal(conn.execCount, 1);
    const [x, y] = await Promise.all([b.exec('cat', { stdin: 'in' }), b.exec('echo two')]);
    assert.equal(x.stdout, 'in');
    assert.equal(y.stdout, 'two\n');
    assert.equal(conn.execCount, 3);
  });
});
