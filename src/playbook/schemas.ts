// JSON Schemas (ajv) of play, task and block keywords. Unknown keys are reported by the loader
// (with did-you-mean), so these schemas check the types and values of known keywords only.

import { BOOL_OR_TEMPLATE_PATTERN } from '../bool.js';
import { lookupNames } from '../vars/lookups.js';

const str = { type: 'string' };
const bool = { type: 'boolean' };
/** A keyword Ansible templates and reads as a boolean: true/false, yes/no, ... or a template (checked again on the host). */
const boolish = {
  type: ['boolean', 'string'],
  pattern: BOOL_OR_TEMPLATE_PATTERN,
  expected: 'a boolean (true/false)',
  alsoAccepted: 'yes/no, on/off and templates such as "{{ x | bool }}" are accepted too',
};
/** module_defaults: module name -> its default arguments (action groups, `group/...`, are not supported). */
const moduleDefaults = {
  type: ['object', 'string'],
  propertyNames: { not: { pattern: '^group/' } },
  additionalProperties: { type: ['object', 'string'] },
  expected: 'a mapping of module names to their default arguments (or a template)',
  badName: 'is an action group: module_defaults groups are not supported by lvsplay (name the modules)',
};
/** The longest wait a timer can hold (Node's setTimeout: 2^31-1 ms, ~24.8 days): longer is an error, not an overflow. */
export const MAX_WAIT_SECONDS = 2147483;
const seconds = (type: 'integer' | 'number') => ({ type, minimum: 0, maximum: MAX_WAIT_SECONDS });
/** A whole number, or a template giving one (checked again on the host). */
const countish = { type: ['integer', 'string'], minimum: 0, pattern: '^\\s*(\\{[{%][\\s\\S]*|\\d+)\\s*$', expected: 'a whole number (>= 0) or a template' };
/** Seconds, or a template giving them. */
const secondsish = { ...countish, maximum: MAX_WAIT_SECONDS, expected: 'a whole number of seconds (>= 0) or a template' };
const strList = { type: ['string', 'array'], items: { type: ['string', 'number'] } };
const cond = { type: ['string', 'boolean', 'array'], items: { type: ['string', 'boolean'] } };
const mapping = { type: ['object', 'null'] };
/** `vars:` — a mapping, or (as Ansible accepts) a list of mappings merged in order. */
const varsKw = { type: ['object', 'null', 'array'], items: { type: 'object' }, expected: 'a mapping (or a list of mappings)' };
const taskList = { type: ['array', 'null'], items: { type: 'object' } };
const ident = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };

/** Keywords every task, block and include accepts. */
const common = {
  name: str,
  when: cond,
  tags: strList,
  vars: varsKw,
  become: boolish,
  become_user: str,
  become_method: { type: 'string', enum: ['sudo', 'su'] },
  no_log: boolish,
  check_mode: boolish,
  diff: boolish,
  delegate_to: str,
  delegate_facts: boolish,
  run_once: boolish,
  ignore_errors: boolish,
  ignore_unreachable: boolish,
  any_errors_fatal: boolish,
  environment: { type: ['object', 'string'] },
  remote_user: str,
  connection: str,
  timeout: secondsish,
  throttle: countish,
  module_defaults: moduleDefaults,
};

export const taskSchema = {
  type: 'object',
  properties: {
    ...common,
    collections: { type: 'array', items: str },
    args: { type: 'object' },
    loop: { type: ['array', 'string'] },
    // with_<lookup>: the lookup's terms (a string, a list or a mapping), as Ansible takes them
    ...Object.fromEntries(lookupNames().map((n) => [`with_${n}`, {}])),
    loop_control: {
      type: 'object',
      properties: {
        loop_var: ident,
        index_var: ident,
        label: str,
        pause: seconds('number'),
        extended: bool,
        extended_allitems: bool,
      },
      additionalProperties: false,
    },
    // not templated (Ansible: "register" is not templatable, then Invalid variable name in 'register')
    register: { ...ident, expected: 'a valid variable name (letters, digits and _; register is not templated)', notTemplated: true },
    notify: strList,
    changed_when: cond,
    failed_when: cond,
    until: { type: ['string', 'boolean'] },
    retries: { type: 'integer', minimum: 0 },
    delay: seconds('number'),
    async: countish,
    poll: countish,
  },
};

export const handlerSchema = {
  type: 'object',
  properties: { ...taskSchema.properties, listen: strList },
};

export const blockSchema = {
  type: 'object',
  properties: { ...common, collections: { type: 'array', items: str }, block: taskList, rescue: taskList, always: taskList },
};

export const playSchema = {
  type: 'object',
  properties: {
    name: str,
    hosts: { type: ['string', 'array'], items: str },
    vars: varsKw,
    vars_files: { type: ['string', 'array'], items: { type: ['string', 'array'], items: str } },
    roles: { type: ['array', 'null'], items: { type: ['string', 'object'] } },
    pre_tasks: taskList,
    tasks: taskList,
    post_tasks: taskList,
    handlers: taskList,
    become: boolish,
    become_user: str,
    become_method: { type: 'string', enum: ['sudo', 'su'] },
    gather_facts: boolish,
    gather_subset: { type: ['string', 'array'], items: str },
    gather_timeout: { type: ['integer', 'string'] },
    fact_path: str,
    serial: { type: ['integer', 'string', 'array'], items: { type: ['integer', 'string'] } },
    any_errors_fatal: boolish,
    force_handlers: bool,
    connection: str,
    remote_user: str,
    tags: strList,
    check_mode: boolish,
    diff: boolish,
    environment: { type: ['object', 'string'] },
    ignore_unreachable: boolish,
    ignore_errors: boolish,
    no_log: boolish,
    timeout: secondsish,
    throttle: countish,
    module_defaults: moduleDefaults,
    max_fail_percentage: { type: 'number', minimum: 0, maximum: 100 },
    strategy: { type: 'string', enum: ['linear', 'free', 'host_pinned', 'ansible.builtin.linear', 'ansible.builtin.free', 'ansible.builtin.host_pinned'] },
    vars_prompt: { type: ['array', 'object'], items: { type: 'object' } },
    collections: { type: 'array', items: str },
    order: { type: 'string', enum: ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'] },
    run_once: boolish,
  },
  required: ['hosts'],
};

export const roleEntrySchema = {
  type: 'object',
  properties: { ...common, role: str, name: str, vars: mapping },
};

/** The keywords of a `roles:`/`dependencies:` entry (Ansible's Role attributes); its other keys are the role's parameters. */
export const ROLE_ENTRY_KEYWORDS = Object.keys(common).filter((k) => k !== 'name' && k !== 'vars');
/** Role attributes Ansible has and lvsplay does not: refused rather than taken for parameters. */
export const ROLE_ENTRY_UNSUPPORTED = ['port', 'debugger', 'become_flags', 'become_exe', 'collections'];

export const TASK_KEYWORDS = Object.keys(taskSchema.properties);
export const HANDLER_KEYWORDS = Object.keys(handlerSchema.properties);
export const BLOCK_KEYWORDS = Object.keys(blockSchema.properties);
export const PLAY_KEYWORDS = [...Object.keys(playSchema.properties)];
/** Keys of a play list entry that imports another playbook. */
export const IMPORT_PLAYBOOK_KEYWORDS = ['import_playbook', 'ansible.builtin.import_playbook', 'name', 'vars', 'tags', 'when'];
