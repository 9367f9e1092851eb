#!/usr/bin/env node
// lvsplay: ansible-playbook's command line (the only place that calls process.exit), and the
// dispatch of the `lab`, `check`, `inventory`, `vault`, `config` and `doc` subcommands. Heavy modules are imported lazily.
import { EXIT } from './errors.js';
import { mark } from './timing.js';
import { version } from './paths.js';

// Literal import specifiers: the bundler (scripts/bundle.mjs) follows them into lazy chunks.
const SUBCOMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  lab: async () => (await import('./lab/cli.js')).labMain,
  check: async () => (await import('./lint/cli.js')).checkMain,
  inventory: async () => (await import('./inventory/cli.js')).inventoryMain,
  vault: async () => (await import('./vault/cli.js')).vaultMain,
  config: async () => (await import('./config/cli.js')).configMain,
  doc: async () => (await import('./doc/cli.js')).docMain,
};

async function subcommand(name: string, argv: string[]): Promise<number> {
  const fn = await SUBCOMMANDS[name]();
  return (await fn(argv)) ?? 0;
}

// A reader that went away (`lvsplay ... | head -3`): the run goes on, its output is dropped (no EPIPE stack trace).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

/** Exit once stdout and stderr are flushed (a pipe is written asynchronously: exiting early cuts it). */
function exitAfterDrain(rc: number): void {
  process.exitCode = rc;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(rc);
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.destroyed || !stream.writable) done();
    else stream.write('', done);
  }
}

async function main(argv: string[]): Promise<number> {
  mark('main');
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`lvsplay ${version()}\n`);
    return EXIT.ok;
  }
  if (argv[0] && SUBCOMMANDS[argv[0]]) return subcommand(argv[0], argv.slice(1));
  const { isAdhoc } = await import('./adhoc/argv.js');
  const main = isAdhoc(argv) ? (await import('./adhoc/cli.js')).adhocMain : (await import('./run/cli-main.js')).playbookMain;
  return main(argv, version(), {
    onInterrupt(cleanup: () => Promise<void>) {
      let once = false;
      process.on('SIGINT', () => {
        if (once) process.exit(EXIT.interrupted);
        once = true;
        process.stderr.write('\n[ERROR]: User interrupted execution\n');
        const t = setTimeout(() => exitAfterDrain(EXIT.interrupted), 3000);
        cleanup().finally(() => {
          clearTimeout(t);
          exitAfterDrain(EXIT.interrupted);
        });
      });
    },
  });
}

main(process.argv.slice(2)).then(
  // let stdout and stderr drain, then leave even if a library keeps a handle open
  (rc) => exitAfterDrain(rc),
  (e: unknown) => {
    process.stderr.write(`ERROR! unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    exitAfterDrain(EXIT.unexpected);
  },
);
