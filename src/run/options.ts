// Options of a run (what the CLI's flags become).
import type { Vars } from '../types.js';
import type { StepAsker } from './step.js';

export interface RunOptions {
  check: boolean;
  diff: boolean;
  /** Hosts worked on at once (Ansible's default is 5). */
  forks: number;
  verbosity: number;
  limit?: string;
  tags: string[]; // empty = all
  skipTags: string[];
  startAtTask?: string;
  forceHandlers: boolean;
  extraVars: Vars;
  become?: boolean;
  becomeUser?: string;
  /** --become-method / ansible.cfg become_method (sudo, su); default sudo */
  becomeMethod?: string;
  becomePassword?: string;
  /** -k: the SSH password (inventory ansible_password wins). */
  password?: string;
  /** -M/--module-path (with ANSIBLE_LIBRARY / ansible.cfg library): custom module dirs, loaded with the playbook (src/playbook/withlib.ts). */
  modulePath?: string[];
  user?: string;
  privateKey?: string;
  connection?: string; // -c: default for plays without `connection:`
  rolesPath: string[];
  profile: boolean;
  connectTimeoutMs?: number;
  strictHostKeyChecking?: boolean;
  /** ansible.cfg ssh_args: every host's ssh options start with these */
  sshArgs?: string;
  /** --step: asks before each task (see step.ts). */
  step?: StepAsker;
  /** interpreter_python of ansible.cfg / ANSIBLE_PYTHON_INTERPRETER (default auto): an auto mode makes the first module on a host bring back discovered_interpreter_python. */
  interpreterPython?: string;
  /** Emit 'progress' events with the output of running commands (live progress on a terminal). */
  progress?: boolean;
}

export const DEFAULT_FORKS = 5;

export function defaultOptions(o: Partial<RunOptions> = {}): RunOptions {
  return {
    check: false,
    diff: false,
    forks: DEFAULT_FORKS,
    verbosity: 0,
    tags: [],
    skipTags: [],
    forceHandlers: false,
    extraVars: {},
    rolesPath: [],
    profile: false,
    ...o,
  };
}
