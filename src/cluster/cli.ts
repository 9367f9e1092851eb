// `lvsplay cluster status|drain|undrain`: day-2 operations on the LVS cluster of an inventory.
// Exit codes of status: 0 healthy, 2 problems found, 4 a host unreachable (5 bad options, as the rest of lvsplay).
import { Command, CommanderError } from 'commander';
import { ConfigError, EXIT, errorText } from '../errors.js';
import { colorsFor, renderStatus } from './render.js';
import { prober } from './status.js';
import { clusterInventory } from './topology.js';

const USAGE = `usage: lvsplay cluster <command> [options]
  status -i INV [--watch] [--interval S] [--json] [-l LIMIT]   VRRP state, VIP holder, IPVS tables, real servers, problems
                                                              (exit 0 healthy, 2 problems found, 4 a host unreachable)
  drain REALSERVER -i INV [--timeout S]                       weight 0 on every director (host_vars), reload, wait for
                                                              ActiveConn 0
  undrain REALSERVER -i INV                                   restore the weight it had before the drain
`;

function parse(cmd: Command, argv: string[]): number | undefined {
  cmd.exitOverride();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  return undefined;
}

export async function statusMain(argv: string[]): Promise<number> {
  const cmd = new Command('lvsplay cluster status')
    .description('The LVS cluster as it runs: VRRP (VIP holder, states, priorities), IPVS tables, real servers, problems')
    .requiredOption('-i, --inventory <source>', 'inventory file, directory or "lab"')
    .option('-l, --limit <pattern>', 'only these hosts')
    .option('--json', 'one JSON document (per refresh with --watch)')
    .option('--watch', 'refresh until Ctrl-C (exit 0)')
    .option('--interval <s>', 'seconds between refreshes with --watch', '2');
  const rc = parse(cmd, argv);
  if (rc !== undefined) return rc;
  const o = cmd.opts<{ inventory: string; limit?: string; json?: boolean; watch?: boolean; interval: string }>();
  const interval = Number(o.interval);
  if (!(interval > 0)) {
    process.stderr.write(`ERROR! --interval must be a positive number of seconds, got '${o.interval}'\n`);
    return EXIT.badOptions;
  }
  let ci;
  try {
    ci = await clusterInventory(o.inventory, o.limit);
  } catch (e) {
    process.stderr.write(`ERROR! ${errorText(e)}\n`);
    return e instanceof ConfigError ? EXIT.parser : EXIT.error;
  }
  const p = prober(ci);
  const colors = colorsFor(process.stdout);
  const tty = !!process.stdout.isTTY && !o.json;
  let stop = false;
  let wake: (() => void) | undefined;
  const onInt = () => {
    stop = true;
    wake?.();
  };
  if (o.watch) process.on('SIGINT', onInt);
  try {
    for (;;) {
      const s = await p.probe();
      if (o.json) process.stdout.write(JSON.stringify(s) + '\n');
      else process.stdout.write((o.watch && tty ? '\x1b[H\x1b[2J' : '') + renderStatus(s, colors) + (o.watch && !tty ? '\n' : ''));
      if (!o.watch) return s.exitCode;
      await new Promise<void>((res) => {
        wake = res;
        setTimeout(res, interval * 1000);
      });
      if (stop) return EXIT.ok;
    }
  } finally {
    process.off('SIGINT', onInt);
    await p.close();
  }
}

export async function clusterMain(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'status') return statusMain(rest);
  if (sub === 'drain' || sub === 'undrain') return (await import('./drain-cli.js')).drainMain(sub, rest);
  process.stdout.write(USAGE);
  return sub === undefined || sub === '--help' || sub === '-h' ? EXIT.ok : EXIT.usage;
}
