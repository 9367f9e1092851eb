// Role argument specs (meta/argument_specs.yml, else argument_specs in meta/main.yml): as Ansible
// does, a role whose spec has the entry point (main, or the tasks_from name) gets a first task,
// validate_argument_spec, named "Validating arguments against arg spec 'ENTRY'[ - short_description]",
// tagged always, checking the role's variables and parameters.
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError, type Pos } from '../errors.js';
import type { RoleRef, Task, Vars } from '../types.js';
import type { LoadCtx } from './common.js';
import { readYaml } from './yamlfile.js';

function specs(ctx: LoadCtx, dir: string, metaEntries: { key: string; value: unknown }[], from?: Pos): Vars {
  for (const ext of ['.yml', '.yaml', '']) {
    const f = path.join(dir, 'meta', `argument_specs${ext}`);
    if (!existsSync(f)) continue;
    const y = readYaml(f, ctx.errors, from, 'role argument specs file');
    const root = (y && y.root ? y.js(y.root) : undefined) as Vars | undefined;
    return (root && typeof root === 'object' ? (root.argument_specs as Vars) : undefined) ?? {};
  }
  const v = metaEntries.find((e) => e.key === 'argument_specs')?.value;
  return v && typeof v === 'object' ? (v as Vars) : {};
}

/** What lvsplay's validation checks; a spec using anything else is refused (never silently not checked). */
const OPTION_KEYS = new Set(['type', 'required', 'default', 'choices', 'elements', 'options', 'description', 'version_added']);
const ENTRY_KEYS = new Set(['short_description', 'description', 'author', 'options', 'version_added']);

function unsupportedKeys(spec: Vars, at: string): string[] {
  const out = Object.keys(spec).filter((k) => !ENTRY_KEYS.has(k)).map((k) => `${at}.${k}`);
  const walk = (opts: unknown, where: string): void => {
    if (!opts || typeof opts !== 'object') return;
    for (const [name, o] of Object.entries(opts as Vars)) {
      if (!o || typeof o !== 'object') continue;
      for (const k of Object.keys(o as Vars)) if (!OPTION_KEYS.has(k)) out.push(`${where}.${name}.${k}`);
      walk((o as Vars).options, `${where}.${name}.options`);
    }
  };
  walk(spec.options, `${at}.options`);
  return out;
}

/** The implicit validation task of a role entry point, or undefined when its spec has none. */
export function argSpecTask(ctx: LoadCtx, dir: string, metaEntries: { key: string; value: unknown }[], entry: string, role: RoleRef, from?: Pos): Task | undefined {
  const spec = specs(ctx, dir, metaEntries, from)[entry] as Vars | undefined;
  if (!spec || typeof spec !== 'object') return undefined;
  for (const k of unsupportedKeys(spec, `argument_specs.${entry}`)) {
    ctx.errors.push(new ConfigError(`role '${role.name}': ${k} is not supported by lvsplay's argument validation (${path.join(dir, 'meta')})`, from));
  }
  const short = spec.short_description;
  const name = `Validating arguments against arg spec '${entry}'${short !== undefined ? ` - ${String(short)}` : ''}`;
  const pos: Pos = from ?? { file: path.join(dir, 'meta'), line: 1, col: 1 };
  return {
    kind: 'task', name, when: [], tags: ['always'], vars: {}, pos, file: path.join(dir, 'meta', 'main.yml'), role,
    action: 'validate_argument_spec', actionAs: 'ansible.builtin.validate_argument_spec',
    args: {
      argument_spec: spec.options ?? {},
      provided_arguments: role.params,
      validate_args_context: { type: 'role', name: role.name, argument_spec_name: entry, path: dir },
    },
    argsPos: {}, notify: [], loopVar: 'item',
  };
}
