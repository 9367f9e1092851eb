// Probe of minijinja-js semantics against what Ansible does (docs/templating.md). Not a dependency:
//   MINIJINJA_JS=/tmp/mj/node_modules/minijinja-js node bench/minijinja-probe.mjs
import path from 'node:path';
const { Environment } = await import(path.join(process.env.MINIJINJA_JS ?? '/tmp/mj/node_modules/minijinja-js', 'dist/node/minijinja_js.js'));
const env = new Environment();
env.trimBlocks = true; env.keepTrailingNewline = true; env.undefinedBehavior = 'strict'; env.enablePyCompat();
let seen;
env.addFilter('combine', (a, b) => { seen = [a?.constructor?.name, b?.constructor?.name]; return Object.assign({}, a instanceof Map ? Object.fromEntries(a) : a, b instanceof Map ? Object.fromEntries(b) : b); });
env.addFilter('seen', (x, ...r) => JSON.stringify([x, r]));
const cases = [
  ["{{ s | combine({'k': {'x': true}}) }}", {s: {a: 1}}],
  ["{{ [1, 2] == [1, 2] }} {{ ['one'] + ['two'] }}", {}],
  ["{{ l | groupby('k') }}", {l: [{k: 1}, {k: 2}, {k: 1}]}],
  ["{{ '\\\\1' | seen }}", {}],
  ["{{ '%s-%d' | format('a', 3) }}", {}],
  ["{{ d.items() | list }} {{ 'a,b'.split(',') }} {{ '{}-{}'.format(1,2) }}", {d: {a: 1}}],
  ["{{ x | default(undef.attr, true) }}", {x: 5}],
  ["{{ 'ab' % () }}", {}],
  ["#jinja2: trim_blocks: False\n{% if true %}\nx\n{% endif %}\n", {}],
  ["{{ none }}|{{ None }}|{{ True }}|{{ 1.0 }}|{{ {'a': [1, 'x', none]} }}", {}],
  ["{{ nope }}", {}],
  ["line1\n{{ nope.x }}", {a: {}}],
  ["{{ x.y.z is defined }}", {x: {}}],
  ["{{ f() }}", {f: () => 42}],
];
for (const [t, c] of cases) { try { console.log('%s => %s', JSON.stringify(t), JSON.stringify(env.renderStr(t, c))); } catch (e) { console.log('%s ERR %s', JSON.stringify(t), e.message.split('\n')[0]); } }
console.log('filter saw', seen);
env.addTemplate('inc.j2', 'included {{ v }}');
console.log(env.renderStr("{% include 'inc.j2' %}|{% include 'missing.j2' ignore missing %}", {v: 1}));
