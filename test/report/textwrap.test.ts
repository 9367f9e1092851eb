// src/report/textwrap.ts against Python's own textwrap.wrap (the function Ansible's warnings go
// through), on the same texts: hyphenated words, em-dashes, URLs longer than a line, tabs and
// newlines, runs of spaces, non-ASCII letters and emoji, widths from 10 to 100.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { wrap } from '../../src/report/textwrap.js';

const TEXTS = [
  "[WARNING]: Using a variable for a task's 'args' is unsafe in some situations (see https://docs.ansible.com/ansible/devel/reference_appendices/faq.html#argsplat-unsafe)",
  '[WARNING]: Distribution debian 12 on host localhost should use /usr/bin/python3, but is using /usr/bin/python3.11, since the discovered platform python interpreter was not present. See https://docs.ansible.com/ansible-core/2.14/reference_appendices/interpreter_discovery.html for more information.',
  'Look, goof-ball -- use the -b option! well-known self-evident up-to-date a--b --x x-- co-op-ed',
  'tabs\there\tand\nnew lines\r\nand  double  spaces   end   ',
  '   leading spaces and a verylongwordwithouthyphensthatgoesonandonandonforeverandevermorethanawidth here',
  'a-very-long-hyphenated-compound-word-that-is-longer-than-any-line-we-would-ever-wrap-at ok',
  'Ünïcödé wörds ärë wräppëd tôô — ça-va très-bien ; 日本語のテキスト 😀-emoji-word 😀😀',
  '----- only-dashes --- -x- 3-4-5 x-1 1-x ab-cd-ef',
  '',
  '     ',
  'x',
];
const WIDTHS = [10, 17, 33, 60, 79, 100];

describe("textwrap: Ansible's warnings wrapped as Python's textwrap wraps them", () => {
  it(`${TEXTS.length} texts × ${WIDTHS.length} widths: the same lines as Python`, () => {
    const cases = TEXTS.flatMap((t) => WIDTHS.map((w) => [t, w] as const));
    const py = 'import json, sys, textwrap\nprint(json.dumps([textwrap.wrap(t, w) for t, w in json.load(sys.stdin)]))';
    const want = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py], { input: JSON.stringify(cases), encoding: 'utf8' })) as string[][];
    cases.forEach(([t, w], i) => assert.deepEqual(wrap(t, w), want[i], `width ${w}: ${JSON.stringify(t)}`));
  });
});
