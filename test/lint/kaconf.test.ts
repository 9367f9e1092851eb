// The keepalived.conf parser: blocks, arguments and positions; brace errors with line numbers.
import { strict as assert } from 'node:assert';
import { parseKeepalived, tokenizeLine } from '../../src/lint/kaconf.js';

describe('check: keepalived.conf parser', () => {
  it('tokenizes words, braces, quoted strings and stops at ! and # comments', () => {
    const t = tokenizeLine('  notify "/bin/x a"{ ! comment }', 3).map((x) => [x.text, x.pos.col]);
    assert.deepEqual(t, [['notify', 3], ['/bin/x a', 10], ['{', 20]]);
  });

  it('blanks are C isspace (\\v and \\f too); any other character, a no-break space included, is part of a word (the fuzzer\'s closing brace + U+00A0 line ran out of memory)', () => {
    assert.deepEqual(tokenizeLine('}\u00a0', 1).map((x) => x.text), ['}', '\u00a0']);
    assert.deepEqual(tokenizeLine('a\u00a0b\vc\fd', 1).map((x) => x.text), ['a\u00a0b', 'c', 'd']);
    assert.deepEqual(tokenizeLine('\u2003{x}', 1).map((x) => x.text), ['\u2003', '{', 'x', '}']);
  });

  it('builds nested blocks with the position of every keyword and argument', () => {
    const c = parseKeepalived('vrrp_instance VI_1 {\n    state MASTER\n    virtual_ipaddress {\n        10.0.0.1/24 dev eth0\n    }\n}\n');
    assert.deepEqual(c.problems, []);
    const vi = c.nodes[0];
    assert.equal(vi.key, 'vrrp_instance');
    assert.deepEqual(vi.args, ['VI_1']);
    assert.deepEqual(vi.close, { line: 6, col: 1 });
    assert.deepEqual(vi.children![0].argPos[0], { line: 2, col: 11 });
    const vip = vi.children![1].children![0];
    assert.equal(vip.key, '10.0.0.1/24');
    assert.deepEqual(vip.pos, { line: 4, col: 9 });
  });

  it('accepts a { on the line after its keyword', () => {
    const c = parseKeepalived('global_defs\n{\n  router_id a\n}\n');
    assert.deepEqual(c.problems, []);
    assert.equal(c.nodes[0].children![0].key, 'router_id');
  });

  it('reports a block never closed where it was opened, and a stray }', () => {
    const c = parseKeepalived('virtual_server 1.2.3.4 80 {\n  delay_loop 6\n');
    assert.equal(c.problems.length, 1);
    assert.deepEqual(c.problems[0].pos, { line: 1, col: 1 });
    assert.match(c.problems[0].message, /never closed: missing '\}' \(end of file at line 2\)/);
    const d = parseKeepalived('global_defs {\n}\n}\n');
    assert.deepEqual(d.problems.map((p) => [p.pos.line, p.message]), [[3, "unmatched '}': no block is open here"]]);
  });

  it('recovers when a top-level block starts inside an unclosed one', () => {
    const c = parseKeepalived('vrrp_instance A {\n  state MASTER\nvirtual_server 1.2.3.4 80 {\n  delay_loop 6\n}\n');
    assert.equal(c.problems.length, 1);
    assert.deepEqual(c.problems[0].pos, { line: 1, col: 1 });
    assert.match(c.problems[0].message, /not closed before 'virtual_server' at line 3/);
    assert.deepEqual(c.nodes.map((n) => n.key), ['vrrp_instance', 'virtual_server']);
  });
});
