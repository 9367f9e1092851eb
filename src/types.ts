// The contracts between the parts of lvsplay. Change with care: every part codes against these.
import type { Pos } from './errors.js';

/** Variables, arguments and results: a mapping of names to values. */
export type Vars = Record<string, unknown>;

// ───────────────────────── Inventory (src/inventory) ─────────────────────────
export interface InventoryHost {
  name: string;
  vars: Vars; // inline/host vars from the inventory and host_vars/ files (not merged with groups)
  groups: string[]; // direct groups (not 'all')
  pos?: Pos;
}
export interface InventoryGroup {
  name: string;
  hosts: string[]; // direct members
  children: string[];
  vars: Vars; // [g:vars] + group_vars/ files
  pos?: Pos;
}
export interface Inventory {
  sources: string[];
  hosts: Map<string, InventoryHost>; // insertion order = inventory order
  groups: Map<string, InventoryGroup>; // always has 'all' and 'ungrouped'
  /** Hosts matching an Ansible host pattern (`all`, `g`, `h`, `a:b`, `a:&b`, `a:!b`, `node0*`, `~regex`), inventory order. */
  select(pattern: string): string[];
  /** Every group a host is in, transitively, without 'all' (Ansible's group_names; includes 'ungrouped' only if so). */
  groupNames(host: string): string[];
  /** Inventory variables of a host with Ansible's precedence: all < parent groups < child groups < host. */
  hostVars(host: string): Vars;
  /** Terms of a pattern that match no host or group (callers warn "Could not match supplied host pattern"). */
  unknownPatterns?(pattern: string): string[];
  /** Why a pattern is invalid (unbalanced brackets, bad ~regex), or undefined. */
  patternError?(pattern: string): string | undefined;
  /** add_host during a run: the host (new or known) gets these vars and groups; true when the inventory changed. */
  addDynamicHost?(info: { host_name: string; groups: string[]; host_vars: Vars }): boolean;
  /** group_by during a run: the host joins the group (made a child of each parent); true when the inventory changed. */
  addDynamicGroup?(host: string, group: string, parents: string[]): boolean;
}

// ───────────────────────── Playbook model (src/playbook) ─────────────────────────
export interface RoleRef {
  name: string;
  path: string; // role directory (role_path)
  defaults: Vars; // defaults/main.yml (lowest precedence)
  vars: Vars; // vars/main.yml (above play vars)
  params: Vars; // vars given where the role is used (`- role: x` + keys, or include_role vars)
  /** The roles whose tasks imported this one (import_role inside a role), outermost first: their defaults and vars are visible in it, as Ansible's dependency chain. */
  parents?: RoleRef[];
}

/**
 * The keywords a play, block, role or include passes down to the tasks inside, as written: a value
 * may be a template (`"{{ x | bool }}"`), resolved per host by src/run/keywords.ts (the innermost
 * level that sets a keyword wins; `environment` merges).
 */
export interface KeywordLayer {
  become?: boolean | string;
  becomeUser?: string;
  becomeMethod?: string;
  noLog?: boolean | string;
  checkMode?: boolean | string;
  diff?: boolean | string;
  delegateTo?: string;
  runOnce?: boolean | string;
  ignoreErrors?: boolean | string;
  anyErrorsFatal?: boolean | string;
  /** Environment variables for the module's commands (a mapping, or a template giving one); inner wins per key. */
  environment?: Vars | string;
  /** User to connect as (Ansible's remote_user; an ansible_user variable still wins). */
  remoteUser?: string;
  /** Connection kind for this task/block (`local`, `ssh`): overrides the play's. */
  connection?: string;
  ignoreUnreachable?: boolean | string;
  /** Seconds the task may take (Ansible's task `timeout`); 0 or absent = none. */
  timeout?: number | string;
  /** At most this many hosts run the task at once (below --forks). */
  throttle?: number | string;
  /** With delegate_to: facts the task sets go to the delegated host. */
  delegateFacts?: boolean | string;
  /** module_defaults: module name -> default arguments (or a template giving that mapping); levels merge, inner wins per argument. */
  moduleDefaults?: Vars | string;
}

