// A disk cache of compiled templates: nunjucks turns each template string into JavaScript source
// (lexer, parser, compiler: ~30-40 ms per run for site.yml's ~150 template strings) that is the
// same on every run. The cache keeps that source; a hit builds the Template from it with
// nunjucks' own precompiled form ({ type: 'code' }), exactly what nunjucks does after compiling.
// The key covers the template text and name, the environment's options, nunjucks' version and
// the identity (path, size, mtime) of the file that patches nunjucks' compiler (njpatch), so a
// rebuilt lvsplay never reads code compiled by another build. Templates that fail to compile are
// never cached: the error comes from nunjucks as before. src/cache.ts: where, how to turn it off.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { cacheDir, writeCacheFile } from '../cache.js';
import { PATCH_MODULE } from './njpatch.js';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
const compiler: any = require('nunjucks/src/compiler');

interface EnvInternals {
  asyncFilters: string[];
  extensionsList: { __name?: string }[];
  opts: object;
}

let buildDir: string | undefined | null = null;

/** This build's cache directory (created on first write); older builds' directories are pruned. */
function dirForBuild(): string | undefined {
  if (buildDir !== null) return buildDir;
  buildDir = undefined;
  const base = cacheDir('nunjucks');
  if (!base) return undefined;
  try {
    const st = statSync(PATCH_MODULE);
    const nj = (require('nunjucks/package.json') as { version: string }).version;
    const id = createHash('sha1').update(`${nj}\0${PATCH_MODULE}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
    buildDir = join(base, id);
    prune(base, id);
  } catch {
    buildDir = undefined;
  }
  return buildDir;
}

/** Remove other builds' directories not touched for a day (a rebuild makes the old ones useless). */
function prune(base: string, keep: string): void {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const n of names) {
    if (n === keep) continue;
    try {
      if (statSync(join(base, n)).mtimeMs < dayAgo) rmSync(join(base, n), { recursive: true, force: true });
    } catch {
      /* another process pruned it */
    }
  }
}

function fromCode(code: string, env: nunjucks.Environment, file: string | undefined): nunjucks.Template {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const props = new Function(code)() as object;
  return new nunjucks.Template({ type: 'code', obj: props } as unknown as string, env, file, true);
}

/** new nunjucks.Template(src, env, file, true), with its compiled code cached on disk. */
export function compileTemplate(src: string, env: nunjucks.Environment, file: string | undefined): nunjucks.Template {
  const dir = dirForBuild();
  if (!dir) return new nunjucks.Template(src, env, file, true);
  const e = env as unknown as EnvInternals;
  const key = createHash('sha1')
    .update(JSON.stringify([file ?? null, e.opts, e.asyncFilters, e.extensionsList.map((x) => x.__name ?? String(x)), src]))
    .digest('hex');
  const path = join(dir, `${key}.js`);
  let code: string | undefined;
  try {
    code = readFileSync(path, 'utf8');
  } catch {
    /* not cached yet */
  }
  if (code !== undefined) {
    try {
      return fromCode(code, env, file);
    } catch {
      /* a damaged entry: compile again below */
    }
  }
  try {
    code = compiler.compile(src, e.asyncFilters, e.extensionsList, file, e.opts) as string;
  } catch {
    // nunjucks reports the syntax error itself, exactly as without the cache
    return new nunjucks.Template(src, env, file, true);
  }
  const t = fromCode(code, env, file);
  try {
    writeCacheFile(path, code);
  } catch {
    /* read-only cache: same result, compiled next time again */
  }
  return t;
}

