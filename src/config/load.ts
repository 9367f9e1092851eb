// ansible.cfg as Ansible finds and reads it: the first of $ANSIBLE_CONFIG, ./ansible.cfg (not when
// the working directory is world-writable: ignored with a warning), ~/.ansible.cfg,
// /etc/ansible/ansible.cfg. Parsed with the `ini` library; each setting's value is then taken
// from its ANSIBLE_* variable if set, else the file: CLI > env > cfg > defaults (the CLI part is
// src/config/apply.ts). Relative paths in the file are relative to the file's directory.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'ini';
import { ConfigError } from '../errors.js';
import { SETTINGS, type Setting } from './settings.js';
import { toBool } from '../vars/filters-text.js';

export type ConfigValue = string | number | boolean | string[];

export interface Applied {
  setting: Setting;
  value: ConfigValue;
  /** `FILE:LINE` or `env: ANSIBLE_X`. */
  origin: string;
}

export interface AnsibleConfig {
  file?: string;
  warnings: string[];
  values: Map<string, Applied>;
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

/** Which ansible.cfg applies (undefined: none), and why another was skipped. */
export function findConfigFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { file?: string; warnings: string[] } {
  const warnings: string[] = [];
  const fromEnv = env.ANSIBLE_CONFIG ? resolve(cwd, env.ANSIBLE_CONFIG.replace(/^~(?=\/|$)/, homedir())) : undefined;
  const candidates: string[] = [];
  if (fromEnv) candidates.push(existsSync(fromEnv) && statSync(fromEnv).isDirectory() ? join(fromEnv, 'ansible.cfg') : fromEnv);
  const local = join(cwd, 'ansible.cfg');
  if (isFile(local)) {
    if (statSync(cwd).mode & 0o002) {
      warnings.push(`Ansible is being run in a world writable directory (${cwd}), ignoring it as an ansible.cfg source.`);
    } else candidates.push(local);
  }
  candidates.push(join(env.HOME ?? homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  return { file: candidates.find(isFile), warnings };
}

/** The line of `key` in `[section]` (for `config dump`'s origin). */
function lineOf(text: string, section: string, key: string): number {
  let inSection = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*\[([^\]]+)\]/.exec(lines[i]);
    if (head) inSection = head[1].trim() === section;
    else if (inSection && new RegExp(`^\\s*${key}\\s*[=:]`).test(lines[i])) return i + 1;
  }
  return 1;
}

function convert(s: Setting, raw: string, baseDir: string | undefined, where: string): ConfigValue {
  const v = raw.trim();
  const path = (p: string) => {
    const home = p.replace(/^~(?=\/|$)/, homedir());
    return baseDir && !isAbsolute(home) ? resolve(baseDir, home) : home;
  };
  switch (s.type) {
    case 'bool':
      return toBool(v);
    case 'int': {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new ConfigError(`${where}: ${s.key} must be an integer, got '${v}'`);
      return n;
    }
    case 'path':
      return path(v);
    case 'pathlist':
      return v.split(',').map((x) => x.trim()).filter(Boolean).map(path);
    case 'pathspec':
      return v.split(':').map((x) => x.trim()).filter(Boolean).map(path);
    case 'list':
      return v.split(',').map((x) => x.trim()).filter(Boolean);
    default:
      return v;
  }
}

/** configparser also accepts `key: value`; the ini library reads such a line as a key set to true. */
function keyColonValue(sec: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(sec)) {
    const colon = k.indexOf(':');
    if (v !== true || colon <= 0) continue;
    delete sec[k];
    sec[k.slice(0, colon).trim()] = k.slice(colon + 1).trim();
  }
}

export function loadAnsibleConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AnsibleConfig {
  const { file, warnings } = findConfigFile(env, cwd);
  let text = '';
  let data: Record<string, Record<string, unknown>> = {};
  if (file) {
    text = readFileSync(file, 'utf8');
    data = parse(text) as typeof data;
    for (const sec of Object.values(data)) if (sec && typeof sec === 'object') keyColonValue(sec);
  }
  const values = new Map<string, Applied>();
  for (const s of SETTINGS) {
    const envName = s.env.find((e) => env[e] !== undefined && env[e] !== '');
    if (envName) {
      values.set(s.name, { setting: s, value: convert(s, env[envName]!, cwd, `$${envName}`), origin: `env: ${envName}` });
      continue;
    }
    const raw = data[s.section]?.[s.key];
    if (raw === undefined || !file) continue;
    const origin = `${file}:${lineOf(text, s.section, s.key)}`;
    values.set(s.name, { setting: s, value: convert(s, String(raw), dirname(file), origin), origin });
  }
  const hash = values.get('DEFAULT_HASH_BEHAVIOUR');
  if (hash && hash.value !== 'replace') {
    throw new ConfigError(`${hash.origin}: hash_behaviour=${hash.value} is not supported by lvsplay (only 'replace', Ansible's default; merge dictionaries explicitly with the combine filter)`);
  }
  return { file, warnings, values };
}
