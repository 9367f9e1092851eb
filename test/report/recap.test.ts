// The recap line, banners, result dumps and item labels, byte for byte as ansible-playbook prints them.
import { strict as assert } from 'node:assert';
import { banner, recapLine, recapLines } from '../../src/report/recap.js';
import { itemLabel, pyJson, pyRepr } from '../../src/report/pyjson.js';
import { unifiedDiff } from '../../src/report/diff.js';
import { ConsoleReporter } from '../../src/report/console.js';
import { zeroCounts } from '../../src/run/state.js';

describe('report: recap and formatting', () => {
  it('recap host line: %-26s, each count as name=%-4s', () => {
    const line = recapLine('node01', { ...zeroCounts(), ok: 5 });
    assert.equal(line, 'node01                     : ok=5    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ');
    const big = recapLine('a-very-long-host-name-over-26.example.com', { ok: 12345, changed: 1, unreachable: 0, failed: 2, skipped: 3, rescued: 4, ignored: 5 });
    assert.equal(big, 'a-very-long-host-name-over-26.example.com : ok=12345 changed=1    unreachable=0    failed=2    skipped=3    rescued=4    ignored=5   ');
  });

  it('coloured recap: Ansible escape codes, host padded to 37 with its codes, zero counts uncoloured', () => {
    const line = recapLine('h', { ...zeroCounts(), ok: 1, changed: 1 }, true);
    assert.equal(
      line,
      `${'\x1b[0;33mh\x1b[0m'.padEnd(37)} : \x1b[0;32mok=1   \x1b[0m \x1b[0;33mchanged=1   \x1b[0m unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   `,
    );
  });

  it('hosts sorted as Python sorts strings', () => {
    const lines = recapLines({ b: zeroCounts(), B: zeroCounts(), a10: zeroCounts(), a2: zeroCounts() });
    assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['B', 'a10', 'a2', 'b']);
  });

  it('banner: message, space, stars to 80 columns off a TTY', () => {
    assert.equal(banner('PLAY [x]'), `PLAY [x] ${'*'.repeat(71)}`);
    assert.equal(banner('PLAY [x]').length, 80);
    assert.equal(banner('x'.repeat(100)), `${'x'.repeat(100)} ***`);
  });

  it('pyJson: sorted keys, Python separators, indent 4', () => {
    assert.equal(pyJson({ b: 1, a: [true, null, 'é'] }), '{"a": [true, null, "é"], "b": 1}');
    assert.equal(pyJson({ msg: 'x', list: [] }, 4), '{\n    "list": [],\n    "msg": "x"\n}');
  });

  it('item labels as Python repr', () => {
    assert.equal(itemLabel('abc'), 'abc');
    assert.equal(itemLabel({ a: 1, b: 'x', c: [true, null] }), "{'a': 1, 'b': 'x', 'c': [True, None]}");
    assert.equal(pyRepr("it's"), '"it\'s"');
  });

  it('diffs: --- before: / +++ after: headers and hunks', () => {
    const d = unifiedDiff({ path: '/etc/x', before: 'a\nb\n', after: 'a\nc\n' });
    assert.equal(d, '--- before: /etc/x\n+++ after: /etc/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n');
  });

  it('console: diff shown before the changed line and an empty line after it (as Ansible\'s callback); -v shows results; unreachable', () => {
    let out = '';
    const c = new ConsoleReporter({ verbosity: 1, color: false, diff: true, out: (s) => (out += s), err: (s) => (out += s) });
    c.emit({ type: 'task_start', name: 't', pos: { file: 'f', line: 1, col: 1 }, handler: false });
    c.emit({ type: 'host_result', host: 'h', task: 't', status: 'changed', result: { changed: true, failed: false }, diff: [{ path: '/p', before: '1\n', after: '2\n' }], durationMs: 1 });
    c.emit({ type: 'host_result', host: 'h2', task: 't', status: 'ok', delegatedTo: 'd', result: { changed: false }, durationMs: 1 });
    assert.equal(out, `\n${banner('TASK [t]')}\n--- before: /p\n+++ after: /p\n@@ -1 +1 @@\n-1\n+2\n\nchanged: [h] => {"changed": true}\nok: [h2 -> d] => {"changed": false}\n`);
  });
});
