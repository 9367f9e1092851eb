// Lookups that read the controller: file, fileglob, first_found, template, lines, pipe, password.
// Relative names are searched as Ansible does: in each directory of ansible_search_path (the role,
// the task file's directory, the playbook's), first under its files/ (templates/, vars/) subdirectory.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { globToRegex } from '../inventory/pattern.js';
import { toBool } from '../bool.js';
import type { Kw } from './filters-util.js';
import { ctxVar, lookupFailure, lookupWarn, type LookupCtx, type Plugin } from './lookup-types.js';
import { isMapping, pyStr } from './pystr.js';
import { readControllerFile } from '../vault/files.js';

/** Python's os.path.join: no normalising (Ansible returns 'dir/./f' as it joined it). */
const pyJoin = (...parts: string[]): string => parts.reduce((a, b) => (b.startsWith('/') || a === '' ? b : a.endsWith('/') ? a + b : `${a}/${b}`), '');

function searchDirs(ctx: LookupCtx): string[] {
  const sp = ctxVar<unknown>(ctx, 'ansible_search_path', undefined);
  if (Array.isArray(sp) && sp.length) return sp.map(String);
  return [ctxVar(ctx, 'playbook_dir', process.cwd())];
}

/** Where Ansible's find_file_in_search_path finds `name` (under `subdir` first), or undefined — with its warning unless `ignoreMissing`. */
export function findInSearchPath(ctx: LookupCtx, subdir: string, name: string, ignoreMissing = false): string | undefined {
  const tried: string[] = [];
  if (path.isAbsolute(name)) tried.push(name);
  else {
    for (const d of searchDirs(ctx)) {
      if (name.split('/')[0] !== subdir) tried.push(pyJoin(d, subdir, name));
      tried.push(pyJoin(d, name));
    }
  }
  const found = tried.find((p) => fs.existsSync(p));
  if (found === undefined && !ignoreMissing) lookupWarn(`Unable to find '${name}' in expected paths (use -vvvvv to see paths)`);
  return found;
}

/** `file`: a controller file's text (a vault-encrypted file decrypted, as Ansible's loader does), stripped as asked. */
function fileLookup(terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  const out: string[] = [];
  for (const t of terms) {
    const p = findInSearchPath(ctx, 'files', String(t));
    if (p === undefined || !fs.statSync(p).isFile()) throw new Error(`could not locate file in lookup: ${String(t)}`);
    let s = readControllerFile(p).data.toString('utf8');
    if (kw.lstrip === true) s = s.trimStart();
    if (kw.rstrip !== false) s = s.trimEnd();
    out.push(s);
  }
  return out;
}

/** `unvault`: a (vault-encrypted) controller file's text, decrypted, not stripped. */
function unvault(terms: unknown[], _kw: Kw, ctx: LookupCtx): unknown[] {
  return terms.map((t) => {
    const p = findInSearchPath(ctx, 'files', String(t));
    if (p === undefined || !fs.statSync(p).isFile()) throw lookupFailure(`Unable to find file matching "${String(t)}" `, 'AnsibleParserError');
    return readControllerFile(p).data.toString('utf8');
  });
}

/** A directory's names in the order the file system lists them (as Python's glob; readdirSync sorts). */
function rawDir(d: string): string[] {
  const dir = fs.opendirSync(d);
  const out: string[] = [];
  try {
    for (let e = dir.readSync(); e; e = dir.readSync()) out.push(e.name);
  } finally {
    dir.closeSync();
  }
  return out;
}

