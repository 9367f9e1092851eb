// Templates compiled by one run are kept for the next (src/jinja/j2cache.py): the same results with
// a cold and a warm cache, the file private to the user, and a file someone else could have written
// (or a damaged one) never used — shown by planting compiled code that would print something else.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');

const PLAY = `- hosts: all
  gather_facts: false
  vars:
    greeting: hello
    items_: [3, 1, 2]
  tasks:
    - debug: {msg: "{{ greeting }} {{ items_ | sort | join(',') }}"}
    - debug: {msg: "expr {{ 'yes' if items_ | length > 2 else 'no' }}"}
      when: items_ | max == 3
    - template: {src: t.j2, dest: "{{ playbook_dir }}/out.txt"}
`;

function project(): { dir: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-j2cache-'));
  writeFileSync(join(dir, 'site.yml'), PLAY);
  writeFileSync(join(dir, 't.j2'), '{% for i in items_ | sort %}{{ greeting }} {{ i }}\n{% endfor %}');
  return { dir, cache: join(dir, 'xdg') };
}

function run(dir: string, cache: string, env: Record<string, string> = {}): { out: string; file: string } {
  const r = spawnSync(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', 'site.yml'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache, ...env },
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const messages = [...r.stdout.matchAll(/"msg": "([^"]*)"/g)].map((m) => m[1]).join('|');
  return { out: messages, file: spawnSync('cat', [join(dir, 'out.txt')], { encoding: 'utf8' }).stdout };
}

const cacheFile = (cache: string): string => {
  const names = readdirSync(join(cache, 'lvsplay', 'jinja2')).filter((n) => /^[0-9a-f]+\.marshal$/.test(n));
  assert.equal(names.length, 1, `one cache file: ${names.join(' ')}`);
  return join(cache, 'lvsplay', 'jinja2', names[0]);
};

/** Rewrites the cache so that the task argument '{{ greeting }} ...' runs the code of another template. */
function plant(file: string): void {
  const py = `
import marshal, sys
sys.path.insert(0, sys.argv[2])
import j2env
d = marshal.loads(open(sys.argv[1], 'rb').read())
keys = [k for k in d if k[0] == 'a' and k[1].startswith('{{ greeting }}')]
assert len(keys) == 1, keys
tree = j2env.env.parse('PLANTED')
d[keys[0]] = ([], j2env.env.compile(tree))
open(sys.argv[1], 'wb').write(marshal.dumps(d))
`;
  const r = spawnSync('python3', ['-c', py, file, resolve(dirname(fileURLToPath(import.meta.url)), '../../../src/jinja')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // the renders the earlier run kept (src/jinja/kept.ts) would answer without the engine's code
  rmSync(join(dirname(dirname(file)), 'renders'), { recursive: true, force: true });
}

describe('compiled templates kept between runs (j2cache)', function () {
  this.timeout(60000);
  const expected = { out: 'hello 1,2,3|expr yes', file: 'hello 1\nhello 2\nhello 3\n' };

  it('a warm cache gives the same results as a cold one; the file is private to the user', () => {
    const { dir, cache } = project();
    assert.deepEqual(run(dir, cache), expected);
    const file = cacheFile(cache);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(cache, 'lvsplay', 'jinja2')).mode & 0o777, 0o700);
    const first = statSync(file).mtimeMs;
    assert.deepEqual(run(dir, cache), expected);
    assert.equal(statSync(file).mtimeMs, first, 'nothing new compiled: the file is not rewritten');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the cache is used: code planted in it runs when the file is trusted, and is ignored when others could write it', () => {
    const { dir, cache } = project();
    run(dir, cache);
    const file = cacheFile(cache);
    plant(file);
    chmodSync(file, 0o644);
    assert.equal(run(dir, cache).out.split('|')[0], 'PLANTED', 'a trusted cache is read (else this test shows nothing)');
    plant(file);
    chmodSync(file, 0o666);
    assert.deepEqual(run(dir, cache), expected);
    plant(file);
    chmodSync(file, 0o600);
    chmodSync(join(cache, 'lvsplay', 'jinja2'), 0o777);
    assert.deepEqual(run(dir, cache), expected);
    rmSync(dir, { recursive: true, force: true });
  });

  it('compiled code holds no value computed while compiling: random, and lvsplay\'s filters on constants, are computed at every run', () => {
    const { dir, cache } = project();
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: "{{ 1000000000 | random }} {{ \'~\' | expanduser }}"}\n');
    const once = (home: string): string[] => {
      const r = spawnSync(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', 'site.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache, HOME: home } });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      return /"msg": "(\d+) (\S+)"/.exec(r.stdout)!.slice(1);
    };
    const [n1, h1] = once('/home/one');
    const [n2, h2] = once('/home/two');
    const [n3] = once('/home/two');
    assert.equal(h1, '/home/one');
    assert.equal(h2, '/home/two', "a lvsplay filter's result on a constant was kept in the compiled code");
    assert.ok(n1 !== n2 || n2 !== n3, `random gave ${n1} ${n2} ${n3} in three runs`);
    rmSync(dir, { recursive: true, force: true });
  });

  it("another engine version's file stays while it is in use (two lvsplay versions side by side), and goes after a week unused", () => {
    const { dir, cache } = project();
    const d = join(cache, 'lvsplay', 'jinja2');
    mkdirSync(d, { recursive: true, mode: 0o700 });
    chmodSync(join(cache, 'lvsplay'), 0o755);
    const recent = join(d, '0123456789abcdef.marshal');
    const old = join(d, 'fedcba9876543210.marshal');
    writeFileSync(recent, 'x', { mode: 0o600 });
    writeFileSync(old, 'x', { mode: 0o600 });
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    assert.deepEqual(run(dir, cache), expected); // a cold run: it compiles, so it writes its own file
    const left = readdirSync(d).sort();
    assert.equal(left.length, 2, left.join(' '));
    assert.ok(left.includes('0123456789abcdef.marshal'), 'the other version in use is kept');
    assert.ok(!left.includes('fedcba9876543210.marshal'), 'the file unused for a week is removed');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a first run compiles what its precheck parsed while lvsplay waits for its hosts: a skipped task\'s argument and a template file no task rendered are in the cache after it, and render the same when used', () => {
    const { dir, cache } = project();
    // the command gives the engine time with nothing asked of it; the next two tasks are skipped
    writeFileSync(
      join(dir, 'site.yml'),
      PLAY.replace('  tasks:\n', '  tasks:\n    - command: sleep 0.5\n').replace('    - template: {src: t.j2, dest: "{{ playbook_dir }}/out.txt"}\n', '    - debug: {msg: "skipped {{ greeting | upper }}"}\n      when: false\n    - template: {src: t.j2, dest: "{{ playbook_dir }}/out.txt"}\n      when: false\n'),
    );
    spawnSync(process.execPath, [CLI, '-i', 'localhost,', '-c', 'local', 'site.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache } });
    const py = `
import marshal, sys
d = marshal.loads(open(sys.argv[1], 'rb').read())
print('arg' if ('a', 'skipped {{ greeting | upper }}') in d else '-')
print('file' if any(k[0].startswith('t') and k[1].startswith('{% for i in items_') for k in d) else '-')
`;
    const r = spawnSync('python3', ['-c', py, cacheFile(cache)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, 2), ['arg', 'file'], 'compiled ahead, though never rendered');
    // the same playbook without `when: false`: rendered from what was compiled ahead, as a cold run renders
    writeFileSync(join(dir, 'site.yml'), PLAY);
    assert.deepEqual(run(dir, cache), expected);
    rmSync(dir, { recursive: true, force: true });
  });

  it("the names a template reads, read off the tree for one of output and `if` only, are Jinja2's own analysis' on every string of the corpora and the roles", () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
    const py = `
import glob, os, sys
sys.path.insert(0, os.path.join(sys.argv[1], 'src/jinja'))
os.environ['LVSPLAY_NO_CACHE'] = '1'
import j2env
from jinja2 import meta, nodes
j2env.setup({'filters': [], 'tests': [], 'globals': ['lookup', 'query', 'q', 'lipsum']})
env = j2env.env
srcs = [l.rstrip('\\n') for l in open(os.path.join(sys.argv[1], 'test/vars/corpus/expressions.txt')) if l.strip() and not l.startswith('#')]
for pattern in ('test/vars/corpus/roles/**/*.j2', 'roles/**/*.j2'):
    srcs += [open(f).read() for f in glob.glob(os.path.join(sys.argv[1], pattern), recursive=True)]
fast = same = 0
for src in srcs:
    try:
        tree = env.parse(j2env.double_backslashes(src))
        want = sorted(meta.find_undeclared_variables(tree) | {n.name for n in tree.find_all(nodes.Name) if n.ctx == 'load' and n.name in env.globals})
    except Exception:
        continue  # Jinja2's analysis fails (an unknown filter): nothing to compare with
    plain = all(isinstance(n, (nodes.Output, nodes.If)) for n in tree.find_all(nodes.Stmt))
    fast += plain
    got = j2env.used_names(env, tree)
    if got != want:
        print('DIFFERENT', repr(src[:80]), got, want)
    else:
        same += 1
print('compared', same, 'fast', fast)
`;
    const r = spawnSync('python3', ['-c', py, root], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes('DIFFERENT'), r.stdout);
    const [, same, fast] = /compared (\d+) fast (\d+)/.exec(r.stdout)!.map(Number);
    assert.ok(same > 300 && fast > 200, `compared ${same} strings, ${fast} of them read off the tree: the corpora are there`);
  });

  it('a damaged cache file is ignored and replaced; LVSPLAY_NO_CACHE=1 neither reads nor writes one', () => {
    const { dir, cache } = project();
    run(dir, cache);
    const file = cacheFile(cache);
    writeFileSync(file, Buffer.from('\xe3\x00garbage not marshal', 'latin1'));
    assert.deepEqual(run(dir, cache), expected);
    assert.ok(statSync(file).size > 100, 'rewritten with what that run compiled');
    const off = join(dir, 'xdg-off');
    mkdirSync(off);
    assert.deepEqual(run(dir, off, { LVSPLAY_NO_CACHE: '1' }), expected);
    assert.deepEqual(readdirSync(off), []);
    rmSync(dir, { recursive: true, force: true });
  });
});
