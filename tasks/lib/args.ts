// Argument helpers shared by the task modules: Ansible-style booleans, lists, modes, aliases.
import { TaskError } from '../../src/errors.js';
import type { Vars } from '../../src/types.js';
import { parseBool } from '../../src/bool.js';


/** JSON Schema of an Ansible boolean (true/false, yes/no, on/off, 1/0). */
export function boolSchema(description: string, dflt?: boolean): Record<string, unknown> {
  return {
    type: ['boolean', 'string', 'integer'],
    description: dflt === undefined ? description : `${description} Default: ${dflt ? 'true' : 'false'}.`,
    ...(dflt === undefined ? {} : { default: dflt }),
  };
}

/** An Ansible boolean argument, with its default when absent. */
export function toBool(args: Vars, key: string, dflt: boolean): boolean {
  const v = args[key];
  if (v === undefined || v === null) return dflt;
  const b = typeof v === 'string' && v.trim() === '' ? false : parseBool(v);
  if (b !== undefined) return b;
  throw new TaskError(`argument '${key}' must be a boolean (true/false, yes/no), got ${JSON.stringify(v)}`);
}

/** The first present argument among a name and its aliases. */
export function pick(args: Vars, ...keys: string[]): unknown {
  for (const k of keys) if (args[k] !== undefined && args[k] !== null) return args[k];
  return undefined;
}

/** A string argument: the first present of a name and its aliases, or undefined. */
export function str(args: Vars, ...keys: string[]): string | undefined {
  const v = pick(args, ...keys);
  return v === undefined ? undefined : String(v);
}

/** A string argument that must be there (the schema requires it too; this is for aliases). */
export function need(args: Vars, ...keys: string[]): string {
  const v = str(args, ...keys);
  if (v === undefined || v === '') throw new TaskError(`missing required argument '${keys[0]}'`);
  return v;
}

/** A list argument: a YAML list, or a comma-separated string (Ansible's `name: a,b`). */
export function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap((x) => list(x));
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** JSON Schema of a number of seconds as Ansible's action plugins take it (Python's int() of a number or its text). */
export const secondsSchema = (description: string): Record<string, unknown> => ({ type: ['integer', 'number', 'string'], description });

export const stringOrList = (description: string): Record<string, unknown> => ({
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
  description,
});

/** Schema of mode/owner/group shared by the file modules. */
export const attrSchema: Record<string, Record<string, unknown>> = {
  mode: {
    type: ['string', 'integer'],
    description:
      "Permissions: octal as a quoted string ('0644') or YAML octal (0644), or symbolic ('u=rw,g=r,o=r', 'u+x'). Unset: kept for existing files, 0644 (0755 for directories) for new ones.",
  },
  owner: { type: ['string', 'integer'], description: 'Owner (name or uid). Unset: kept, or the connecting/become user for new files.' },
  group: { type: ['string', 'integer'], description: 'Group (name or gid). Unset: kept, or the default group for new files.' },
};
