// `lvsplay [options] PLAYBOOK...`: ansible-playbook's flags -> RunOptions, inventory, reporter, run.
// Returns the exit code; src/cli.ts exits with it.
import { ansibleColumns } from '../report/textwrap.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, ConfigErrors, EXIT, RunError, UsageError } from '../errors.js';
import type { Inventory, Reporter } from '../types.js';
import { mark } from '../timing.js';
import { openRunLog, type RunLog } from '../report/logfile.js';
import { DEFAULT_FORKS, defaultOptions, type RunOptions } from './options.js';
import { DEFAULT_LAB_DIR, labInventoryFile } from '../lab/config.js';
import { addCompatFlags, checkBecomeMethod, modulePaths, normalizeFlagAliases, type CompatFlags } from '../config/flags.js';
import { readHidden, PromptInterrupted } from '../prompt/hidden.js';
import { VaultError } from '../vault/keyring.js';
import { interruptibleRun, type Interruptible } from './interrupt.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

const labInventory = (labDir: string | undefined): string => labInventoryFile(labDir);

/**
 * Inventory sources. `-i lab` is the lab's inventory.ini. Without -i: the default lab's inventory
 * when it exists, else /etc/ansible/hosts when it exists, else the implicit localhost (local connection).
 */
export function inventorySources(given: string[], labDir?: string): { sources: string[] } {
  const sources = given.map((s) => (s === 'lab' && !existsSync(s) ? labInventory(labDir) : s));
  if (sources.length) return { sources };
  const lab = labInventory(labDir);
  if (existsSync(lab)) return { sources: [lab] };
  if (existsSync('/etc/ansible/hosts')) return { sources: ['/etc/ansible/hosts'] };
  // no inventory: no host in 'all' (as Ansible); a play naming localhost gets the implicit one
  return { sources: [] };
}

export function program(ver: string): Command {
  const p = new Command('lvsplay');
  p.usage('[options] playbook.yml [playbook2 ...]\n       lvsplay lab|check|inventory ...')
    .description('Runs Ansible-style playbooks: plays of tasks on inventory hosts over SSH (or locally).')
    .argument('[playbooks...]', 'playbook files to run, in order')
    .option('-i, --inventory <source>', 'inventory file, directory, `host1,host2,` list, or `lab` (repeatable)', collect, [])
    .option('-l, --limit <pattern>', 'further limit hosts to a pattern (`@file` reads one host per line)')
    .option('-t, --tags <tags>', 'only run plays and tasks tagged with these (repeatable, comma separated)', collect, [])
    .option('--skip-tags <tags>', 'skip plays and tasks tagged with these (repeatable)', collect, [])
    .option('-e, --extra-vars <vars>', 'extra variables: key=value, JSON/YAML, or @file (repeatable)', collect, [])
    .option('-C, --check', "don't make any changes; report what would change")
    .option('-D, --diff', 'show the differences in changed files')
    .option('-f, --forks <n>', `hosts worked on at once (default ${DEFAULT_FORKS})`)
    .option('-v, --verbose', 'more output (-vvv shows the commands run)', (_v: string, prev: number) => prev + 1, 0)
    .option('--list-hosts', 'list the hosts each play would run on, and exit')
    .option('--list-tasks', 'list the tasks each play would run, and exit')
    .option('--syntax-check', 'load and validate the playbook (no host is contacted), and exit')
    .option('--start-at-task <name>', 'start the playbook at the task with this name')
    .option('--step', 'one-step-at-a-time: confirm each task before running it (answers read from standard input)')
    .option('--force-handlers', 'run handlers even when a task failed')
    .option('-b, --become', 'run operations with become (sudo)')
    .option('--become-user <user>', 'run operations as this user (default root)')
    .option('-K, --ask-become-pass', 'ask for the become (sudo) password on the terminal')
    .option('-u, --user <user>', 'connect as this user')
    .option('--private-key <file>', 'SSH private key file')
    .option('-c, --connection <type>', 'connection type: ssh (default) or local')
    .option('-T, --timeout <seconds>', 'SSH connect timeout in seconds')
    .option('--ssh-insecure', 'do not check SSH host keys (lab use only)')
    .option('--roles-path <dirs>', 'extra role directories (colon separated)')
    .option('--lab-dir <dir>', 'lab state directory for `-i lab` (default $LVSPLAY_LAB_DIR or ' + DEFAULT_LAB_DIR + ')')
    .option('--json', 'one JSON event per line instead of the console output')
    .option('--profile', 'time every task and list them at the end')
    .addOption(new Option('--no-color', 'no colours'));
  addCompatFlags(p)
    .version(`lvsplay ${ver}`, '--version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      'after',
      '\nSubcommands:\n  lvsplay lab up|down|status|ssh ...   the namespace lab\n  lvsplay check ...                    cluster checks\n  lvsplay inventory --vagrant ...      inventory from `vagrant ssh-config`\n  lvsplay vault encrypt|decrypt|view|edit|create|rekey|encrypt_string ...   as ansible-vault\n  lvsplay config dump [--only-changed]  the ansible.cfg / ANSIBLE_* settings and their origin\n  lvsplay doc MODULE | --list          module documentation\n  lvsplay galaxy install -r requirements.yml [-p DIR]   roles from git and archives, as ansible-galaxy\n  lvsplay [-i INV] PATTERN -m MODULE -a ARGS   an ad-hoc command, as `ansible`\n\nExit codes: 0 ok, 1 error, 2 a host failed, 4 a host unreachable or a parser error, 5 bad options, 99 interrupted, 250 unexpected.',
    );
  return p;
}

