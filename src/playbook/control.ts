// The control actions: what the loader or the executor carries out itself instead of a module —
// one definition each (name, how its free-form string reads, the schema of its arguments, what it
// does). Modules (tasks/) never switch on these names, and nothing else lists them.
import type { Vars } from '../types.js';
import { lookupNames } from '../vars/lookups.js';

/** meta's directives (Ansible's, all of them: the ones lvsplay cannot honour say so at run time). */
export const META_DIRECTIVES = [
  'flush_handlers',
  'noop',
  'refresh_inventory',
  'clear_facts',
  'clear_host_errors',
  'end_play',
  'end_host',
  'end_batch',
  'reset_connection',
] as const;
export type MetaDirective = (typeof META_DIRECTIVES)[number];

export interface ControlAction {
  name: string;
  /** import: expanded by the loader; include: a run-time include node; meta: an executor directive. */
  kind: 'import' | 'include' | 'meta';
  /** What `action: STRING` means: the whole string is this argument (unless it is written as k=v pairs). */
  freeFormArg: string;
  schema: Record<string, unknown>;
  doc: string;
}

const str = { type: 'string' };
const roleArgs = {
  type: 'object',
  properties: {
    name: str,
    tasks_from: str,
    vars_from: str,
    defaults_from: str,
    handlers_from: str,
    allow_duplicates: { type: 'boolean' },
    public: { type: 'boolean' },
    apply: { type: 'object' },
    rolespec_validate: { type: 'boolean' },
  },
  required: ['name'],
  additionalProperties: false,
};

export const CONTROL_ACTIONS: readonly ControlAction[] = [
  {
    name: 'meta',
    kind: 'meta',
    freeFormArg: '_raw_params',
    schema: { type: 'object', properties: { _raw_params: { type: 'string', enum: [...META_DIRECTIVES] } }, required: ['_raw_params'], additionalProperties: false },
    doc: `Executor directives: ${META_DIRECTIVES.map((d) => `\`${d}\``).join(', ')}. Free form: \`meta: DIRECTIVE\`. \`when\` applies to the directives that act on hosts.`,
  },
  {
    name: 'import_tasks',
    kind: 'import',
    freeFormArg: 'file',
    schema: { type: 'object', properties: { file: str }, required: ['file'], additionalProperties: false },
    doc: 'Static: the task file is read when the playbook is loaded (the name cannot be templated). Free form: `import_tasks: FILE`.',
  },
  {
    name: 'include_tasks',
    kind: 'include',
    freeFormArg: 'file',
    schema: { type: 'object', properties: { file: str, apply: { type: 'object' } }, required: ['file'], additionalProperties: false },
    doc: 'Dynamic: the task file is read at run time, per host (the name may be templated; `loop` works). Free form: `include_tasks: FILE`.',
  },
  {
    name: 'include',
    kind: 'include',
    freeFormArg: 'file',
    schema: { type: 'object', properties: { file: str }, required: ['file'], additionalProperties: false },
    doc: "Deprecated (Ansible 2.14 warns, 2.16 removes it): as Ansible 2.14, static like import_tasks, unless it has a loop or a templated name (then like include_tasks). Use import_tasks or include_tasks.",
  },
  {
    name: 'import_role',
    kind: 'import',
    freeFormArg: 'name',
    schema: roleArgs,
    doc: "Static: the role's tasks, handlers, defaults and vars are added when the playbook is loaded. Free form: `import_role: NAME`.",
  },
  {
    name: 'include_role',
    kind: 'include',
    freeFormArg: 'name',
    schema: roleArgs,
    doc: 'Dynamic: the role is loaded at run time, per host. Free form: `include_role: NAME`.',
  },
];

/** Ansible 2.14's deprecation warning for the `include` action (shown once per run). */
export const INCLUDE_DEPRECATION =
  '"include" is deprecated, use include_tasks/import_tasks instead. See https://docs.ansible.com/ansible-core/2.14/user_guide/playbooks_reuse_includes.html for details. This feature will be removed in version 2.16. Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.';

/** The task keywords Ansible accepts on include_tasks/include_role (it refuses the others, e.g. become, check_mode). */
export const INCLUDE_KEYWORDS = ['name', 'when', 'tags', 'vars', 'args', 'loop', 'loop_control', ...lookupNames().map((n) => `with_${n}`), 'no_log', 'ignore_errors', 'register', 'run_once', 'timeout', 'collections', 'debugger'];
/** Of those, the ones lvsplay does not carry out on an include yet (refused at load rather than ignored). */
export const INCLUDE_KEYWORDS_UNSUPPORTED: Record<string, string> = {
  register: 'an include registers nothing in lvsplay',
  run_once: 'put run_once on the included tasks',
  timeout: 'put timeout on the included tasks',
};

const PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

/** The control action a written name means (`ansible.builtin.include_tasks` -> include_tasks). */
export function findControl(written: string): ControlAction | undefined {
  const short = PREFIXES.reduce((n, p) => (n.startsWith(p) ? n.slice(p.length) : n), written);
  return CONTROL_ACTIONS.find((c) => c.name === short);
}

export function controlNames(): string[] {
  return CONTROL_ACTIONS.map((c) => c.name);
}

/** How a control action's free-form string maps to arguments (k=v pairs, or the whole string). */
export function controlFreeFormArgs(c: ControlAction, s: string, kv: (s: string) => { args: Vars; offsets: Record<string, number> }): { args: Vars; offsets: Record<string, number> } {
  if (c.kind !== 'meta' && /^\s*[A-Za-z_]+=/.test(s)) return kv(s);
  return { args: { [c.freeFormArg]: s.trim() }, offsets: { [c.freeFormArg]: 0 } };
}
