import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { isTemplate, markUnsafe, Templar } from '../../src/vars/templar.js';

const t = new Templar();
const at = { file: 'site.yml', line: 14, col: 9 };

function err(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return String(e);
  }
  throw new Error('expected an error');
}

describe('vars: Templar', () => {
  const V = {
    port: 80,
    ports: [80, 443],
    cfg: { vip: '10.0.0.100', nested: { a: [1, 2] } },
    enabled: true,
    name: 'lvs',
    none: null,
    base: '10.0.0',
    vip: '{{ base }}.100',
    vip_address: '10.0.0.100',
    vips: ['{{ vip }}', '{{ base }}.101'],
    all_cfg: { addr: '{{ vip }}', port: '{{ port }}' },
    a: '{{ b }}',
    b: '{{ c }}',
    c: '{{ a }}',
    str_false: 'False',
  };

  describe('native types', () => {
    const cases: [unknown, unknown][] = [
      ['{{ port }}', 80],
      ['{{ ports }}', [80, 443]],
      ['{{ cfg }}', V.cfg],
      ['{{ enabled }}', true],
      ['{{ none }}', null],
      ['{{ port + 1 }}', '81'], // ansible 2.14: a computed number is text in a task argument
      ['{{ ports | length > 1 }}', true],
      ['port {{ port }}', 'port 80'],
      ['{{ ports }} x', '[80, 443] x'],
      ['{{ cfg.nested }}!', "{'a': [1, 2]}!"],
      ['{{ enabled }} {{ none }}.', 'True .'],
      ['{{ True }} {{ False }} {{ None }}', 'True False '],
      ['{{ [True, None] }}', [true, null]],
      ['{{ {"x": False} }}', { x: false }],
      ['{{- port -}}', '80'], // only a plain `{{ name }}` keeps a number
      ['no template', 'no template'],
      [42, 42],
      [['{{ port }}', { k: '{{ name }}-x', '{{ name }}_key': 1 }], [80, { k: 'lvs-x', lvs_key: 1 }]],
    ];
    for (const [tpl, expected] of cases) {
      it(`${JSON.stringify(tpl)} -> ${JSON.stringify(expected)}`, () => assert.deepEqual(t.render(tpl, V), expected));
    }
  });

  describe('Python-isms Ansible users write', () => {
    const cases: [string, unknown][] = [
      ['{{ cfg.keys() | list }}', ['vip', 'nested']],
      ["{{ cfg.get('vip') }}", '10.0.0.100'],
      ["{{ cfg.get('nokey', 'dflt') }}", 'dflt'],
      ["{{ cfg['vip'] }}", '10.0.0.100'],
      ['{{ 80 in ports }}', true],
      ['{{ 81 not in ports }}', true],
      ["{{ 'vip' in cfg }}", true],
      ["{{ name ~ '-' ~ port }}", 'lvs-80'],
      ["{{ name ~ '/' ~ enabled }}", 'lvs/True'],
      ['{{ ports[-1] }}', 443],
      ['{{ ports[1:] }}', [443]],
      ['{{ name[::-1] }}', 'svl'],
      ["{{ name.upper() }}", 'LVS'],
      ["{{ 'a,b'.split(',') }}", ['a', 'b']],
      ["{{ ' x '.strip() }}", 'x'],
      ["{{ name.startswith('lv') }}", true],
      ["{{ 'a-b-c'.replace('-', '.') }}", 'a.b.c'],
      ["{{ '{}:{}'.format(name, port) }}", 'lvs:80'],
      ['{{ 7 // 2 }}', 3],
      ['{{ 2 ** 10 }}', 1024],
      ['{{ port if enabled else 0 }}', 80],
      ["{% if port > 10 %}big{% else %}small{% endif %}", 'big'],
      ['{% for k, v in cfg.items() %}{{ k }};{% endfor %}', 'vip;nested;'],
      ['{% set x = port * 2 %}{{ x }}', '160'],
    ];
    for (const [tpl, expected] of cases) {
      it(`${tpl} -> ${JSON.stringify(expected)}`, () =>
        assert.deepEqual(tpl.startsWith('{{') && tpl.endsWith('}}') ? t.evalExpr(tpl.slice(2, -2), V) : t.render(tpl, V), expected),
      );
    }
  });

  describe('variables that are templates', () => {
    it('are rendered lazily and recursively, in lists and dicts too', () => {
      assert.equal(t.render('{{ vip }}', V), '10.0.0.100');
      assert.deepEqual(t.render('{{ vips }}', V), ['10.0.0.100', '10.0.0.101']);
      assert.deepEqual(t.render('{{ all_cfg }}', V), { addr: '10.0.0.100', port: 80 });
    });
    it('a loop is an error naming the chain', () => {
      assert.equal(err(() => t.render('{{ a }}', V, at)), 'site.yml:14:9: recursive loop detected in template: a -> b -> c -> a');
    });
    it('unused broken variables do not matter', () => {
      assert.equal(t.render('{{ port }}', { ...V, broken: '{{ nope }}' }), 80);
    });
    it('an undefined variable inside another names both', () => {
      assert.equal(err(() => t.render('{{ x }}', { x: 'a{{ vip_adress }}', vip_address: 1 }, at)), "site.yml:14:9: undefined variable 'vip_adress' (in variable 'x') (did you mean 'vip_address'?)");
    });
  });

  describe('renders answered without the engine, and renders reused (issue 17: speed)', () => {
    it('a lone key path whose key is a dict method\'s name is the method, as in Jinja2 (not the key)', () => {
      const vars = { srv: { items: 'shadowed', name: 'web' } };
      assert.equal(t.render('{{ srv.name }}', vars), 'web');
      assert.match(String(t.render('{{ srv.items }}', vars)), /^<built-in method items of dict object at 0x/);
    });
    it('a lone variable holding text that looks like a list is read back as one; text stays text', () => {
      assert.deepEqual(t.render('{{ x }}', { x: "[1, 'a']" }), [1, 'a']);
      assert.equal(t.render('{{ x }}', { x: '[1, ' }), '[1, ');
      assert.equal(t.render('{{ x.y }}', { x: { y: 'True' } }), true);
    });
    it('host data read through a lone variable is still unsafe', () => {
      const r = t.render('{{ out.stdout }}', { out: markUnsafe({ stdout: '{{ lookup("env", "HOME") }}' }) });
      assert.equal(r, '{{ lookup("env", "HOME") }}');
      assert.equal(isTemplate(r), false);
    });
    it('randomness, time and lookups are rendered anew each time, with the same variables', () => {
      const vars = { big: 1_000_000_000, x: 'a' };
      const draws = new Set([1, 2, 3, 4].map(() => t.render('{{ big | random }}', vars)));
      assert.ok(draws.size > 1, `random gave ${[...draws].join(', ')} each time`);
      const stamps = new Set([1, 2, 3].map(() => t.render("{{ now(fmt='%s.%f') ~ x }}", vars)));
      assert.ok(stamps.size > 1, 'now() gave the same time each time');
      const dir = mkdtempSync(join(tmpdir(), 'lvsplay-memo-'));
      const f = join(dir, 'f.txt');
      const seen = [1, 2, 3].map((k) => {
        writeFileSync(f, `v${k}`);
        return t.render("{{ lookup('file', f) ~ x }}", { f, x: '!' });
      });
      assert.deepEqual(seen, ['v1!', 'v2!', 'v3!']);
    });
    it('a reused result is a copy: changing one does not change the next', () => {
      const vars = { n: 2 };
      const first = t.render('{{ [n, {"k": n}] }}', vars) as unknown[];
      (first as unknown[]).push('changed');
      (first[1] as Record<string, unknown>).k = 'changed';
      assert.deepEqual(t.render('{{ [n, {"k": n}] }}', vars), [2, { k: 2 }]);
      assert.deepEqual(t.render('{{ [n, {"k": n}] }}', vars), [2, { k: 2 }]);
    });
  });

  describe('undefined variables', () => {
    it('name the variable, the place and a suggestion', () => {
      assert.equal(err(() => t.render('{{ vip_adress }}', V, at)), "site.yml:14:9: undefined variable 'vip_adress' (did you mean 'vip_address'?)");
      assert.equal(err(() => t.render('addr {{ vip_adress }}/32', V, at)), "site.yml:14:9: undefined variable 'vip_adress' (did you mean 'vip_address'?)");
    });
    it('missing attributes name the whole path', () => {
      assert.equal(err(() => t.render('{{ cfg.vipp }}', V, at)), "site.yml:14:9: undefined variable 'cfg.vipp' ('dict object' has no attribute 'vipp') (did you mean 'vip'?)");
      assert.match(err(() => t.render('{{ cfg.nested.a[5] }}', V, at)), /undefined variable 'cfg\.nested\.a\[5\]' \((list index 5 out of range|list object has no element 5)\)/);
    });
    it('in conditions and in {% if %} too (StrictUndefined)', () => {
      assert.match(err(() => t.evalCondition('nope == 1', V, at)), /^site\.yml:14:9: undefined variable 'nope'/);
      assert.match(err(() => t.render('{% if nope %}x{% endif %}', V, at)), /undefined variable 'nope'/);
    });
    it('loop variables and {% set %} are known', () => {
      assert.equal(t.render('{% for p in ports %}{{ p }},{% endfor %}', V), '80,443,');
      assert.equal(t.render('{% for p in ports %}{{ loop.index }}{% endfor %}', V), '12');
    });
  });

  describe('evalCondition (when:)', () => {
    const cases: [string | boolean, boolean][] = [
      [true, true],
      [false, false],
      ['enabled', true],
      ['not enabled', false],
      ['port == 80', true],
      ['port == 80 and name == "lvs"', true],
      ['ports | length == 2', true],
      ['True', true],
      ['False', false],
      ['"{{ enabled }}"', true],
      ['{{ port == 80 }}', true],
      ['{{ str_false }}', false],
      ['str_false', true],
      ['str_false | bool', false],
      ['none', false],
      ['[]', false],
      ['cfg', true],
      ['nope is defined and nope', false],
    ];
    for (const [expr, expected] of cases) {
      it(`${JSON.stringify(expr)} -> ${expected}`, () => assert.equal(t.evalCondition(expr, V), expected));
    }
  });

  describe('template files', () => {
    it('render with trim_blocks and keep the trailing newline', () => {
      const src = 'vrrp {\n{% for p in ports %}\n  port {{ p }}\n{% endfor %}\n}\n';
      assert.equal(t.renderString(src, V, 'k.conf.j2'), 'vrrp {\n  port 80\n  port 443\n}\n');
    });
    it("errors carry the template's own FILE:LINE:COL", () => {
      assert.equal(err(() => t.renderString('a\nb {{ port }}\n  {{ vip_adress }}\n', V, 'templates/k.conf.j2')), "templates/k.conf.j2:3:6: undefined variable 'vip_adress' (did you mean 'vip_address'?)");
      assert.match(err(() => t.renderString('a\n{% if port %}\n{% endfor %}\n', V, 'k.j2')), /^k\.j2:3:\d+: (unknown block tag: endfor|template syntax error: Encountered unknown tag 'endfor')/);
      assert.match(err(() => t.renderString('a\n\n{{ port | from_json | nosuch }}\n', V, 'k.j2')), /^k\.j2:3:\d+: .*nosuch/);
      assert.match(err(() => t.renderString('x\n{{ cfg.vip.nope }}', V, 'k.j2')), /^k\.j2:2:\d+: undefined variable 'cfg\.vip\.nope'/);
    });
  });

  it('syntax errors in inline templates say so, at the given position', () => {
    assert.match(err(() => t.render('{{ port + }}', V, at)), /^site\.yml:14:9: template syntax error/);
    assert.match(err(() => t.render('{% if %}', V, at)), /^site\.yml:14:9: template syntax error/);
  });

  it('isTemplate', () => {
    assert.equal(isTemplate('a {{ b }}'), true);
    assert.equal(isTemplate('{% if x %}'), true);
    assert.equal(isTemplate('{# c #}'), true);
    assert.equal(isTemplate('plain {x}'), false);
    assert.equal(isTemplate(5), false);
  });

  it('lookup env/file', () => {
    process.env.LVSPLAY_TEST_VAR = 'v1';
    assert.equal(t.render("{{ lookup('env', 'LVSPLAY_TEST_VAR') }}", {}), 'v1');
  });

  it("Jinja's x.0 is x[0] (item.0.name, item.1, l.1.1), floats stay floats", () => {
    const v = { item: [{ name: 'n', l: [5, [6, 7]] }, 'x'] };
    assert.equal(t.render('{{ item.0.name }}|{{ item.1 }}|{{ item.0.l.1.1 }}|{{ item.0.l.0 }}', v), 'n|x|7|5');
    assert.equal(t.render("{{ 1.5 + 1 }} {{ 'v1.0' }}", v), '2.5 v1.0');
  });

  it('lookup() in a template: search path, query/wantlist lists, template lookup with the same variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-lk-'));
    mkdirSync(join(dir, 'files'));
    writeFileSync(join(dir, 'files', 'a.txt'), 'A \n');
    writeFileSync(join(dir, 't.j2'), '{{ who }}-{{ lookup("file", "a.txt") }}');
    const v = { ansible_search_path: [dir], who: 'me' };
    assert.equal(t.render("{{ lookup('file', 'a.txt') }}", v), 'A');
    assert.deepEqual(t.render("{{ query('first_found', 'nope', 'a.txt') }}", v), [join(dir, 'files', 'a.txt')]);
    assert.equal(t.render("{{ lookup('template', 't.j2') }}!{{ who }}", v), 'me-A!me');
  });
});

describe('vars: unsafe values', () => {
  it('registered output containing {{ }} is data, never templated', () => {
    const t = new Templar();
    const reg = markUnsafe({ stdout: 'literal {{ nope }}', rc: 0 });
    assert.deepEqual(t.render('{{ reg }}', { reg }), { stdout: 'literal {{ nope }}', rc: 0 });
    assert.equal(t.render('{{ reg.stdout }}', { reg }), 'literal {{ nope }}');
  });
  it('a condition rendered from host data is refused on every render: asked for, sent marked, reused from the memo', () => {
    const t = new Templar();
    // three renders of the same string with the same values: the first asks for its variables, the
    // second sends them (marked as host data), the third is the second's result reused
    for (const round of [1, 2, 3]) {
      const reg = markUnsafe({ stdout: ' 6 * 7 == 42 ' });
      assert.throws(() => t.evalCondition("{{ reg.stdout | trim ~ '' }}", { reg }), /Conditional is marked as unsafe/, `render ${round}`);
    }
  });
});
