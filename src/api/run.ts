// run(): a playbook run driven from code — the CLI's path (custom modules, inventory, the one
// executor) with the events handed to the caller instead of printed.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError, ConfigErrors, EXIT, RunError } from '../errors.js';
import type { RecapCounts, Reporter, RunEvent, Vars } from '../types.js';

/** What to run and how (the ansible-playbook flags of the same names). */
export interface PlaybookRunOptions {
  /** Playbook file(s), run in order; a failing one stops the rest. */
  playbook: string | string[];
  /** Inventory sources (file, directory, `host1,host2,`, `lab`); default: as the command without -i (the default lab's inventory when it exists, else /etc/ansible/hosts when it exists, else the implicit localhost). */
  inventory?: string | string[];
  extraVars?: Vars;
  /** Report what would change, change nothing (-C). */
  check?: boolean;
  /** Show file differences (-D). */
  diff?: boolean;
  /** Host pattern further limiting the plays' hosts (-l). */
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  startAtTask?: string;
  forceHandlers?: boolean;
  /** Hosts worked on at once (default 5). */
  forks?: number;
  /** -v level of the result details in events. */
  verbosity?: number;
  become?: boolean;
  becomeUser?: string;
  /** User to connect as (-u). */
  user?: string;
  privateKey?: string;
  /** Connection for plays that set none: 'ssh' (default) or 'local'; the implicit localhost is always local. */
  connection?: 'ssh' | 'local';
  /** Extra role directories. */
  rolesPath?: string[];
  /** Custom module directories (-M). */
  modulePath?: string[];
  /** Called with every event as it happens. */
  onEvent?: (event: RunEvent) => void;
}

/** The outcome of run(). */
export interface RunResult {
  /** ansible-playbook's exit code: 0 ok, 1 error, 2 a host failed, 4 unreachable or a playbook error. */
  exitCode: number;
  /** The PLAY RECAP counts per host (of the last playbook that ran). */
  recap: Record<string, RecapCounts>;
  /** Every event, in order. */
  events: RunEvent[];
  /** Why the playbook did not run (load errors as FILE:LINE:COL: message); empty when it ran. */
  errors: string[];
}

// The custom modules of a run are process-wide (src/playbook/modules.ts): runs take turns.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Run playbooks as `lvsplay`/`ansible-playbook` would (the same loader, custom modules and
 * executor), and resolve with the exit code, recap and events; a playbook that does not load
 * resolves with exit code 4 and its errors. Unlike the command, it reads no ansible.cfg or
 * ANSIBLE_* settings and has no vault passwords: pass what is needed as options. Runs in one
 * process take turns (the custom modules of a run are process-wide).
 */
export function run(o: PlaybookRunOptions): Promise<RunResult> {
  const next = queue.then(() => runNow(o));
  queue = next.catch(() => undefined);
  return next;
}

async function runNow(o: PlaybookRunOptions): Promise<RunResult> {
  const files = (Array.isArray(o.playbook) ? o.playbook : [o.playbook]).map((f) => path.resolve(f));
  const events: RunEvent[] = [];
  let recap: Record<string, RecapCounts> = {};
  const reporter: Reporter = {
    emit(ev) {
      events.push(ev);
      if (ev.type === 'recap') recap = ev.hosts;
      o.onEvent?.(ev);
    },
  };
  const failed = (exitCode: number, errors: string[]): RunResult => {
    for (const msg of errors) reporter.emit({ type: 'error', msg });
    return { exitCode, recap, events, errors };
  };
  const missing = files.find((f) => !existsSync(f));
  if (missing) return failed(EXIT.error, [`the playbook: ${missing} could not be found`]);
  const [{ loadPlaybooksWithModules }, { inventorySources }, { realDeps, loadInventoryPart }, { runPlaybook }, { defaultOptions }] = await Promise.all([
    import('../playbook/withlib.js'),
    import('../run/cli-main.js'),
    import('../run/realdeps.js'),
    import('../run/executor.js'),
    import('../run/options.js'),
  ]);
  let restore: (() => void) | undefined;
  try {
    const loaded = await loadPlaybooksWithModules(files, { rolesPath: o.rolesPath?.map((d) => path.resolve(d)), modulePath: o.modulePath?.map((d) => path.resolve(d)) });
    restore = loaded.restore;
    const given = o.inventory === undefined ? [] : Array.isArray(o.inventory) ? o.inventory : [o.inventory];
    const { sources } = inventorySources(given);
    const inventory = await (await loadInventoryPart()).loadInventory(sources, { playbookDir: loaded.playbooks[0].dir });
    const opts = defaultOptions({
      check: !!o.check,
      diff: !!o.diff,
      forks: o.forks ?? 5,
      verbosity: o.verbosity ?? 0,
      limit: o.limit,
      tags: o.tags ?? [],
      skipTags: o.skipTags ?? [],
      startAtTask: o.startAtTask,
      forceHandlers: !!o.forceHandlers,
      extraVars: o.extraVars ?? {},
      become: o.become,
      becomeUser: o.becomeUser,
      user: o.user,
      privateKey: o.privateKey,
      connection: o.connection,
      rolesPath: o.rolesPath?.map((d) => path.resolve(d)) ?? [],
      modulePath: o.modulePath?.map((d) => path.resolve(d)),
    });
    const deps = await realDeps();
    let exitCode: number = EXIT.ok;
    for (const pb of loaded.playbooks) {
      exitCode = await runPlaybook(pb, inventory, opts, deps, reporter);
      if (exitCode !== EXIT.ok) break;
    }
    return { exitCode, recap, events, errors: [] };
  } catch (e) {
    if (e instanceof RunError) return failed(EXIT.error, [e.toString()]);
    if (e instanceof ConfigErrors) return failed(EXIT.parser, e.errors.map((x) => x.toString()));
    if (e instanceof ConfigError) return failed(EXIT.parser, [e.toString()]);
    throw e;
  } finally {
    restore?.();
  }
}
