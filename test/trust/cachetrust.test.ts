// lvsplay's disk caches hold code it runs (compiled ajv validators, compiled custom modules; the
// Jinja2 engine's j2cache has its own test in test/vars/compilecache): a file someone else could have
// written, or a directory others can write, is never loaded from — shown by planting a validator
// that accepts everything — and files are private to the user.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, privateDir, trustedFile, writeCacheFile } from '../../src/cache.js';
import { cachedCompile } from '../../src/playbook/ajvcache.js';

const schema = (tag: string) => ({ type: 'object', properties: { [tag]: { type: 'string' } }, required: [tag], additionalProperties: false });
const OPTS = { strict: false, code: { source: true } };
const PLANTED = 'module.exports = function planted() { return true; };\n';

describe('trust: code kept in the caches is loaded only from private files and directories', () => {
  const saved = process.env.LVSPLAY_CACHE_DIR;
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'lvsplay-cachetrust-'));
    process.env.LVSPLAY_CACHE_DIR = join(base, 'cache');
  });
  afterEach(() => {
    rmSync(base, { recursive: true, force: true });
    if (saved === undefined) delete process.env.LVSPLAY_CACHE_DIR;
    else process.env.LVSPLAY_CACHE_DIR = saved;
  });

  it('a validator file others could write is compiled again, not loaded; a private one is loaded (the planted code shows it)', () => {
    const s = schema('trust_a');
    cachedCompile('plain', s, OPTS);
    const dir = join(base, 'cache', 'ajv');
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const [name] = readdirSync(dir);
    const file = join(dir, name);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    writeFileSync(file, PLANTED);
    chmodSync(file, 0o666);
    assert.equal(cachedCompile('plain', s, OPTS)({}), false, 'a file others can write was loaded');
    writeFileSync(file, PLANTED); // the compile above wrote the real validator back
    chmodSync(file, 0o600);
    assert.equal(cachedCompile('plain', s, OPTS)({}), true, 'a private cache file is loaded (else this test shows nothing)');
  });

  it('a cache directory others can write is not used at all', () => {
    const dir = join(base, 'cache', 'ajv');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    assert.equal(cacheDir('ajv'), undefined);
    cachedCompile('plain', schema('trust_b'), OPTS);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('private directories: made 0700; refused when another user owns one; a sticky directory above (/tmp) is fine', function () {
    const mine = join(base, 'a', 'b');
    assert.equal(privateDir(mine), true);
    assert.equal(statSync(mine).mode & 0o777, 0o700);
    const sticky = join(base, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    assert.equal(privateDir(join(sticky, 'x')), true);
    const open = join(base, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    assert.equal(privateDir(join(open, 'x')), false, 'a parent anyone can write (not sticky): the directory could be replaced');
    if (process.geteuid?.() !== 0) return; // chown needs root (CI runs as root)
    const theirs = join(base, 'theirs');
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 65534, 65534);
    assert.equal(privateDir(theirs), false);
    const file = join(mine, 'f');
    writeFileSync(file, 'x', { mode: 0o600 });
    assert.equal(trustedFile(file), true);
    chownSync(file, 65534, 65534);
    assert.equal(trustedFile(file), false);
  });

  it('entries not written for a month go when a new one is written', () => {
    const dir = join(base, 'cache', 'ajv');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const old = join(dir, 'old.cjs');
    const recent = join(dir, 'recent.cjs');
    writeFileSync(old, 'x', { mode: 0o600 });
    writeFileSync(recent, 'x', { mode: 0o600 });
    const monthAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    utimesSync(old, monthAgo, monthAgo);
    writeCacheFile(join(dir, 'new.cjs'), 'y');
    assert.deepEqual(readdirSync(dir).sort(), ['new.cjs', 'recent.cjs']);
  });
});
