// Module warnings in the console output: `result.warnings` (e.g. ip_address's "ifupdown is not installed")
// become `[WARNING]: ...` lines on stderr, before the host's line, and are left out of its -v dump (as Ansible's
// callback does).
import assert from 'node:assert/strict';
import { ConsoleReporter } from '../../src/report/console.js';
import type { RunEvent } from '../../src/types.js';

function render(ev: RunEvent, verbosity = 0): { out: string; err: string; order: string[] } {
  let out = '';
  let err = '';
  const order: string[] = [];
  const r = new ConsoleReporter({
    verbosity,
    color: false,
    diff: false,
    out: (s) => ((out += s), order.push(`out:${s}`)),
    err: (s) => ((err += s), order.push(`err:${s}`)),
  });
  r.emit(ev);
  return { out, err, order };
}

const base = { type: 'host_result', host: 'node01', task: 'vip', durationMs: 1 } as const;

describe('console: module warnings', () => {
  it('a changed result with warnings: one [WARNING] line each on stderr, before the host line', () => {
    const { out, err, order } = render({ ...base, status: 'changed', result: { changed: true, warnings: ['ifupdown is not installed on node01', 'second'] } });
    assert.equal(err, '[WARNING]: ifupdown is not installed on node01\n[WARNING]: second\n');
    assert.equal(out, 'changed: [node01]\n');
    assert.ok(order[0].startsWith('err:') && order[2] === 'out:changed: [node01]\n');
  });

  it('-v: the dump does not repeat the warnings', () => {
    const { out, err } = render({ ...base, status: 'ok', result: { changed: false, warnings: ['w1'], address: '10.0.0.1/32' } }, 1);
    assert.equal(err, '[WARNING]: w1\n');
    assert.equal(out, 'ok: [node01] => {"address": "10.0.0.1/32", "changed": false}\n');
  });

  it('failed results print their warnings too; a single string counts as one warning', () => {
    const { err, out } = render({ ...base, status: 'failed', result: { failed: true, msg: 'boom', warnings: 'just one' } });
    assert.equal(err, '[WARNING]: just one\n');
    assert.match(out, /^fatal: \[node01\]: FAILED! => \{"msg": "boom"\}\n$/);
  });

  it('no warnings key, or an empty list: nothing on stderr', () => {
    assert.equal(render({ ...base, status: 'ok', result: { changed: false } }).err, '');
    assert.equal(render({ ...base, status: 'ok', result: { changed: false, warnings: [] } }).err, '');
  });
});
