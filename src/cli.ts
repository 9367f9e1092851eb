#!/usr/bin/env node
// lvsplay: ansible-playbook's command line (the only place that calls process.exit), and the
// dispatch of the `lab`, `check` and `inventory` subcommands. Heavy modules are imported lazily.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT } from './errors.js';

const here = dirname(fileURLToPath(import.meta.url));

function version(): string {
  for (const p of [join(here, '..', '..', 'package.json'), join(here, '..', 'package.json')]) {
    try {
      return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    } catch {
      /* try the next */
    }
  }
  return 'unknown';
}

const SUBCOMMANDS: Record<string, { spec: string; fn: string; what: string }> = {
  lab: { spec: './lab/cli.js', fn: 'labMain', what: 'the namespace lab' },
  check: { spec: './check/cli.js', fn: 'checkMain', what: 'the cluster checks' },
  inventory: { spec: './inventory/cli.js', fn: 'inventoryMain', what: 'the inventory tools' },
};

async function subcommand(name: string, argv: string[]): Promise<number> {
  const s = SUBCOMMANDS[name];
  let mod: Record<string, unknown>;
  try {
    mod = (await import(s.spec)) as Record<string, unknown>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write(`ERROR! 'lvsplay ${name}' is not available: ${s.what} (${s.spec}) is not built\n`);
      return EXIT.error;
    }
    throw e;
  }
  const fn = mod[s.fn];
  if (typeof fn !== 'function') {
    process.stderr.write(`ERROR! ${s.spec} does not export ${s.fn}()\n`);
    return EXIT.error;
  }
  return (await (fn as (a: string[]) => Promise<number>)(argv)) ?? 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`lvsplay ${version()}\n`);
    return EXIT.ok;
  }
  if (argv[0] && SUBCOMMANDS[argv[0]]) return subcommand(argv[0], argv.slice(1));
  const { playbookMain } = await import('./run/cli-main.js');
  return playbookMain(argv, version(), {
    onInterrupt(cleanup: () => Promise<void>) {
      let once = false;
      process.on('SIGINT', () => {
        if (once) process.exit(EXIT.interrupted);
        once = true;
        process.stderr.write('\n[ERROR]: User interrupted execution\n');
        const t = setTimeout(() => process.exit(EXIT.interrupted), 3000);
        cleanup().finally(() => {
          clearTimeout(t);
          process.exit(EXIT.interrupted);
        });
      });
    },
  });
}

main(process.argv.slice(2)).then(
  (rc) => {
    process.exitCode = rc;
    // let stdout drain, then leave even if a library keeps a handle open
    process.stdout.write('', () => process.exit(rc));
  },
  (e: unknown) => {
    process.stderr.write(`ERROR! unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(EXIT.unexpected);
  },
);