/** Keywords shared by tasks, blocks and includes. Conditions are raw Jinja expressions (no braces). */
export interface TaskCommon extends KeywordLayer {
  name?: string;
  when: string[];
  tags: string[];
  vars: Vars;
  pos: Pos;
  role?: RoleRef;
  file: string; // file the node was written in (templates/ and files/ lookups, error messages)
}

/** A task's loop: `loop:` or `with_<lookup>:`, and its loop_control. */
export interface LoopFields {
  loop?: unknown; // list or template string (loop), or the lookup's terms (with_<lookup>)
  /** with_<lookup>: the lookup plugin that makes the items from `loop` (e.g. 'items', 'dict'). */
  loopWith?: string;
  loopVar: string; // loop_control.loop_var, default 'item'
  indexVar?: string;
  loopLabel?: string;
  /** loop_control.extended (ansible_loop), and extended_allitems (default true). */
  loopExtended?: boolean | string;
  loopAllItems?: boolean | string;
  /** loop_control.pause: seconds between loop items. */
  loopPause?: number | string;
  // a string in loopVar, indexVar, loopExtended, loopAllItems, loopPause: a template, rendered with
  // the task's variables before the loop (src/run/loopitems.ts loopControl), as Ansible does
}

export interface Task extends TaskCommon, LoopFields {
  kind: 'task';
  action: string; // canonical module name, e.g. 'command' (FQCN resolved)
  actionAs: string; // as written, e.g. 'ansible.builtin.command'
  /** A control action the executor carries out itself (src/playbook/control.ts) instead of a module. */
  control?: 'meta';
  args: Vars; // mapping; free-form strings parsed (command: {_raw_params}, others: k=v)
  argsPos: Record<string, Pos>; // position of each argument (for runtime errors)
  /** `args: "{{ a_dict }}"`: rendered per host into arguments the task's own ones override. */
  argsVar?: string;
  /**
   * Free-form words that are no k=v argument, in a task whose failure its author handles
   * (ignore_errors, a block's rescue): the task fails when it runs, as in Ansible, instead of the
   * playbook failing to load (src/playbook/action.ts).
   */
  malformed?: string[];
  register?: string;
  notify: string[];
  changedWhen?: string[];
  failedWhen?: string[];
  until?: string;
  retries?: number;
  delay?: number;
  /** `async`: run detached on the host for at most this many seconds (a template allowed); `poll`: seconds between checks, 0 = do not wait (default 15). */
  async?: number | string;
  poll?: number | string;
}

export interface Handler extends Task {
  listen: string[];
  /**
   * The keywords of the role applications around a role's handler, outer first (`roles:` entries,
   * dependencies, import_role): a handler inherits them as the role's tasks do (become_user, ...).
   */
  layers?: KeywordLayer[];
  /** A handler written as include_tasks/include_role: notified like any handler, runs the include. */
  include?: IncludeNode;
}

export interface Block extends TaskCommon {
  kind: 'block';
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
}

/** include_tasks / include_role: resolved at run time (file name may be templated). */
export interface IncludeNode extends TaskCommon, LoopFields {
  kind: 'include';
  what: 'tasks' | 'role';
  target: string; // file or role name (may contain {{ }})
  params: Vars;
  /** `apply:` keywords: a block (without tasks) the included tasks run in. */
  apply?: Block;
  /** include_tasks: the `collections` in force where it is written (the included tasks' short module names resolve in them). */
  collections?: string[];
}

export type TaskNode = Task | Block | IncludeNode;

