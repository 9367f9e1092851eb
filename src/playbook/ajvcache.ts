// A disk cache of compiled ajv validators (ajv's standalone code), so a run does not pay ajv's
// code generation (~20-100 ms per schema, ~0.3-0.7 s per run) every time it starts. Keyed by the
// ajv install, the options and the schema text; a file that cannot be read or written is simply
// compiled again (src/cache.ts: where, and how to turn it off).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { cacheDir, trustedFile, writeCacheFile } from '../cache.js';

interface AjvLike {
  compile(schema: object): ValidateFunction;
}

const require = createRequire(import.meta.url);

let ajvId: string | undefined;
function ajvIdentity(): string {
  if (!ajvId) {
    const pkg = require.resolve('ajv/package.json');
    ajvId = `${pkg}\u0000${(JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version}`;
  }
  return ajvId;
}

type Standalone = (ajv: AjvLike, v: ValidateFunction) => string;
let standalone: Standalone | undefined;
const instances = new Map<string, AjvLike>();

/** One ajv instance per flavour, loaded on first need (a warm cache never loads ajv's compiler). */
function ajvFor(flavour: string, options: object): AjvLike {
  let a = instances.get(flavour);
  if (!a) {
    const Ajv = (require('ajv') as { default: new (o: object) => AjvLike }).default;
    instances.set(flavour, (a = new Ajv(options)));
  }
  return a;
}

/** The cached validator for this schema, or a fresh compile (then written to the cache). */
export function cachedCompile(flavour: string, schema: object, options: object): ValidateFunction {
  const dir = cacheDir('ajv');
  if (!dir) return ajvFor(flavour, options).compile(schema);
  const key = createHash('sha1').update(`${ajvIdentity()}\u0000${flavour}\u0000${JSON.stringify(options)}\u0000${JSON.stringify(schema)}`).digest('hex');
  const file = join(dir, `${key}.cjs`);
  if (trustedFile(file)) {
    try {
      return require(file) as ValidateFunction;
    } catch {
      /* unreadable or damaged: compiled again */
    }
  }
  const ajv = ajvFor(flavour, options);
  const v = ajv.compile(schema);
  try {
    standalone ??= (require('ajv/dist/standalone/index.js') as { default: Standalone }).default;
    // The generated code requires ajv's runtime helpers: absolute paths, as the cache is outside node_modules.
    const code = standalone(ajv, v).replace(/require\("(ajv\/[^"]+)"\)/g, (_m, p: string) => `require(${JSON.stringify(require.resolve(p))})`);
    writeCacheFile(file, code);
  } catch {
    /* read-only home, schema ajv cannot export: no cache, same result */
  }
  return v;
}
