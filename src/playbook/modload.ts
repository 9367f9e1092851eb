// Importing a custom module file (NAME.ts, NAME.js, NAME.mjs): esbuild bundles it (TypeScript
// compiled, its relative and npm imports included) into one ES module, with `lvsplay` resolved to
// the lvsplay that is running, so a module works wherever it lies (a temp dir, a role) and talks
// to the same registry. Compiled once and cached under the cache dir (src/cache.ts) by the hash of
// the entry's path and content; the cache entry lists every input file with its hash and is
// rebuilt when one of them changed.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheDir, privateDir, trustedFile, writeCacheFile } from '../cache.js';
import { ConfigError } from '../errors.js';
import { fromRoot, version } from '../paths.js';

const hash = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** lvsplay's public entry point (what `import ... from 'lvsplay'` in a module means). */
export function apiEntry(): string {
  return fromRoot('dist', 'src', 'index.js');
}

let ownTmp: string | undefined;
/**
 * Where compiled modules go: the cache, or (caching off, or the cache dir not writable) a temp dir
 * of this user's; where someone else made that name first (it is predictable), a new private one.
 */
function outDirs(): string[] {
  let tmp = join(tmpdir(), `lvsplay-modules-${userInfo().uid}`);
  if (!privateDir(tmp)) tmp = ownTmp ??= mkdtempSync(join(tmpdir(), 'lvsplay-modules-'));
  const c = cacheDir('modules');
  return c ? [c, tmp] : [tmp];
}

interface Meta {
  inputs: Record<string, string>; // absolute path -> sha256
}

function fresh(metaFile: string): boolean {
  try {
    const m = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    return Object.entries(m.inputs).every(([f, h]) => existsSync(f) && hash(readFileSync(f)) === h);
  } catch {
    return false;
  }
}

// CommonJS dependencies bundled into an ES module still call require() and read __dirname.
const BANNER = [
  "import { createRequire as __lvsplayRequire } from 'node:module';",
  "import { dirname as __lvsplayDirname } from 'node:path';",
  "import { fileURLToPath as __lvsplayPath } from 'node:url';",
  'const require = __lvsplayRequire(import.meta.url);',
  'const __filename = __lvsplayPath(import.meta.url);',
  'const __dirname = __lvsplayDirname(__filename);',
].join(' ');

async function compile(file: string, out: string, metaFile: string): Promise<void> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new ConfigError(`${file}: cannot compile the custom module: esbuild is not installed (${(e as Error).message})`);
  }
  const entry = pathToFileURL(apiEntry()).href;
  const r = await esbuild
    .build({
      entryPoints: [file],
      absWorkingDir: '/',
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      metafile: true,
      logLevel: 'silent',
      banner: { js: BANNER },
      plugins: [
        {
          name: 'lvsplay-api',
          setup(b) {
            b.onResolve({ filter: /^lvsplay(\/.*)?$/ }, (a) =>
              a.path === 'lvsplay'
                ? { path: entry, external: true }
                : { errors: [{ text: `'${a.path}': import lvsplay's public API from 'lvsplay' (only the package root is public)` }] },
            );
          },
        },
      ],
    })
    .catch((e: { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }) => {
      const first = e.errors?.[0];
      if (!first) throw e;
      const loc = first.location;
      throw new ConfigError(first.text, loc ? { file: resolve('/', loc.file), line: loc.line, col: loc.column + 1 } : { file, line: 1, col: 1 });
    });
  const inputs: Record<string, string> = {};
  for (const f of Object.keys(r.metafile!.inputs)) {
    const abs = resolve('/', f);
    if (existsSync(abs)) inputs[abs] = hash(readFileSync(abs));
  }
  writeCacheFile(out, r.outputFiles![0].text);
  writeCacheFile(metaFile, JSON.stringify({ inputs } satisfies Meta));
}

/** The default export of a custom module file (compiled on first use, then from the cache). */
export async function importModuleFile(file: string): Promise<unknown> {
  const abs = resolve(file);
  const key = hash(`${abs}\0${version()}\0${apiEntry()}\0`).slice(0, 16) + '-' + hash(readFileSync(abs)).slice(0, 16);
  const dirs = outDirs();
  let out = '';
  for (const [i, dir] of dirs.entries()) {
    out = join(dir, `${key}.mjs`);
    const metaFile = join(dir, `${key}.json`);
    if (trustedFile(out) && trustedFile(metaFile) && fresh(metaFile)) break;
    try {
      await compile(abs, out, metaFile);
      break;
    } catch (e) {
      // a compile error is the module's; a cache dir that cannot be written: the next dir
      if (e instanceof ConfigError || i === dirs.length - 1) throw e;
    }
  }
  // a changed dependency rebuilds the same key: a query makes Node import the new file
  const mod = (await import(`${pathToFileURL(out).href}?v=${hash(readFileSync(out)).slice(0, 12)}`)) as { default?: unknown };
  return mod.default;
}
