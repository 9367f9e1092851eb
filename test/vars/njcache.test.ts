// The compiled-template disk cache (src/vars/njcache.ts): a cached template renders exactly like a
// freshly compiled one, syntax errors are never cached and read the same, a damaged entry is
// compiled again, and LVSPLAY_NO_CACHE=1 writes nothing. Each case runs in a child process with its
// own LVSPLAY_CACHE_DIR (the cache directory is chosen once per process).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLAR = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/vars/templar.js');

const SCRIPT = `
const { Templar } = await import(${JSON.stringify(TEMPLAR)});
const t = new Templar();
const out = [];
for (const src of JSON.parse(process.env.SRCS)) {
  try { out.push(t.renderString(src, { x: 3, names: ['b', 'a'], d: { k: 'v' } }, 'file.j2')); }
  catch (e) { out.push('ERROR ' + String(e.message ?? e)); }
}
process.stdout.write(JSON.stringify(out));
`;

const SRCS = [
  '{{ x + 1 }} {{ names | sort | join(",") }} {% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}',
  "{{ 'yes' if x is defined else 'no' }} {{ missing | default('dflt') }} {{ (names | length) > 1 }}",
  'line1\n{% if x > 2 %}\nbig\n{% endif %}\nend\n',
  '{{ x + }}',
  '{{ nope }}',
];

function render(cacheDir: string, extraEnv: Record<string, string> = {}): string[] {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, LVSPLAY_NO_CACHE: '', LVSPLAY_CACHE_DIR: cacheDir, SRCS: JSON.stringify(SRCS), ...extraEnv },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

function entries(cacheDir: string): string[] {
  try {
    return readdirSync(join(cacheDir, 'nunjucks')).flatMap((b) => readdirSync(join(cacheDir, 'nunjucks', b)).map((f) => join(cacheDir, 'nunjucks', b, f)));
  } catch {
    return [];
  }
}

describe('compiled-template cache', function () {
  before(function () {
    if (process.env.LVSPLAY_TEMPLATE_ENGINE === 'jinja2') {
      console.log('    (skipped: this is the nunjucks engine\'s compiled-template cache; LVSPLAY_TEMPLATE_ENGINE=jinja2 does not use it)');
      this.skip();
    }
  });
  this.timeout(30000);

  it('a cache hit renders and fails exactly like a fresh compile; only templates that compile are cached', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-njcache-'));
    const fresh = render(dir, { LVSPLAY_NO_CACHE: '1' });
    assert.deepEqual(entries(dir), [], 'LVSPLAY_NO_CACHE=1 writes nothing');
    const first = render(dir);
    const cached = entries(dir);
    assert.equal(cached.length, 4, `one entry per template that compiles (not '{{ x + }}'): ${cached.join(', ')}`);
    const second = render(dir);
    assert.deepEqual(first, fresh);
    assert.deepEqual(second, fresh);
    assert.match(fresh[0], /^4 a,b k=v$/);
    assert.match(fresh[3], /^ERROR unexpected token/);
    assert.match(fresh[4], /^ERROR .*nope/);
  });

  it('a damaged entry is compiled again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvsplay-njcache-'));
    const good = render(dir);
    for (const f of entries(dir)) writeFileSync(f, 'this is not javascript (');
    assert.deepEqual(render(dir), good);
  });
});
