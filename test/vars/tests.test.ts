import assert from 'node:assert/strict';
import { Templar } from '../../src/vars/templar.js';

const t = new Templar();
const V = {
  s: 'abc',
  n: 3,
  f: 1.5,
  l: [1, 2],
  d: { k: 1 },
  b: false,
  none: null,
  ok: { changed: false, failed: false, rc: 0 },
  bad: { changed: true, failed: true, rc: 1 },
  skip: { changed: false, skipped: true },
  looped: { changed: true, results: [{ changed: false }, { changed: true, failed: true }] },
  ver: '2.0.15',
};

const cases: [string, boolean][] = [
  ['s is defined', true],
  ['nope is defined', false],
  ['nope is undefined', true],
  ['nope is not defined', true],
  ['d.k is defined', true],
  ['d.nokey is defined', false],
  ['nope.deeper is defined', false],
  ['none is none', true],
  ['s is none', false],
  ['s is truthy', true],
  ['none is falsy', true],
  ['s is string', true],
  ['n is string', false],
  ['n is number', true],
  ['f is number', true],
  ['n is integer', true],
  ['f is float', true],
  ['d is mapping', true],
  ['l is mapping', false],
  ['l is iterable', true],
  ['d is iterable', true],
  ['n is iterable', false],
  ['l is sequence', true],
  ['b is boolean', true],
  ['s is boolean', false],
  ["s is match('a')", true],
  ["s is match('b')", false],
  ["s is search('b')", true],
  ["s is regex('^a.c$')", true],
  ["'B' is match('b', ignorecase=true)", true],
  ['1 is in l', true],
  ['5 is in l', false],
  ['1 is in(l)', true],
  ["'k' is in d", true],
  ["ver is version('2.0.4', '>=')", true],
  ["ver is version('2.0.15', 'eq')", true],
  ["ver is version('2.1', '<')", true],
  ["'1.10' is version('1.9', 'gt')", true],
  ['ok is succeeded', true],
  ['ok is success', true],
  ['ok is failed', false],
  ['bad is failed', true],
  ['bad is changed', true],
  ['ok is changed', false],
  ['skip is skipped', true],
  ['ok is skipped', false],
  ['looped is changed', true],
  ['{"results": [{"failed": true}]} is failed', true],
  ['n is odd', true],
  ['4 is even', true],
  ['9 is divisibleby(3)', true],
  ['n is eq(3)', true],
  ["'/' is abs", true],
];

describe('vars: Jinja and Ansible tests', () => {
  for (const [expr, expected] of cases) {
    it(`${expr} -> ${expected}`, () => {
      assert.equal(t.evalCondition(expr, V), expected);
    });
  }
  it('registered-result tests refuse non-dicts', () => {
    assert.throws(() => t.evalCondition('s is failed', V), /expects a dictionary/);
  });
});