export interface Play extends KeywordLayer {
  name: string;
  hosts: string;
  pos: Pos;
  file: string;
  vars: Vars;
  varsFiles: Vars; // vars_files, loaded and merged at load time (of a templated entry: nothing)
  /** Every vars_files entry, in order, when one names its file by a template: the files are chosen per host at run time (src/run/varsfiles.ts). */
  varsFilesPerHost?: { alternatives: string[]; pos: Pos; dir: string; /** a fixed entry's variables, read at load */ vars?: Vars }[];
  roles: RoleRef[];
  preTasks: TaskNode[];
  roleTasks: TaskNode[]; // tasks of `roles:` in order, each node with .role set
  tasks: TaskNode[];
  postTasks: TaskNode[];
  handlers: Handler[]; // play handlers then role handlers
  /** gather_facts: a boolean or a template (rendered with the play's variables, as Ansible does). */
  gatherFacts: boolean | string;
  /** gather_subset, gather_timeout (seconds) and fact_path of the play's fact gathering (templates allowed). */
  gather?: { subset?: string | string[]; timeout?: number | string; factPath?: string };
  serial?: number | string | (number | string)[]; // a list: batch sizes in turn, the last repeats
  /** Stop the run when more than this percentage of a batch's hosts failed. */
  maxFailPercentage?: number;
  forceHandlers: boolean;
  tags: string[];
  /** How hosts go through the tasks: all together task by task (linear, the default), or each on its own (free, host_pinned). */
  strategy?: 'linear' | 'free' | 'host_pinned';
  /** vars_prompt: values asked for before the play starts (fields may be templates, rendered with the play's variables). */
  varsPrompt?: VarsPrompt[];
  /** Conditions of the import_playbook(s) that brought the play (outer first): on fact gathering and every task outside handlers. */
  when?: string[];
  /** The order hosts are worked on (Ansible's play `order`; default inventory). */
  order?: 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';
}

/** One vars_prompt entry, as written (src/run/varsprompt.ts renders and asks). */
export interface VarsPrompt {
  name: string;
  prompt?: unknown;
  default?: unknown;
  private?: unknown;
  confirm?: unknown;
  unsafe?: unknown;
  pos: Pos;
}

export interface Playbook {
  file: string; // absolute path of the top playbook
  dir: string; // playbook_dir
  plays: Play[]; // import_playbook already expanded
}

// ───────────────────────── Connections (src/connection) ─────────────────────────
/** Output of a command on the host. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  rc: number;
}
export interface BecomeSpec {
  user: string; // default 'root'
  /** sudo (default) or su */
  method?: 'sudo' | 'su';
  password?: string; // secret: never printed
}
export interface ExecOptions {
  stdin?: string | Buffer;
  become?: BecomeSpec; // run via sudo (the connection does it; nothing else wraps sudo)
  timeoutMs?: number;
  onOutput?: (chunk: string) => void; // live progress of long commands
}
export interface Connection {
  readonly host: string; // inventory name
  readonly address: string; // "10.150.0.11:22" or "local"
  /** Open the connection (idempotent). Throws ConnectionError with a precise reason. */
  connect(): Promise<void>;
  /** Run a POSIX sh command. Never throws on non-zero rc; throws ConnectionError if the link breaks. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
  /**
   * Take this run's lock on the host (src/run/hostlock.ts), held until the connection closes; its
   * command does not count as an exec nor take an exec slot. Stand-ins may leave it out (no lock).
   */
  lock?(host: string, holder: string, waitSeconds: number, onWait: (who: string) => void): Promise<{ note?: string }>;
  /** Exec channels opened so far (round-trip accounting, tests and bench). */
  readonly execCount: number;
}

// ───────────────────────── Modules (tasks/) ─────────────────────────
/** One thing a plan does on the host. */
export interface Step {
  /** What it does, e.g. "set net.ipv4.conf.all.arp_ignore=1" (shown with --check and -vv). */
  describe: string;
  /** POSIX sh, built with `sh` (src/shell.ts). */
  cmd: string;
  /** Input of the command; at most one step of a plan has stdin (the executor sends a plan in one exec). */
  stdin?: string | Buffer;
}
/** A before/after text shown with --diff. */
export interface FileDiff {
  path?: string;
  before: string;
  after: string;
  /** A diff the module wrote itself (Ansible's `prepared`, e.g. rsync's itemized changes): shown as is, instead of before/after. */
  prepared?: string;
}
/**
 * What a module wants done. `changed` = steps.length > 0 unless `changed` is given.
 * The executor applies all steps in ONE exec (`set -e` script), then calls `after` with the output.
 * Check mode: the executor does not apply steps, reports the plan. No module has its own check branch.
 */
