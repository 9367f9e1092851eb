// JSON Schemas (ajv) of play, task and block keywords. Unknown keys are reported by the loader
// (with did-you-mean), so these schemas check the types and values of known keywords only.

const str = { type: 'string' };
const bool = { type: 'boolean' };
/** The longest wait a timer can hold (Node's setTimeout: 2^31-1 ms, ~24.8 days): longer is an error, not an overflow. */
const MAX_WAIT_SECONDS = 2147483;
const seconds = (type: 'integer' | 'number') => ({ type, minimum: 0, maximum: MAX_WAIT_SECONDS });
const strList = { type: ['string', 'array'], items: { type: ['string', 'number'] } };
const cond = { type: ['string', 'boolean', 'array'], items: { type: ['string', 'boolean'] } };
const mapping = { type: ['object', 'null'] };
const taskList = { type: ['array', 'null'], items: { type: 'object' } };
const ident = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };

/** Keywords every task, block and include accepts. */
const common = {
  name: str,
  when: cond,
  tags: strList,
  vars: mapping,
  become: bool,
  become_user: str,
  become_method: { type: 'string', enum: ['sudo'] },
  no_log: bool,
  check_mode: bool,
  diff: bool,
  delegate_to: str,
  delegate_facts: bool,
  run_once: bool,
  ignore_errors: bool,
  ignore_unreachable: bool,
  any_errors_fatal: bool,
  environment: { type: ['object', 'string'] },
  remote_user: str,
  connection: str,
  timeout: seconds('integer'),
  throttle: { type: 'integer', minimum: 0 },
};

export const taskSchema = {
  type: 'object',
  properties: {
    ...common,
    args: { type: 'object' },
    loop: { type: ['array', 'string'] },
    with_items: { type: ['array', 'string'] },
    with_list: { type: ['array', 'string'] },
    loop_control: {
      type: 'object',
      properties: {
        loop_var: ident,
        index_var: ident,
        label: str,
        pause: seconds('number'),
        extended: bool,
      },
      additionalProperties: false,
    },
    register: ident,
    notify: strList,
    changed_when: cond,
    failed_when: cond,
    until: { type: ['string', 'boolean'] },
    retries: { type: 'integer', minimum: 0 },
    delay: seconds('number'),
  },
};

export const handlerSchema = {
  type: 'object',
  properties: { ...taskSchema.properties, listen: strList },
};

export const blockSchema = {
  type: 'object',
  properties: { ...common, block: taskList, rescue: taskList, always: taskList },
};

export const playSchema = {
  type: 'object',
  properties: {
    name: str,
    hosts: { type: ['string', 'array'], items: str },
    vars: mapping,
    vars_files: { type: ['string', 'array'], items: { type: ['string', 'array'], items: str } },
    roles: { type: ['array', 'null'], items: { type: ['string', 'object'] } },
    pre_tasks: taskList,
    tasks: taskList,
    post_tasks: taskList,
    handlers: taskList,
    become: bool,
    become_user: str,
    become_method: { type: 'string', enum: ['sudo'] },
    gather_facts: bool,
    serial: { type: ['integer', 'string', 'array'], items: { type: ['integer', 'string'] } },
    any_errors_fatal: bool,
    force_handlers: bool,
    connection: str,
    remote_user: str,
    tags: strList,
    check_mode: bool,
    diff: bool,
    environment: { type: ['object', 'string'] },
    ignore_unreachable: bool,
    ignore_errors: bool,
    no_log: bool,
    max_fail_percentage: { type: 'number', minimum: 0, maximum: 100 },
    strategy: { type: 'string', enum: ['linear'] },
    collections: { type: 'array', items: str },
    order: { type: 'string', enum: ['inventory'] },
    run_once: bool,
  },
  required: ['hosts'],
};

export const roleEntrySchema = {
  type: 'object',
  properties: { role: str, name: str, when: cond, tags: strList, vars: mapping, become: bool, become_user: str },
};

export const TASK_KEYWORDS = Object.keys(taskSchema.properties);
export const HANDLER_KEYWORDS = Object.keys(handlerSchema.properties);
export const BLOCK_KEYWORDS = Object.keys(blockSchema.properties);
export const PLAY_KEYWORDS = [...Object.keys(playSchema.properties)];
/** Keys of a play list entry that imports another playbook. */
export const IMPORT_PLAYBOOK_KEYWORDS = ['import_playbook', 'ansible.builtin.import_playbook', 'name', 'vars', 'tags', 'when'];