interface Flags extends CompatFlags {
  inventory: string[];
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  check?: boolean;
  diff?: boolean;
  forks?: string;
  verbose: number;
  listHosts?: boolean;
  listTasks?: boolean;
  syntaxCheck?: boolean;
  startAtTask?: string;
  step?: boolean;
  forceHandlers?: boolean;
  become?: boolean;
  becomeUser?: string;
  askBecomePass?: boolean;
  user?: string;
  privateKey?: string;
  connection?: string;
  timeout?: string;
  sshInsecure?: boolean;
  sshArgs?: string;
  rolesPath?: string;
  labDir?: string;
  json?: boolean;
  profile?: boolean;
  color: boolean;
}

const splitList = (xs: string[]) => xs.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

export interface CliHooks {
  /** Called once the run state exists: the CLI's signal handlers stop this run (src/run/interrupt.ts). */
  onInterrupt(target: Interruptible): void;
  /** Ad-hoc mode (src/adhoc): its own output, and the working directory as playbook_dir. */
  reporter?: () => Reporter;
  playbookDir?: string;
}

export async function playbookMain(argv: string[], ver: string, hooks?: CliHooks): Promise<number> {
  const p = program(ver);
  try {
    p.parse(normalizeFlagAliases(argv), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  const f = p.opts<Flags>();
  const files = p.args;
  let runLog: RunLog | undefined;
  /** A console writer that also appends to log_path when one is set. */
  const logged =
    (write: (s: string) => unknown) =>
    (s: string): void => {
      runLog?.write(s);
      write(s);
    };
  const err = logged((s) => process.stderr.write(s));
  let reporter: Reporter | undefined;
  let restoreModules: (() => void) | undefined;
  try {
    // the Jinja2 engine process starts now: its start-up overlaps loading the playbook (awaited below)
    const { startEngine } = await import('../jinja/start.js');
    startEngine();
    const { loadAnsibleConfig } = await import('../config/load.js');
    const { applyConfig, colorWanted, loaderSettings } = await import('../config/apply.js');
    const cfg = loadAnsibleConfig();
    const logPath = cfg.values.get('DEFAULT_LOG_PATH')?.value;
    if (logPath) runLog = openRunLog(String(logPath), (w) => err(`[WARNING]: ${w}\n`));
    for (const w of cfg.warnings) err(`[WARNING]: ${w}\n`);
    applyConfig(f, cfg, p, (w) => err(`[WARNING]: ${w}\n`));
    if (!files.length) throw new UsageError('no playbook given (lvsplay [options] playbook.yml; see --help)', EXIT.usage);
    const forks = f.forks === undefined ? DEFAULT_FORKS : Number(f.forks);
    if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`-f/--forks must be a positive integer, got '${f.forks}'`, EXIT.usage);
    const timeout = f.timeout === undefined ? undefined : Number(f.timeout);
    if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= 0 && timeout <= 2147483)) throw new UsageError(`-T/--timeout must be a number of seconds from 0 (the default) to 2147483, got '${f.timeout}'`, EXIT.usage);
    const missing = files.find((file) => !existsSync(file));
    if (missing) {
      err(`ERROR! the playbook: ${missing} could not be found\n`);
      return EXIT.error; // as ansible-playbook 2.14
    }
    if (f.connection && !['ssh', 'local', 'smart', 'paramiko'].includes(f.connection)) {
      throw new UsageError(`-c/--connection: unsupported connection type '${f.connection}' (ssh or local)`);
    }
    checkBecomeMethod(f.becomeMethod);
    const [{ loadVaultSecrets }, { setVaultSecrets }] = await Promise.all([import('../vault/sources.js'), import('../vault/keyring.js')]);
    setVaultSecrets(await loadVaultSecrets(f));
    const { parseExtraVars } = await import('./extravars.js');
    const extraVars = await parseExtraVars(f.extraVars);
    const rolesPath = f.rolesPath ? f.rolesPath.split(':').filter(Boolean).map((d) => resolve(d)) : [];

    const { loadPlaybooksWithModules } = await import('../playbook/withlib.js');
    const { setDuplicateKeyPolicy } = await import('../yamldoc.js');
    const loader = loaderSettings(cfg, (w) => err(`[WARNING]: ${w}\n`));
    setDuplicateKeyPolicy(loader.duplicateKeys);
    mark('playbook loader imported');
    const deprecations = new Set<string>();
    // custom modules (library/, -M, ansible.cfg library, npm packages) load with the playbooks
    const loaded = await loadPlaybooksWithModules(files, { rolesPath, playDefaults: loader.playDefaults, deprecations, modulePath: modulePaths(f).map((d) => resolve(d)) });
    restoreModules = loaded.restore;
    const playbooks = loaded.playbooks;
    for (const d of deprecations) err(`[DEPRECATION WARNING]: ${d}\n`);
    if (hooks?.playbookDir) for (const pb of playbooks) pb.dir = hooks.playbookDir;
    mark('playbook loaded and validated');
    // the engine process finishes starting while the inventory and the run's modules load; awaited
    // (EngineUnavailable: what to install) before anything renders, prompts or runs
    const engineUp = (await import('../jinja/engine.js')).engineReady();
    engineUp.catch(() => undefined); // its failure is reported where it is awaited
    const engineServes = async (): Promise<void> => {
      await engineUp;
      mark('template engine ready');
    };
    if (f.syntaxCheck || f.listTasks || f.listTags || f.listHosts || f.askPass || f.askBecomePass) await engineServes();
    if (f.syntaxCheck) {
      // every template string must parse (as the run checks before touching a host)
      const [{ precheckTemplates }, { Templar }] = await Promise.all([import('./precheck.js'), import('../vars/templar.js')]);
      const templar = new Templar();
      for (const pb of playbooks) precheckTemplates(pb, templar);
      for (const file of files) process.stdout.write(`\nplaybook: ${file}\n`);
      return EXIT.ok;
    }
    const tags = splitList(f.tags);
    const skipTags = splitList(f.skipTags);
    if ((f.listTasks || f.listTags) && !f.listHosts) {
      const { listPlaybook } = await import('./list.js');
      playbooks.forEach((pb, i) => process.stdout.write(listPlaybook(pb, files[i], { hosts: false, tasks: !!f.listTasks, listTags: !!f.listTags, tags, skipTags })));
      return EXIT.ok;
    }
    // the precheck's strings go to the engine as soon as it serves: it parses them while the
    // inventory and the run's modules load, and the precheck reads its answer (precheck.ts postPrecheck)
    if (!f.listHosts) {
      void Promise.all([import('./precheck.js'), import('../vars/templar.js'), engineUp])
        .then(([{ postPrecheck }, { Templar }]) => {
          const templar = new Templar();
          for (const pb of playbooks) postPrecheck(pb, templar);
        })
        .catch(() => undefined);
    }
    const { loadInventoryPart } = await import('./realdeps.js');
    const { sources } = inventorySources(f.inventory, f.labDir);
    const invMod = await loadInventoryPart();
    const inventory: Inventory = await invMod.loadInventory(sources, { playbookDir: playbooks[0].dir });
    if (!sources.length) err("[WARNING]: no inventory given or found: only the implicit localhost exists, and it is not in 'all'\n");
    mark('inventory loaded');
    if (f.limit) {
      // As ansible-playbook: each --limit term that matches nothing is a warning; a limit that leaves
      // an inventory with hosts none to target is an error (exit 1) before anything runs.
      const { limitPattern } = await import('./executor.js');
      const pattern = limitPattern(f.limit);
      for (const t of inventory.unknownPatterns?.(pattern) ?? []) err(`[WARNING]: Could not match supplied host pattern, ignoring: ${t.replace(/^[&!]/, '')}\n`);
      if (inventory.select('all').length > 0 && inventory.select(pattern).length === 0) {
        err('ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target.\n');
        return EXIT.error;
      }
    }
    if (f.listHosts) {
      const { listPlaybook } = await import('./list.js');
      playbooks.forEach((pb, i) =>
        process.stdout.write(listPlaybook(pb, files[i], { hosts: true, tasks: !!f.listTasks, listTags: !!f.listTags, inventory, limit: f.limit, tags, skipTags })),
      );
      return EXIT.ok;
    }
    const password = f.askPass ? await readHidden('SSH password: ', '-k/--ask-pass') : undefined;
    const becomePassword = f.askBecomePass ? await readHidden(password === undefined ? 'BECOME password: ' : 'BECOME password[defaults to SSH password]: ', '-K/--ask-become-pass') : undefined;
    const opts: RunOptions = defaultOptions({
      check: !!f.check,
      diff: !!f.diff,
      forks,
      verbosity: f.verbose,
      limit: f.limit,
      tags,
      skipTags,
      startAtTask: f.startAtTask,
      forceHandlers: !!f.forceHandlers,
      extraVars,
      become: f.become,
      becomeUser: f.becomeUser,
      becomeMethod: f.becomeMethod,
      becomePassword: becomePassword === '' && password !== undefined ? password : becomePassword,
      password,
      modulePath: modulePaths(f).map((d) => resolve(d)),
      user: f.user,
      privateKey: f.privateKey,
      connection: f.connection,
      rolesPath,
      profile: !!f.profile,
      connectTimeoutMs: timeout ? timeout * 1000 : undefined,
      strictHostKeyChecking: f.sshInsecure ? false : undefined,
      sshArgs: f.sshArgs,
      interpreterPython: cfg.values.get('INTERPRETER_PYTHON') === undefined ? undefined : String(cfg.values.get('INTERPRETER_PYTHON')!.value),
    });
    const [{ realDeps }, { runPlaybook }] = await Promise.all([import('./realdeps.js'), import('./executor.js')]);
    const deps = await realDeps();
    mark('run modules imported');
    await engineServes();
    if (hooks?.reporter && !f.json) reporter = hooks.reporter();
    else if (f.json) {
      const { JsonReporter } = await import('../report/json.js');
      reporter = new JsonReporter();
    } else {
      const { ConsoleReporter } = await import('../report/console.js');
      const color = colorWanted(f, cfg, !!process.stdout.isTTY);
      const columns = ansibleColumns();
      const showCustomStats = cfg.values.get('SHOW_CUSTOM_STATS')?.value === true;
      if (process.stdout.isTTY && !f.step) {
        // A terminal: a live status line (task, elapsed, each busy host's last output line).
        const { LiveProgress } = await import('../report/progress.js');
        const live = new LiveProgress(process.stdout);
        const out = logged((s) => live.write(s));
        const errOut = logged((s) => live.write(s, process.stderr));
        reporter = live.wrap(new ConsoleReporter({ verbosity: f.verbose, color, diff: !!f.diff, columns, out, err: errOut, showCustomStats }));
        opts.progress = true;
      } else {
        const out = logged((s) => process.stdout.write(s));
        reporter = new ConsoleReporter({ verbosity: f.verbose, color, diff: !!f.diff, columns, out, err, showCustomStats });
      }
    }
    const { lineAsker } = await import('./step.js');
    const asker = f.step ? lineAsker(process.stdin, (q) => (f.json ? process.stderr : process.stdout).write(q)) : undefined;
    opts.step = asker;
    let rc: number = EXIT.ok;
    for (const pb of playbooks) {
      rc = await runPlaybook(pb, inventory, opts, deps, reporter, {
        onState: (st) => hooks?.onInterrupt(interruptibleRun(st)),
      });
      if (rc !== EXIT.ok) break;
    }
    asker?.close();
    return rc;
  } catch (e) {
    const report = (msg: string) => (reporter && f.json ? reporter.emit({ type: 'error', msg }) : err(`ERROR! ${msg}\n`));
    if (e instanceof PromptInterrupted) return EXIT.interrupted;
    if (e instanceof VaultError || (e instanceof ConfigErrors && e.errors.some((x) => x instanceof VaultError))) {
      report(e instanceof ConfigError ? e.toString() : e.message);
      return EXIT.error;
    }
    if (e instanceof UsageError) {
      report(e.message);
      return e.exitCode;
    }
    if (e instanceof RunError) {
      report(e.toString());
      return EXIT.error;
    }
    if (e instanceof ConfigErrors || e instanceof ConfigError) {
      report(e instanceof ConfigError ? e.toString() : e.message);
      return EXIT.parser;
    }
    throw e;
  } finally {
    restoreModules?.();
  }
}