export interface Plan {
  steps: Step[];
  diff?: FileDiff[];
  result?: Vars; // fields for `register` (ansible_facts here = set_fact/facts for the host)
  changed?: boolean;
  failed?: string; // fail without applying ('': the result has no msg, e.g. Ansible's include_vars says `message`)
  /** With `failed`: Ansible's action raises this error rather than returning a result, so the failed result has no `changed`. */
  raised?: boolean;
  skipped?: string; // skip (e.g. command in check mode); '' skips without a message
  /** A checkModeSkip module that can tell in check mode (command with creates/removes): reported changed with these fields instead of skipped. */
  checkModeResult?: Vars;
  msg?: string;
  /** Interpret the applied steps' output; may return more result fields or throw TaskError. */
  after?(res: ExecResult): Vars | void;
  /** Instead of `after` when the steps ran as an async job (Ansible's async_wrapper reads an Ansible module's output its own way). */
  asyncAfter?(res: ExecResult): Vars | void;
  /**
   * The steps end the host's connection (reboot): a connection lost while they are applied counts
   * as their success (exit code 0, as Ansible's reboot treats it), and instead of `after` this is
   * awaited with their output: it waits for the host to come back and gives the result fields
   * (may throw TaskError). Such a plan cannot run as an async job (the module is asyncUnsupported).
   */
  awaitHost?(res: ExecResult): Promise<Vars>;
  /**
   * Instead of applying the steps (which only describe it): the work is a conversation with the
   * host that cannot be planned ahead (an Ansible action plugin, src/pymod/action.ts). Called in
   * check mode too (the code honours check mode itself), under the host lock otherwise; returns
   * Ansible's result (changed, failed, skipped, unreachable, msg, diff, ...).
   */
  perform?(io: PlanIO): Promise<Vars>;
  /** Set by `perform`: its diff is shown whatever the diff mode (an Ansible action plugin that turned its task's diff on). */
  diffShown?: boolean;
}

/** The host as a plan's `perform` uses it: commands run as the task's user, or with its become when asked. */
export interface PlanIO {
  exec(command: string, opts?: { stdin?: Buffer; become?: boolean }): Promise<ExecResult>;
  /** The task's become (sudo/su), if it has one. */
  become?: BecomeSpec;
}