const MAGIC = /[*?[]/;

/**
 * Python's glob.glob (not recursive): wildcards in any component, names in the file system's order,
 * a wildcard does not match a leading dot unless the pattern's component starts with one; a name
 * without wildcards is kept when it exists (lexists). Relative patterns are relative to the cwd.
 */
export function pyGlob(pattern: string): string[] {
  if (!MAGIC.test(pattern)) return fs.lstatSync(pattern, { throwIfNoEntry: false }) ? [pattern] : [];
  // os.path.split: the directory part keeps its form ('' when there is none), os.path.join joins
  const cut = pattern.lastIndexOf('/') + 1;
  const base = pattern.slice(cut);
  let dir = pattern.slice(0, cut);
  if (dir !== '' && !/^\/+$/.test(dir)) dir = dir.replace(/\/+$/, '');
  const join = (d: string, n: string): string => (d === '' || d.endsWith('/') ? d + n : `${d}/${n}`);
  const dirs = MAGIC.test(dir) ? pyGlob(dir) : [dir];
  const out: string[] = [];
  for (const d of dirs) {
    if (!MAGIC.test(base)) {
      const p = join(d, base);
      if (fs.lstatSync(p, { throwIfNoEntry: false })) out.push(p);
      continue;
    }
    if (!fs.statSync(d === '' ? '.' : d, { throwIfNoEntry: false })?.isDirectory()) continue;
    const re = globToRegex(base);
    for (const n of rawDir(d === '' ? '.' : d)) if (re.test(n) && (base.startsWith('.') || !n.startsWith('.'))) out.push(join(d, n));
  }
  return out;
}

function fileglob(terms: unknown[], _kw: Kw, ctx: LookupCtx): unknown[] {
  const out: string[] = [];
  for (const t of terms.map(String)) {
    const base = path.basename(t);
    const dirs = base !== t ? [findInSearchPath(ctx, 'files', path.dirname(t))] : searchDirs(ctx).flatMap((d) => [path.join(d, 'files'), d]);
    const re = globToRegex(base);
    for (const d of dirs) {
      if (!d || !fs.existsSync(d) || !fs.statSync(d).isDirectory()) continue;
      const hits = rawDir(d)
        .filter((n) => re.test(n) && (base.startsWith('.') || !n.startsWith('.')))
        .map((n) => path.join(d, n))
        .filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isFile());
      if (hits.length) {
        out.push(...hits);
        break;
      }
    }
  }
  return out;
}

const splitOn = (v: unknown, seps: RegExp): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).flatMap((x) => (typeof x === 'string' ? x.split(seps) : [pyStr(x)])).filter((x) => x !== '');

/**
 * The candidate names of first_found, in order, and whether to skip when none exists — Ansible 2.14's
 * reading: a mapping term brings its own files/paths/skip; a string term takes the keyword options,
 * and when those name files, they replace every candidate gathered so far (as 2.14 does).
 */
function firstFoundCandidates(terms: unknown[], kw: Kw): { names: string[]; skip: boolean } {
  let skip = false;
  let names: string[] = [];
  const walk = (list: unknown[]): void => {
    for (const t of list) {
      if (Array.isArray(t)) {
        walk(t);
        continue;
      }
      if (typeof t !== 'string' && !isMapping(t)) throw lookupFailure(`Invalid term supplied, can handle string, mapping or list of strings but got: ${typeof t} for ${pyStr(t)}`, 'AnsibleLookupError');
      const o: Kw = isMapping(t) ? t : kw;
      skip = o.skip === true;
      const files = splitOn(o.files, /[,;]/);
      const paths = splitOn(o.paths, /[,:;]/);
      if (paths.length) for (const p of paths) for (const f of files) names.push(pyJoin(p, f));
      else if (files.length) names = files;
      else names.push(String(t));
    }
  };
  walk(terms); // files= and paths= alone (no term) search nothing, as in 2.14
  return { names, skip };
}

function firstFound(terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  const { names, skip } = firstFoundCandidates(terms, kw);
  for (const n of names) {
    const p = findInSearchPath(ctx, ctx.subdir ?? 'files', n, true);
    if (p !== undefined) return [p];
  }
  if (skip) return [];
  throw lookupFailure('No file was found when using first_found.', 'AnsibleLookupError');
}

