// The action of a task: which key is the module, and its arguments (mapping, free-form string,
// plus the `args:` keyword), with the position of every argument.
import { isScalar, type Node } from 'yaml';
import { ConfigError, type Pos } from '../errors.js';
import type { Vars } from '../types.js';
import { controlFreeForm, type FreeForm, parseFreeForm, validateModuleArgs } from './args.js';
import { ArgsSplitError } from './splitlines.js';
import type { LoadCtx } from './common.js';
import { controlAction, lookupModule, noteHandledArgErrors, placeUnknownArg, routedAt } from './modules.js';
import { kindOf, type Entry, type YamlFile } from './yamlfile.js';
import { isTemplate } from '../vars/unsafe.js';

export interface Action {
  action: string; // canonical
  actionAs: string; // as written
  control?: string; // control action (include_tasks, import_role, meta, ...)
  args: Vars;
  argsPos: Record<string, Pos>;
  pos: Pos; // of the action key
  /** `args:` written as a template: rendered to a mapping at run time, under the arguments above. */
  argsVar?: string;
  /** Bad free-form words, left to the run (the task's failure is handled: `handled` of readAction). */
  malformed?: string[];
}

/** Offset of the first character of a scalar's value in the source (after an opening quote). */
function valueStart(node: Node | null): number {
  if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) return 1;
  return 0;
}

/**
 * `handled`: the task's failure is handled by its author (ignore_errors: true, or a block's rescue).
 * Its arguments' errors (unknown or missing arguments, bad values, free-form words that are no k=v)
 * are then left to the run, where the task fails with them as in Ansible, instead of stopping the
 * load: content that makes a task fail on purpose and checks it failed runs as under Ansible.
 */
export function readAction(ctx: LoadCtx, f: YamlFile, e: Entry, argsKw: Entry | undefined, handled = false): Action {
  const actPos = f.pos(e.keyNode);
  // a task passing an argument lvsplay's port lacks runs Ansible's own module of the name (withlib.ts)
  const route = routedAt(actPos);
  const mod = route?.module ?? lookupModule(e.key);
  const control = mod ? undefined : controlAction(e.key);
  const action = route?.name ?? mod?.name ?? control ?? e.key;
  const valPos = e.node ? f.pos(e.node) : actPos;
  const args: Vars = {};
  const argsPos: Record<string, Pos> = {};
  const keyPos: Record<string, Pos> = {};
  // `args:` keyword first; arguments written on the module line win
  let argsVar: string | undefined;
  if (argsKw && argsKw.value !== null && argsKw.value !== undefined && (typeof argsKw.value !== 'object' || Array.isArray(argsKw.value))) {
    // `args: "{{ some_dict }}"`: a mapping at run time (the task's own arguments win), as Ansible
    if (typeof argsKw.value === 'string' && isTemplate(argsKw.value)) argsVar = argsKw.value;
    else ctx.errors.push(new ConfigError(`'args' must be a mapping or a template giving one, got ${kindOf(argsKw.value)}`, f.pos(argsKw.node ?? argsKw.keyNode)));
  }
  if (argsKw && argsKw.value && typeof argsKw.value === 'object' && !Array.isArray(argsKw.value)) {
    for (const a of f.entries(argsKw.node)) {
      args[a.key] = a.value;
      argsPos[a.key] = f.pos(a.node ?? a.keyNode);
      keyPos[a.key] = f.pos(a.keyNode);
    }
  }
  const v = e.value;
  let malformed: string[] | undefined;
  let unsplit = false; // the free-form text could not be split: its arguments are not checked further
  if (v === null || v === undefined) {
    // no arguments
  } else if (typeof v === 'object' && !Array.isArray(v)) {
    for (const a of f.entries(e.node)) {
      if (!(a.key in v)) continue; // `module:` of an `action:` mapping
      args[a.key] = a.value;
      argsPos[a.key] = f.pos(a.node ?? a.keyNode);
      keyPos[a.key] = f.pos(a.keyNode);
    }
  } else if (typeof v === 'string' && mod && mod.freeForm !== 'raw' && argsVar === undefined && wholeTemplate(v)) {
    // `add_host: "{{ a_dict }}"`: the arguments are a mapping computed at run time, as `args: "{{ ... }}"`
    argsVar = v;
  } else if (typeof v === 'string') {
    const plain = isScalar(e.node) && e.node.type === 'PLAIN';
    const known = Object.keys(((mod?.schema as { properties?: object } | undefined)?.properties ?? {}));
    let ff: FreeForm;
    try {
      ff = control ? controlFreeForm(control, v) : parseFreeForm(v, mod?.freeForm === 'raw' ? 'raw' : 'kv', known);
    } catch (err) {
      if (!(err instanceof ArgsSplitError)) throw err;
      ctx.errors.push(new ConfigError(err.message, valPos));
      unsplit = true;
      ff = { args: {}, offsets: {}, bad: [] };
    }
    const at = (off: number): Pos => (plain || valueStart(e.node) ? f.posAtOffset(e.node, off + valueStart(e.node) + (e.valueOffset ?? 0)) : valPos);
    const single = !v.includes('\n');
    if (mod?.freeFormArg && '_raw_params' in ff.args) {
      // `include_vars: x.yml` is its file argument (k=v pairs in the string are arguments as usual)
      if (ff.args._raw_params !== '' && !(mod.freeFormArg in ff.args)) {
        ff.args[mod.freeFormArg] = ff.args._raw_params;
        ff.offsets[mod.freeFormArg] = ff.offsets._raw_params;
      }
      delete ff.args._raw_params;
    }
    for (const [k, val] of Object.entries(ff.args)) {
      args[k] = val;
      argsPos[k] = single ? at(ff.offsets[k] ?? 0) : valPos;
    }
    if (handled && mod && ff.bad.length) malformed = ff.bad.map((t) => t.text);
    else for (const t of ff.bad) {
      ctx.errors.push(
        new ConfigError(
          `free-form arguments of module ${action} must be k=v pairs, got '${t.text}' (write the arguments as a mapping)`,
          single ? at(t.start) : valPos,
        ),
      );
    }
  } else {
    ctx.errors.push(new ConfigError(`arguments of module ${action} must be a mapping or a k=v string, got ${kindOf(v)}`, valPos));
  }
  if ((mod || control) && !unsplit) {
    // an argument module_defaults may give is not "missing" here (the run checks the merged arguments)
    const lenient = mod && (argsVar !== undefined || (ctx.moduleDefaults ?? []).some((d) => typeof d === 'string' || Object.keys(d).some((k) => lookupModule(k) === mod)));
    const errs = validateModuleArgs(route?.name ?? e.key, args, valPos, argsPos, keyPos, false);
    for (const x of errs) placeUnknownArg(x, e.key, actPos);
    // a handled task's argument errors: the run validates the rendered arguments again and fails the task
    if (!(handled && mod)) ctx.errors.push(...(lenient ? errs.filter((x) => !x.message.startsWith('missing required argument')) : errs));
    else noteHandledArgErrors(errs); // Ansible's module of the name may have those arguments (withlib.ts)
  }
  return { action, actionAs: e.key, control, args, argsPos, pos: actPos, ...(argsVar !== undefined ? { argsVar } : {}), ...(malformed ? { malformed } : {}) };
}

/** One `{{ ... }}` expression and nothing else (free-form arguments that give the whole mapping). */
function wholeTemplate(v: string): boolean {
  const t = v.trim();
  return t.startsWith('{{') && t.endsWith('}}') && t.indexOf('{{', 2) < 0 && !/\s\w+=/.test(t.replace(/(['"]).*?\1/g, ''));
}