/** What a module's plan() is given: the host, its arguments and variables, and read-only access to the host. */
export interface ModuleContext {
  /** The inventory name of the host. */
  host: string;
  /** The task's arguments, templated and validated against the schema (defaults applied). */
  args: Vars;
  /** Every variable of the host for this task (read only). */
  vars: Vars;
  /** Check mode: the plan is reported, not applied (a module needs no branch for it). */
  check: boolean;
  /** --diff: the plan's `diff` is shown (a module may skip fetching contents without it). */
  diff: boolean;
  /** The task's no_log (an Ansible module is told, as Ansible tells it). */
  noLog?: boolean;
  /** Where the task is written. */
  pos: Pos;
  /** Where each argument is written (errors about one argument point at it). */
  argsPos: Record<string, Pos>;
  /** The run's -v level. */
  verbosity: number;
  /** The module name as the task wrote it (e.g. ansible.builtin.tempfile), for Ansible's messages that quote it. */
  actionAs?: string;
  /** The task's name as shown in its header (pause's prompt quotes it). */
  taskName?: string;
  /** Ansible's connection reset (wait_for_connection calls it before each attempt): the local connection has none, and Ansible says so once per run. */
  connectionReset?(): Promise<void>;
  /** Print an Ansible `[WARNING]:` (once per task, host and text) without putting it in the result. */
  warn?(msg: string): void;
  /** Text as the run may show it: the run's secrets masked (what a module prints besides its result). */
  mask?(text: string): string;
  /** Close the host's connection so that the next probe opens a new one (wait_for_connection after a reboot). */
  reconnect?(): Promise<void>;
  /** One read-only round trip on the host (become applied as for the task). */
  probe(command: string, stdin?: string | Buffer): Promise<ExecResult>;
  /** A read-only command run again at each call (probe() answers a command once per task): a module polling the host for a change (reboot). */
  poll?(command: string): Promise<ExecResult>;
  /** delegate_to: the host the task's commands run on, and its variables (connection variables with the task's keywords applied; raw). */
  delegation?: { host: string; vars: Vars };
  /** What Ansible's Task.get_search_path gives an action plugin: the task's role's directory, then its task file's directory. */
  taskSearchPath?: string[];
  /** Whether the task's connection is the local one (reboot refuses it, as Ansible: it would reboot the controller). */
  connectionIsLocal?(): Promise<boolean>;
  /** Gathered facts of the host (gathered on first use when the play did not gather them). */
  facts(): Promise<Vars>;
  /** Find a file for src=: role templates/ or files/ first, then beside the task file and playbook. */
  findFile(kind: 'templates' | 'files', name: string): string;
  /** The directories a relative name of this kind is looked up in, first match wins (role dir first). */
  searchPaths(kind: 'templates' | 'files' | 'vars'): string[];
  /** Render a template file on the controller with the task's variables (errors carry the template's file:line). */
  /** `opts`: the template module's environment settings (a #jinja2: header in the file still wins). */
  renderFile(path: string, opts?: Partial<import('./vars/tplfile.js').TemplateOptions>): string;
  /** A YAML vars file's variables on the controller; ConfigError(s) at FILE:LINE:COL. */
  readVars(path: string, pos?: Pos): Promise<Vars>;
  /** Value of a Jinja2 expression (no braces) with the task's variables. Throws ConfigError when a variable is undefined. */
  evalExpr(expr: string): Promise<unknown>;
  /** A string templated as Ansible templates a task argument (text, or the native value where Ansible 2.14 keeps it: a lone `{{ name }}`, a list or dict). Throws ConfigError when a variable is undefined. */
  renderArg?(text: string): Promise<unknown>;
  /** A `when`-style condition with the task's variables. */
  evalCondition(expr: string): Promise<boolean>;
  /** async_status: the result of the async job `jid` on this host (finished: 0 while it runs); `cleanup` removes its files. */
  asyncJob?(jid: string, mode: 'status' | 'cleanup'): Promise<Vars>;
}

/**
 * A task module: its arguments (schema), its plan, and how the executor treats it — declared here,
 * never switched on by name in the executor.
 */
export interface TaskModule {
  /** The name tasks use, e.g. 'sysctl'. */
  name: string;
  /** FQCNs and alternative names, e.g. 'ansible.posix.sysctl'. */
  aliases: string[];
  /** JSON Schema of args (ajv), documents the module; `default`s are applied at run time, so an argument that has aliases must not have one (it would hide the alias). */
  schema: Record<string, unknown>;
  /** free-form args: 'raw' = the string is `_raw_params` (or `freeFormArg`), 'kv' = k=v pairs */
  freeForm?: 'raw' | 'kv';
  /** With freeForm 'raw': the argument the free-form string is (default `_raw_params`). */
  freeFormArg?: string;
  /** The argument naming a template file the module renders on the controller (template: 'src'): its text is syntax-checked at load. */
  templateSource?: string;
  /** Arguments that are conditions (assert's `that`): bare expressions unless written with {{ }}, checked at load as `when:` is. */
  conditionArgs?: string[];
  /** Runs on the controller only (debug, set_fact, assert, fail): no connection needed. */
  controllerOnly?: boolean;
  /** Argument names whose values are secret (masked everywhere). */
  secretArgs?: string[];
  /** Ansible arguments of this module lvsplay does not have: refused at load with FILE:LINE:COL, "... is not supported by lvsplay" + the text given here ('' for none). */
  unsupportedArgs?: Record<string, string>;
  /**
   * Ansible runs this module through an action plugin that checks some arguments on the controller
   * before anything else, in its own words (copy: 'dest is required'). At run time, on the rendered
   * arguments: the fields of the failed result it gives (msg, and `exception` where the plugin raises),
   * or undefined when they pass.
   */
  actionArgsCheck?: (args: Record<string, unknown>) => { msg: string; exception?: string } | undefined;
  /**
   * Its plan is a read-only probe, cheap and without side effects: the items of a loop may all be
   * planned at once (their probes merged into one exec) before any is applied. Default: no.
   */
  plansAhead?: boolean;
  /**
   * In check mode a plan with steps is reported as skipped with this message instead of changed
   * (command/shell cannot tell what running would change).
   */
  checkModeSkip?: string | ((actionAs: string) => string);
  /** Not supported in check mode at all (Ansible skips it before it runs): skipped with this message ('' = none), never planned. */
  checkModeUnsupported?: string | ((actionAs: string) => string);
  /**
   * Runs once per loop item on the first host of the task's hosts only (Ansible's BYPASS_HOST_LOOP:
   * add_host); unlike run_once, the result is the first host's alone.
   */
  bypassHostLoop?: boolean;
  /** Ansible runs no module on the host for it (raw, script, fetch, wait_for_connection: their results bring no discovered interpreter, src/facts/discover.ts). */
  noInterpreterDiscovery?: boolean;
  /** Called when a run with a task of this module starts (before its first play): start in the background what the first use would wait for. */
  prestart?(): void;
  /**
   * Ansible runs its commands without the task's `environment` (its action plugin calls no module:
   * raw, reboot): the variables are not set, and this warning is given when the task has some ('': none).
   */
  environmentIgnored?: string;
  /** `async` on it fails ("async is not supported for this task."), as on Ansible's action plugins without async (copy, template, fetch, raw, script). */
  asyncUnsupported?: boolean;
  /** Changes the run's in-memory inventory from its result (add_host, group_by), in check mode too; returns the result's `changed`. */
  editsInventory?(inv: Inventory, host: string, result: Vars): boolean;
  /** What its applied steps print is data (an Ansible module's JSON), not progress: not streamed at -vv or with --progress. */
  quietOutput?: boolean;
  /** Where the `ansible_facts` of its result go: gathered facts (default), set_fact's layer, or include_vars' layer. */
  factsTo?: 'facts' | 'set_fact' | 'include_vars';
  plan(ctx: ModuleContext): Promise<Plan>;
}