function shell(kind: string, cmd: string, ctx: LookupCtx): string {
  const r = spawnSync('/bin/sh', ['-c', cmd], { cwd: ctxVar(ctx, 'playbook_dir', process.cwd()), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`lookup_plugin.${kind}(${cmd}) returned ${r.status ?? 1}`);
  return r.stdout;
}

/** The template lookup's delimiter options, by the short names the engine takes (src/vars/tplfile.ts). */
const DELIMITER_OPTIONS: Record<string, string> = {
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
};

function template(terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  // jinja2_native only acts where DEFAULT_JINJA2_NATIVE is on, which lvsplay (as 2.14's default) never is
  const known = ['template_vars', 'convert_data', 'jinja2_native', 'wantlist', 'errors', ...Object.keys(DELIMITER_OPTIONS)];
  const unsupported = Object.keys(kw).filter((k) => !known.includes(k));
  if (unsupported.length) throw new Error(`lookup('template'): option ${unsupported.join(', ')} is not supported by lvsplay`);
  const tags: Record<string, string> = {};
  for (const [k, short] of Object.entries(DELIMITER_OPTIONS)) if (kw[k] !== undefined && kw[k] !== null) tags[short] = String(kw[k]);
  return terms.map((t) => {
    const p = findInSearchPath(ctx, 'templates', String(t));
    if (p === undefined) throw new Error(`the template file ${String(t)} could not be found for the lookup`);
    if (!ctx.renderFile) throw new Error(`lookup('template') cannot run here`);
    const convertData = kw.convert_data === undefined ? true : toBool(kw.convert_data);
    return ctx.renderFile(p, isMapping(kw.template_vars) ? kw.template_vars : {}, { ...(Object.keys(tags).length ? { tags } : {}), convertData });
  });
}

const CHARSETS: Record<string, string> = {
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};
CHARSETS.ascii_letters = CHARSETS.ascii_lowercase + CHARSETS.ascii_uppercase;

/** password: the file's password, or a new random one written to the file (mode 0600) as Ansible does. */
function password(terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  return terms.map((t) => {
    const [file, ...rest] = String(t).trim().split(/\s+/);
    const o: Kw = { ...kw };
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) throw new Error(`lookup('password'): expected key=value, got '${p}'`);
      o[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const bad = Object.keys(o).filter((k) => !['length', 'chars', 'wantlist', 'errors'].includes(k));
    if (bad.length) throw new Error(`lookup('password'): option ${bad.join(', ')} is not supported by lvsplay`);
    const full = path.resolve(ctxVar(ctx, 'playbook_dir', process.cwd()), file);
    if (file !== '/dev/null' && fs.existsSync(full)) {
      const content = fs.readFileSync(full, 'utf8').trimEnd();
      const salt = content.indexOf(' salt=');
      return salt >= 0 ? content.slice(0, salt) : content;
    }
    const length = Number(o.length ?? 20);
    if (!Number.isInteger(length) || length < 0) throw new Error(`lookup('password'): length must be an integer, got '${pyStr(o.length)}'`);
    const sets = o.chars === undefined ? ['ascii_letters', 'digits', '.,:-_'] : Array.isArray(o.chars) ? o.chars.map(String) : String(o.chars).replace(/,,/g, '\u0000').split(',').map((s) => s.replace(/\u0000/g, ','));
    const pool = [...new Set(sets.map((s) => CHARSETS[s] ?? s).join(''))];
    if (!pool.length) throw new Error(`lookup('password'): no characters to choose from`);
    const pw = Array.from({ length }, () => pool[randomInt(pool.length)]).join('');
    if (file !== '/dev/null') {
      fs.mkdirSync(path.dirname(full), { recursive: true, mode: 0o700 });
      fs.writeFileSync(full, `${pw}\n`, { mode: 0o600 });
    }
    return pw;
  });
}

export const filePlugins: Record<string, Plugin> = {
  file: fileLookup,
  unvault,
  fileglob,
  first_found: firstFound,
  template,
  lines: (terms, _kw, ctx) => terms.flatMap((t) => shell('lines', String(t), ctx).split(/\r?\n/).filter((l, i, a) => i < a.length - 1 || l !== '')),
  pipe: (terms, _kw, ctx) => terms.map((t) => shell('pipe', String(t), ctx).trimEnd()),
  password,
};
