#!/usr/bin/env node
// lvsplay: ansible-playbook's command line (the only place that calls process.exit), and the
// dispatch of the `lab`, `check`, `cluster`, `inventory`, `vault`, `config`, `doc` and `galaxy` subcommands. Heavy modules are imported lazily.
import { EXIT } from './errors.js';
import { mark } from './timing.js';
import { version } from './paths.js';
import { interruptGraceMs, type Interruptible } from './run/interrupt.js';

// Literal import specifiers: the bundler (scripts/bundle.mjs) follows them into lazy chunks.
const SUBCOMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  lab: async () => (await import('./lab/cli.js')).labMain,
  check: async () => (await import('./lint/cli.js')).checkMain,
  cluster: async () => (await import('./cluster/cli.js')).clusterMain,
  inventory: async () => (await import('./inventory/cli.js')).inventoryMain,
  vault: async () => (await import('./vault/cli.js')).vaultMain,
  config: async () => (await import('./config/cli.js')).configMain,
  doc: async () => (await import('./doc/cli.js')).docMain,
  galaxy: async () => (await import('./galaxy/cli.js')).galaxyMain,
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
  return main(argv, version(), { onInterrupt: interruptible });
}

// SIGINT, SIGTERM, SIGHUP: the first one stops the run softly — no new task starts, changes being
// applied finish (at most LVSPLAY_INTERRUPT_GRACE seconds, default 10), handlers left pending are
// recorded for the next run, the recap is printed — and the exit code is Ansible's for that signal
// (99, 143, 129). A second signal (or the end of the grace) abandons what is still running; a third exits at once.
const SIGNAL_RC = { SIGINT: EXIT.interrupted, SIGTERM: 143, SIGHUP: 129 } as const;
let interruptTarget: Interruptible | undefined;
let signalled = 0;
let signalRc: number = EXIT.interrupted;

function interruptible(target: Interruptible): void {
  interruptTarget = target;
  if (signalled) return;
  for (const sig of Object.keys(SIGNAL_RC) as (keyof typeof SIGNAL_RC)[]) {
    if (process.listenerCount(sig) === 0) process.on(sig, () => onSignal(sig));
  }
}

function onSignal(sig: keyof typeof SIGNAL_RC): void {
  const t = interruptTarget;
  signalled++;
  if (signalled === 1) {
    signalRc = SIGNAL_RC[sig];
    process.stderr.write(sig === 'SIGINT' ? '\n[ERROR]: User interrupted execution\n' : `\n[ERROR]: ${sig}: stopping the run\n`);
    if (!t) return exitAfterDrain(signalRc);
    const waiting = t.soft(signalRc);
    if (!waiting) return abandon(t); // nothing is being changed: read-only work is cut short
    const grace = interruptGraceMs();
    process.stderr.write(`[WARNING]: waiting up to ${grace / 1000} s for ${waiting} change(s) being applied to finish (interrupt again to abandon them)\n`);
    setTimeout(() => abandon(t), grace).unref();
  } else if (signalled === 2 && t) abandon(t);
  else process.exit(signalRc);
}

function abandon(t: Interruptible): void {
  // the run unwinds once its connections are closed; if it does not, leave anyway
  void t.hard().finally(() => setTimeout(() => exitAfterDrain(signalRc), 5000).unref());
}

main(process.argv.slice(2)).then(
  // let stdout and stderr drain, then leave even if a library keeps a handle open
  (rc) => exitAfterDrain(rc),
  (e: unknown) => {
    process.stderr.write(`ERROR! unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    exitAfterDrain(EXIT.unexpected);
  },
);
