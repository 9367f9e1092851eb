// Loop items planned together (src/run/hosttask.ts + src/run/batch.ts, a round-trip fix of the
// bench): an unchanged loop costs one exec per host; a loop whose items change things still sees
// each item's effect before the next item, as one-by-one execution does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempTree } from '../run/helpers.js';

const book = (path: string, items: [string, number][]) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: keys
      lineinfile:
        path: ${path}
        regexp: "^{{ item.k }}="
        line: "{{ item.k }}={{ item.v }}"
      loop:
${items.map(([k, v]) => `        - { k: ${k}, v: ${v} }`).join('\n')}
`;
const ABC: [string, number][] = [['a', 1], ['b', 2], ['c', 3]];

type Out = Awaited<ReturnType<typeof run>>;
const execs = (r: Out): number => (r.events.find((e) => e.type === 'recap') as { execs?: Record<string, number> }).execs?.localhost ?? -1;
const itemStatus = (r: Out): string[] => r.results('keys').filter((x) => x.item !== undefined).map((x) => x.status);

describe('bench: loop items planned together', () => {
  it('an unchanged loop of 3 items costs one exec', async () => {
    const f = join(tempTree({ 'f.conf': 'a=1\nb=2\nc=3\n' }), 'f.conf');
    const r = await run(book(f, ABC));
    assert.equal(r.rc, 0);
    assert.deepEqual(itemStatus(r), ['ok', 'ok', 'ok']);
    assert.equal(r.recap.localhost.changed, 0);
    assert.equal(execs(r), 1);
  });

  it('an item sees the previous item applied (same key twice), as one by one', async () => {
    const f = join(tempTree({ 'f.conf': 'x=0\n' }), 'f.conf');
    const r = await run(book(f, [['a', 1], ['a', 2]]));
    assert.equal(r.rc, 0);
    assert.deepEqual(itemStatus(r), ['changed', 'changed']);
    assert.equal(readFileSync(f, 'utf8'), 'x=0\na=2\n'); // planned ahead, item 2 would have appended a second line
  });

  it('unchanged up to an item: the items before it are final, that item and the rest run one by one', async () => {
    const f = join(tempTree({ 'f.conf': 'a=1\nb=9\nc=3\n' }), 'f.conf');
    const r = await run(book(f, ABC));
    assert.deepEqual(itemStatus(r), ['ok', 'changed', 'ok']);
    assert.equal(readFileSync(f, 'utf8'), 'a=1\nb=2\nc=3\n');
    // 1 exec plans all three; item 2: plan + apply; item 3: plan again (after item 2's change)
    assert.equal(execs(r), 4);
  });
});
