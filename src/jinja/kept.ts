// Renders kept between runs (issue 17: rendering speed). A pure render — the engine read only its
// string and the variables sent with it: no question asked back, no time, randomness, controller
// file or installed plugin (src/jinja/wire.py) — gives the same result for the same string and
// values, so a no-change re-run need not ask the engine again: engine.ts's memo of such results, by
// string and variables, is kept on disk for the next run of this engine.
//
// What is kept is never readable without the inputs: an entry's name is a digest of its key (the
// string and the JSON of every value it was rendered with), and its result is encrypted with a key
// derived from that key (AES-256-GCM, node:crypto). Only a run that has the very same inputs finds
// and opens it; the file tells someone without them nothing but how many renders it holds. On top,
// no render that touched a secret lvsplay knows (a vault value, a variable named like a password,
// anything the run's masker masks) is kept at all.
//
// The file is one per engine build (its fingerprint: Python's and Jinja2's versions, the engine's
// sources; and lvsplay's version and this format's), in lvsplay's cache directory under the same
// rules as its other caches (src/cache.ts: private directories, files of this user only, 0600),
// written at exit when the run added entries. LVSPLAY_NO_CACHE=1 turns it off.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, trustedFile, writeCacheFile } from '../cache.js';
import { version } from '../paths.js';
import { SECRET_NAME } from '../run/secrets.js';
import { floatFromTag, floatTagged } from '../vars/pyfloat.js';

const FORMAT = 'lvsplay-kept-renders-1';
/**
 * At most this many entries in the file (most ~100-500 bytes; a template file's text more): those
 * this run used or made first, then older ones; a file that would hold more keeps this run's only
 * (reading it is part of every run's start: it stays well under a few MB).
 */
const MAX_ENTRIES = 4000;
const MAX_FILE_BYTES = 4 << 20;

/** Something that masks the run's secrets (src/report/mask.ts Masker). */
export interface SecretGuard {
  text(s: string): string;
}

const guards = new Set<SecretGuard>();

/**
 * Renders may be kept while a run that knows its secrets is going (its masker); none is kept when no
 * run guards them (the templar used alone). Returns the release, for the run's end.
 */
export function guardKeptRenders(g: SecretGuard): () => void {
  guards.add(g);
  return () => guards.delete(g);
}

interface Store {
  file: string;
  entries: Map<string, string>;
  used: Set<string>;
  dirty: boolean;
}

let store: Store | undefined;

/**
 * An entry's name and its cipher key: the two halves of one SHA-512 digest of the key (never stored;
 * knowing one half tells nothing of the other).
 */
function sealing(key: string): { name: string; cipherKey: Buffer } {
  const h = createHash('sha512').update(key).digest();
  return { name: h.subarray(0, 18).toString('base64url'), cipherKey: h.subarray(32, 64) };
}

/** Opens the file of this engine (its fingerprint, from the engine's setup): entries are read now, written at exit. */
export function openKept(engine: string, setup: unknown): void {
  store = undefined;
  if (!engine) return;
  const dir = cacheDir('renders');
  if (!dir) return;
  const id = createHash('sha256').update(`${FORMAT}\0${version()}\0${engine}\0${JSON.stringify(setup)}`).digest('hex').slice(0, 24);
  const s: Store = { file: join(dir, `${id}.json`), entries: new Map(), used: new Set(), dirty: false };
  try {
    if (trustedFile(s.file)) {
      const text = readFileSync(s.file, 'utf8');
      const data = text.length <= MAX_FILE_BYTES ? (JSON.parse(text) as { format?: string; entries?: Record<string, string> }) : {};
      if (data.format === FORMAT && data.entries && typeof data.entries === 'object') for (const [k, v] of Object.entries(data.entries)) if (typeof v === 'string') s.entries.set(k, v);
    }
  } catch {
    s.entries.clear(); // unreadable: this run starts it again
  }
  store = s;
  process.once('exit', saveKept);
}

/** The text sealed under `key` (see above), or undefined: none, or not this key's (removed). */
function opened(key: string): string | undefined {
  const s = store;
  if (!s || !s.entries.size) return undefined;
  const { name, cipherKey } = sealing(key);
  const sealed = s.entries.get(name);
  if (sealed === undefined) return undefined;
  try {
    const b = Buffer.from(sealed, 'base64');
    const d = createDecipheriv('aes-256-gcm', cipherKey, b.subarray(0, 12));
    d.setAuthTag(b.subarray(12, 28));
    const text = Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    s.used.add(name);
    return text;
  } catch {
    s.entries.delete(name); // damaged: made again
    return undefined;
  }
}

