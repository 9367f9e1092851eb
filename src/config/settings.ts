// The ansible.cfg settings lvsplay honours: Ansible's name (as `ansible-config dump` shows it), the
// [section] key, the ANSIBLE_* variables, and the value's type. Unknown keys are ignored, as Ansible does.
export type SettingType = 'bool' | 'int' | 'str' | 'path' | 'pathlist' | 'pathspec' | 'list';

export interface Setting {
  name: string;
  section: string;
  key: string;
  env: string[];
  type: SettingType;
  /** What lvsplay does with it, when not the obvious (`config dump` shows it). */
  note?: string;
}

const d = (name: string, key: string, env: string[], type: SettingType, note?: string): Setting => ({ name, section: 'defaults', key, env, type, note });
const pe = (name: string, key: string, env: string[], type: SettingType): Setting => ({ name, section: 'privilege_escalation', key, env, type });
const ssh = (name: string, key: string, env: string[], type: SettingType, note?: string): Setting => ({ name, section: 'ssh_connection', key, env, type, note });

export const SETTINGS: Setting[] = [
  d('DEFAULT_HOST_LIST', 'inventory', ['ANSIBLE_INVENTORY'], 'pathlist'),
  d('DEFAULT_ROLES_PATH', 'roles_path', ['ANSIBLE_ROLES_PATH'], 'pathspec'),
  d('DEFAULT_MODULE_PATH', 'library', ['ANSIBLE_LIBRARY'], 'pathspec', 'as -M: custom module dirs (NAME.ts/NAME.js written with defineModule, see docs/api.md; Ansible modules run through ansible-core on the controller)'),
  d('DEFAULT_FORKS', 'forks', ['ANSIBLE_FORKS'], 'int'),
  d('DEFAULT_REMOTE_USER', 'remote_user', ['ANSIBLE_REMOTE_USER'], 'str'),
  d('DEFAULT_PRIVATE_KEY_FILE', 'private_key_file', ['ANSIBLE_PRIVATE_KEY_FILE'], 'path'),
  d('HOST_KEY_CHECKING', 'host_key_checking', ['ANSIBLE_HOST_KEY_CHECKING'], 'bool'),
  d('DEFAULT_TIMEOUT', 'timeout', ['ANSIBLE_TIMEOUT'], 'int'),
  d('DEFAULT_ASK_PASS', 'ask_pass', ['ANSIBLE_ASK_PASS'], 'bool'),
  d('DEFAULT_VAULT_PASSWORD_FILE', 'vault_password_file', ['ANSIBLE_VAULT_PASSWORD_FILE'], 'path'),
  d('DEFAULT_VAULT_IDENTITY_LIST', 'vault_identity_list', ['ANSIBLE_VAULT_IDENTITY_LIST'], 'list'),
  d('DEFAULT_STDOUT_CALLBACK', 'stdout_callback', ['ANSIBLE_STDOUT_CALLBACK'], 'str', 'json = --json; default, yaml, minimal: the console output'),
  d('RETRY_FILES_ENABLED', 'retry_files_enabled', ['ANSIBLE_RETRY_FILES_ENABLED'], 'bool', 'ignored: lvsplay writes no retry files'),
  d('ANSIBLE_NOCOLOR', 'nocolor', ['ANSIBLE_NOCOLOR', 'NO_COLOR'], 'bool'),
  d('ANSIBLE_FORCE_COLOR', 'force_color', ['ANSIBLE_FORCE_COLOR'], 'bool'),
  d('DEFAULT_GATHERING', 'gathering', ['ANSIBLE_GATHERING'], 'str', 'implicit and smart gather (once per host and run), explicit does not'),
  d('ANY_ERRORS_FATAL', 'any_errors_fatal', ['ANSIBLE_ANY_ERRORS_FATAL'], 'bool'),
  d('DEFAULT_STRATEGY', 'strategy', ['ANSIBLE_STRATEGY'], 'str', 'linear, free or host_pinned: the default of the play keyword'),
  d('DUPLICATE_YAML_DICT_KEY', 'duplicate_dict_key', ['ANSIBLE_DUPLICATE_YAML_DICT_KEY'], 'str', 'error (lvsplay default), warn, ignore'),
  d('DEFAULT_LOG_PATH', 'log_path', ['ANSIBLE_LOG_PATH'], 'path', 'the console output, appended with Ansible\'s prefix (time, pid, user)'),
  d('INTERPRETER_PYTHON', 'interpreter_python', ['ANSIBLE_PYTHON_INTERPRETER'], 'str', 'auto modes: the discovered_interpreter_python fact as Ansible finds it; a path: none (lvsplay\'s modules need no Python)'),
  d('SHOW_CUSTOM_STATS', 'show_custom_stats', ['ANSIBLE_SHOW_CUSTOM_STATS'], 'bool', "set_stats' statistics printed after the recap (CUSTOM STATS)"),
  d('DEFAULT_HASH_BEHAVIOUR', 'hash_behaviour', ['ANSIBLE_HASH_BEHAVIOUR'], 'str', 'replace only; merge is refused'),
  pe('DEFAULT_BECOME', 'become', ['ANSIBLE_BECOME'], 'bool'),
  pe('DEFAULT_BECOME_USER', 'become_user', ['ANSIBLE_BECOME_USER'], 'str'),
  pe('DEFAULT_BECOME_METHOD', 'become_method', ['ANSIBLE_BECOME_METHOD'], 'str'),
  pe('DEFAULT_BECOME_ASK_PASS', 'become_ask_pass', ['ANSIBLE_BECOME_ASK_PASS'], 'bool'),
  ssh('SSH_ARGS', 'ssh_args', ['ANSIBLE_SSH_ARGS'], 'str', 'ProxyJump, ServerAlive*, known hosts and host key options honoured before the inventory ssh args; ControlMaster/ControlPersist ignored (one connection per host); ProxyCommand refused'),
  ssh('ANSIBLE_PIPELINING', 'pipelining', ['ANSIBLE_PIPELINING', 'ANSIBLE_SSH_PIPELINING'], 'bool', 'accepted: lvsplay never copies module files'),
  ssh('SSH_TRANSFER_METHOD', 'transfer_method', ['ANSIBLE_SSH_TRANSFER_METHOD'], 'str', 'accepted: lvsplay transfers over its SSH connection'),
  ssh('SCP_IF_SSH', 'scp_if_ssh', ['ANSIBLE_SCP_IF_SSH'], 'str', 'accepted: lvsplay transfers over its SSH connection'),
];
