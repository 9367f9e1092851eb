// The unsafe marker (src/vars/unsafe.ts): one decision for "is this a template", a marker carried by
// a string's content (so every copy keeps it), and taint: what a render derives from unsafe data is unsafe.
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { hostvarsProxy } from '../../src/vars/magic.js';
import { Templar } from '../../src/vars/templar.js';
import { isTemplate, isUnsafe, markResultUnsafe, markUnsafe } from '../../src/vars/unsafe.js';
import { memInventory } from '../run/helpers.js';

const t = new Templar();
const HOSTILE = "{{ lookup('env', 'HOME') }} {% if true %}EVALUATED{% endif %}";

describe('vars: unsafe data', () => {
  it('isTemplate: markup of any kind, unless the string is unsafe data', () => {
    for (const s of ['a {{ b }}', '{% if x %}{% endif %}', '{# c #}']) assert.equal(isTemplate(s), true, s);
    for (const s of ['plain {x}', '', 5, null, undefined, ['{{ x }}']]) assert.equal(isTemplate(s), false, String(s));
    const s = `${HOSTILE} 1`;
    markUnsafe({ stdout: s });
    assert.equal(isTemplate(s), false);
    assert.equal(isTemplate(`${s}`.slice(0)), false, 'a copy of the string is still unsafe');
    assert.equal(isTemplate(JSON.parse(JSON.stringify({ s })).s), false, 'a JSON round trip keeps it');
  });

  it('a registered string copied through variables is never rendered', () => {
    const reg = markUnsafe({ stdout: `${HOSTILE} 2` });
    const vars = { reg, copy: `${HOSTILE} 2`, viaTemplate: '{{ reg.stdout }}', list: [`${HOSTILE} 2`] };
    assert.equal(t.render('{{ copy }}', vars), `${HOSTILE} 2`);
    assert.equal(t.render('{{ viaTemplate }}', vars), `${HOSTILE} 2`);
    assert.deepEqual(t.render('{{ list }}', vars), [`${HOSTILE} 2`]);
    assert.equal(t.render('x {{ copy }} y', vars), `x ${HOSTILE} 2 y`);
  });

  it('taint: strings derived from unsafe data by filters, concatenation and JSON are unsafe too', () => {
    const reg = markUnsafe({ stdout: `  ${HOSTILE} 3  ` });
    const vars = { reg };
    const trimmed = t.render('{{ reg.stdout | trim }}', vars);
    assert.equal(trimmed, `${HOSTILE} 3`);
    assert.equal(isTemplate(trimmed), false);
    const concat = t.render("pre {{ reg.stdout ~ '!' }}", vars);
    assert.equal(isTemplate(concat), false);
    const round = t.render("{{ {'v': reg.stdout | trim} | to_json | from_json }}", vars) as { v: string };
    assert.equal(isTemplate(round.v), false);
    // and used later as a variable, they stay literal
    assert.equal(t.render('{{ d }}', { d: trimmed }), `${HOSTILE} 3`);
  });

  it('a template that reads no unsafe data still renders what it builds', () => {
    const s = t.render("{{ '{{' }} x }}", {});
    assert.equal(s, '{{ x }}');
    assert.equal(isTemplate(s), true);
  });

  it('lookups are data: a file holding markup is not rendered when used later', () => {
    const s = t.render("{{ lookup('env', 'LVS_UNSAFE_TEST') }}", {});
    assert.equal(isUnsafe(s), false, 'a string without markup needs no marker');
    process.env.LVS_UNSAFE_TEST = '{{ 6 * 7 }} env';
    try {
      const v = t.render("{{ lookup('env', 'LVS_UNSAFE_TEST') }}", {});
      assert.equal(t.render('{{ v }}', { v }), '{{ 6 * 7 }} env');
    } finally {
      delete process.env.LVS_UNSAFE_TEST;
    }
  });

  it('hostvars: another host\'s unsafe data taints the render that reads it', () => {
    const inv = memInventory({ a: {} });
    const reg = markUnsafe({ stdout: `${HOSTILE} 4` });
    const hv = hostvarsProxy(inv, () => ({ reg, fromReg: '{{ reg.stdout }}' }), t);
    const out = t.render("{{ hostvars['a'].fromReg | replace('4', 'four') }}", { hostvars: hv });
    assert.equal(out, `${HOSTILE} four`);
    assert.equal(isTemplate(out), false);
  });

  it('a conditional whose first rendering is unsafe data fails instead of being evaluated', () => {
    const reg = markUnsafe({ stdout: 'lookup("env", "HOME")' });
    assert.throws(() => t.evalCondition('{{ reg.stdout }}', { reg }), (e) => e instanceof ConfigError && /marked as unsafe/.test(e.message));
    assert.equal(t.evalCondition('reg.stdout', { reg }), true);
  });

  it('results of controller-side modules (controllerOnly) are not host data; other results are', () => {
    const fromSetFact = { ansible_facts: { x: '{{ y }} set_fact' } };
    markResultUnsafe(fromSetFact, true); // set_fact
    assert.equal(isTemplate(fromSetFact.ansible_facts.x), true);
    const fromInclude = { ansible_facts: { x: '{{ y }} include_vars' } };
    markResultUnsafe(fromInclude, true); // include_vars
    assert.equal(isTemplate(fromInclude.ansible_facts.x), true);
    const fromHost = { stdout: '{{ y }} command', nested: [{ '{{ k }}': 1 }] };
    markResultUnsafe(fromHost, false); // command
    assert.equal(isTemplate(fromHost.stdout), false);
    assert.equal(isTemplate('{{ k }}'), false, 'keys are marked too');
  });
});