/** Random IVs drawn 64 at a time (one system call for many seals). */
let ivPool = Buffer.alloc(0);
function freshIv(): Buffer {
  if (ivPool.length < 12) ivPool = randomBytes(12 * 64);
  const iv = ivPool.subarray(0, 12);
  ivPool = ivPool.subarray(12);
  return iv;
}

/** Seals `text` under `key` for later runs. */
function seal(key: string, text: string): void {
  const s = store;
  if (!s) return;
  const { name, cipherKey } = sealing(key);
  if (s.entries.has(name)) return;
  const iv = freshIv();
  const c = createCipheriv('aes-256-gcm', cipherKey, iv);
  const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
  s.entries.set(name, Buffer.concat([iv, c.getAuthTag(), body]).toString('base64'));
  s.used.add(name);
  s.dirty = true;
}

/** A kept render's result for this key (engine.ts's memo key), or undefined. */
export function keptRender(key: string): { value: unknown; tainted: boolean } | undefined {
  const text = opened(key);
  if (text === undefined) return undefined;
  try {
    const got = JSON.parse(text, (_k, v: unknown) => (v !== null && typeof v === 'object' ? floatFromTag(v) : v)) as { v: unknown; t: boolean };
    return { value: got.v, tainted: got.t === true };
  } catch {
    return undefined;
  }
}

const isNames = (v: unknown): v is string[] => Array.isArray(v) && v.every((n) => typeof n === 'string');

/** A JSON value kept under `key` by an earlier run, when `valid` accepts it. */
function keptJson<T>(key: string, valid: (v: unknown) => v is T): T | undefined {
  const text = opened(key);
  if (text === undefined) return undefined;
  try {
    const got = JSON.parse(text) as unknown;
    return valid(got) ? got : undefined;
  } catch {
    return undefined;
  }
}

/** The names a string's render reads (the engine's analysis; engine.ts's namesOf), kept by an earlier run. */
export function keptNames(key: string): string[] | undefined {
  return keptJson(`names\0${key}`, isNames);
}

/** Keeps the names a string's render reads (a function of the string and this engine). */
export function keepNames(key: string, names: string[]): void {
  if (guards.size) seal(`names\0${key}`, JSON.stringify(names));
}

/**
 * The engine's answer to a batch of strings checked for syntax (engine.ts checkSyntaxMany), all of
 * which parsed in an earlier run: the names each one reads (null: a template file's text).
 */
export function keptChecks(key: string): (string[] | null)[] | undefined {
  return keptJson(`checks\0${key}`, (v): v is (string[] | null)[] => Array.isArray(v) && v.every((x) => x === null || isNames(x)));
}

/** Keeps a batch's answer, every string of it having parsed (a function of the strings and this engine). */
export function keepChecks(key: string, names: (string[] | null)[]): void {
  if (guards.size) seal(`checks\0${key}`, JSON.stringify(names));
}

/** Whether a render with these variables and this result may be kept: no secret a run knows in it. */
function secretFree(key: string, vars: Record<string, unknown>, text: string): boolean {
  if (!guards.size) return false;
  if (Object.keys(vars).some((n) => SECRET_NAME.test(n))) return false;
  for (const g of guards) if (g.text(key) !== key || g.text(text) !== text) return false;
  return true;
}

/** Keeps a pure render's result for later runs (unless a secret is in it). */
export function keepRender(key: string, vars: Record<string, unknown>, value: unknown, tainted: boolean): void {
  if (!store) return;
  const text = JSON.stringify({ v: value, t: tainted }, floatTagged);
  if (text !== undefined && secretFree(key, vars, text)) seal(key, text);
}

/** Writes the file when this run added entries: this run's first, then older ones up to the limit. */
export function saveKept(): void {
  const s = store;
  if (!s || !s.dirty) return;
  s.dirty = false;
  const out: Record<string, string> = {};
  let n = 0;
  for (const k of s.used) {
    const v = s.entries.get(k);
    if (v !== undefined && n++ < MAX_ENTRIES) out[k] = v;
  }
  if (s.entries.size <= MAX_ENTRIES) for (const [k, v] of s.entries) if (!(k in out)) out[k] = v;
  const text = JSON.stringify({ format: FORMAT, entries: out });
  if (text.length > MAX_FILE_BYTES) return;
  try {
    writeCacheFile(s.file, text);
  } catch {
    /* a cache only: the next run renders again */
  }
}