// ───────────────────────── Results and events (src/run, src/report) ─────────────────────────
/** How a task ended on a host. */
export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'interrupted';
/** One host's line of the PLAY RECAP. */
export interface RecapCounts {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
  /** Tasks cut short by an interrupted run (lvsplay's own; printed in the recap only when not 0). */
  interrupted?: number;
}
/** What a run reports as it goes, in order (the console and --json output are made from these). */
export type RunEvent =
  | { type: 'playbook_start'; file: string; check: boolean }
  | { type: 'play_start'; name: string; hosts: string[] }
  | { type: 'task_start'; name: string; pos: Pos; handler: boolean }
  | {
      type: 'host_result';
      host: string;
      task: string;
      status: HostStatus;
      ignored?: boolean;
      delegatedTo?: string;
      item?: unknown;
      msg?: string;
      /** lvsplay's FILE:LINE:COL text of a templating error whose Ansible msg does not say where (printed under the failure). */
      where?: string;
      result?: Vars; // already masked
      diff?: FileDiff[]; // already masked
      steps?: string[]; // describe of planned/applied steps
      durationMs: number;
    }
  | { type: 'progress'; host: string; task: string; text: string }
  /** A poll of an async job (poll > 0) that has not finished: Ansible's `ASYNC POLL on HOST: jid=... started=... finished=...`. */
  | { type: 'async_poll'; host: string; jid: unknown; started: unknown; finished: unknown }
  /** The end of a polled async job: Ansible's `ASYNC OK on HOST: jid=...` or `ASYNC FAILED ...`, before the task's result. */
  | { type: 'async_end'; host: string; jid: unknown; failed: boolean }
  | { type: 'warning'; msg: string }
  | { type: 'step'; question: string } // --step: the question answered (a banner)
  | { type: 'error'; msg: string }
  | { type: 'recap'; hosts: Record<string, RecapCounts>; profile?: { task: string; ms: number }[]; execs?: Record<string, number>; custom?: Record<string, Vars> } // execs: exec channels per host (bench); custom: set_stats' statistics by host ('_run': the run's)
  | { type: 'playbook_end'; rc: number };

export interface Reporter {
  emit(ev: RunEvent): void;
}
