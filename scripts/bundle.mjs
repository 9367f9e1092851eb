// Bundles the CLI (src/entry.ts -> src/cli.ts and everything it imports, lazily loaded parts as chunks) into
// dist/cli/, so `lvsplay` starts by reading a handful of files instead of ~250 ES modules
// (Node's per-module resolve/load cost was ~200 of the ~300 ms before the first connection).
// Kept as packages from node_modules, loaded by Node as before:
//  - ajv, ajv-formats: src/playbook/ajvcache.ts loads cached standalone validators that require
//    ajv's runtime files by path;
//  - esbuild (compiles custom modules, src/playbook/modload.ts): a native binary it finds itself;
// ssh2 is bundled (loading its ~20 files took ~30-50 ms); its optional native crypto binding is
// still loaded from the installed ssh2 package (resolved at run time, as ssh2 does, in a try).
// The compiled tree (dist/src) stays: tests import it, and the lab supervisor runs from it.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ssh2's `require('./crypto/build/Release/sshcrypto.node')`, resolved through node_modules at run time. */
const sshNativeBinding = {
  name: 'ssh2-native-binding',
  setup(b) {
    b.onLoad({ filter: /[\\/]ssh2[\\/]lib[\\/]protocol[\\/]crypto\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const from = "require('./crypto/build/Release/sshcrypto.node')";
      if (!src.includes(from)) throw new Error(`ssh2's crypto.js no longer contains ${from}: update scripts/bundle.mjs`);
      return { contents: src.replace(from, "require(require.resolve('ssh2/lib/protocol/crypto/build/Release/sshcrypto.node'))"), loader: 'js' };
    });
  },
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { lvsplay: 'src/entry.ts' }, // src/cli.ts is its first lazy chunk (--version answers before it)
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['ajv', 'ajv-formats', 'cpu-features', 'esbuild'],
  plugins: [sshNativeBinding],
  // CommonJS dependencies bundled into ES modules still call require() for Node built-ins and
  // read __dirname (ssh2: only for Windows' pageant and its embedded poly1305 module).
  banner: {
    js: [
      "import { createRequire as __lvsplayRequire } from 'node:module';",
      "import { dirname as __lvsplayDirname } from 'node:path';",
      "import { fileURLToPath as __lvsplayPath } from 'node:url';",
      'const require = __lvsplayRequire(import.meta.url);',
      'const __filename = __lvsplayPath(import.meta.url);',
      'const __dirname = __lvsplayDirname(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
});
