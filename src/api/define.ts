// defineModule(): a task module written outside lvsplay, held to the contract the shipped modules
// follow (src/types.ts TaskModule): a JSON Schema of its arguments, and a plan (read-only probes,
// then the steps and result). Check mode and --diff come from the plan, as for every module.
// Checked when defined, so a broken module fails where it is written, not in the middle of a run.
import type { ExecResult, ModuleContext, Plan, TaskModule } from '../types.js';
import { compile } from '../playbook/check.js';

/** Marks a defineModule() result (a symbol from the global registry: a module built against another copy of lvsplay is still recognised). */
const BRAND = Symbol.for('lvsplay.module');

/** A JSON Schema (draft-07, as ajv reads it) of a module's arguments: an object with `properties`. */
export interface ArgumentSchema {
  type: 'object';
  description?: string;
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  additionalProperties?: boolean | Record<string, unknown>;
  [keyword: string]: unknown;
}

/** What a module author writes; defineModule() checks it and returns the module. */
export interface ModuleDefinition {
  /** The name tasks use (`my_module:`); letters, digits and `_`, as Ansible's module names. */
  name: string;
  /** Other names of the module (e.g. an FQCN `my.collection.my_module`). */
  aliases?: string[];
  /** The arguments: validated before plan() runs (defaults applied, yes/no turned into booleans). */
  schema: ArgumentSchema;
  /** Free-form arguments (`my_module: a=1 b=2` is 'kv'; 'raw' keeps the string as `_raw_params`). */
  freeForm?: 'raw' | 'kv';
  /** Argument names whose values are secret: shown as `***` everywhere. */
  secretArgs?: string[];
  /** Runs on the controller only: no connection to the host is opened for it. */
  controllerOnly?: boolean;
  /** Its plan only probes (no side effects): the items of a loop may be planned at once. */
  plansAhead?: boolean;
  /** In check mode, a plan with steps is reported as skipped with this message (for modules that cannot predict a change). */
  checkModeSkip?: string;
  /**
   * The read-only shell command (built with `sh`) that reads the host's current state; lvsplay runs
   * it (one round trip) and gives its output to plan(). Optional: plan() may call ctx.probe itself.
   */
  probe?(ctx: ModuleContext): string;
  /** From the current state (`probed`: the probe's output, when there is a probe), the steps that would bring the host to the wanted state. Never writes itself. */
  plan(ctx: ModuleContext, probed?: ExecResult): Promise<Plan>;
}

/** The error defineModule() throws for a definition that breaks the contract. */
export class ModuleDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleDefinitionError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const KEYS = ['name', 'aliases', 'schema', 'freeForm', 'secretArgs', 'controllerOnly', 'plansAhead', 'checkModeSkip', 'probe', 'plan'];

function problems(d: Partial<ModuleDefinition>): string[] {
  const out: string[] = [];
  if (typeof d !== 'object' || d === null) return ['the definition must be an object'];
  const who = typeof d.name === 'string' && d.name ? `module '${d.name}'` : 'a module';
  for (const k of Object.keys(d)) if (!KEYS.includes(k)) out.push(`${who}: unknown field '${k}' (expected one of: ${KEYS.join(', ')})`);
  if (typeof d.name !== 'string' || !d.name) out.push(`${who}: 'name' is missing (a string such as 'my_module')`);
  else if (!NAME.test(d.name)) out.push(`${who}: 'name' must be letters, digits and _ (not starting with a digit), got '${d.name}'`);
  if (typeof d.plan !== 'function') out.push(`${who}: 'plan' is missing (a function (ctx) => Promise<Plan>)`);
  if (d.probe !== undefined && typeof d.probe !== 'function') out.push(`${who}: 'probe' must be a function (ctx) => shell command`);
  if (d.aliases !== undefined && (!Array.isArray(d.aliases) || d.aliases.some((a) => typeof a !== 'string' || !ALIAS.test(a)))) {
    out.push(`${who}: 'aliases' must be a list of names (letters, digits, _ and dots)`);
  }
  const s = d.schema as unknown;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) out.push(`${who}: 'schema' is missing (a JSON Schema { type: 'object', properties: {...} })`);
  else {
    const o = s as Record<string, unknown>;
    if (o.type !== 'object') out.push(`${who}: 'schema.type' must be 'object' (a module's arguments are a mapping), got ${JSON.stringify(o.type)}`);
    if (o.properties !== undefined && (typeof o.properties !== 'object' || o.properties === null || Array.isArray(o.properties))) out.push(`${who}: 'schema.properties' must be a mapping of argument name -> schema`);
    else {
      try {
        compile(o);
      } catch (e) {
        out.push(`${who}: 'schema' is not a valid JSON Schema: ${(e as Error).message}`);
      }
    }
  }
  if (d.freeForm !== undefined && d.freeForm !== 'raw' && d.freeForm !== 'kv') out.push(`${who}: 'freeForm' must be 'raw' or 'kv'`);
  if (d.secretArgs !== undefined && (!Array.isArray(d.secretArgs) || d.secretArgs.some((a) => typeof a !== 'string'))) out.push(`${who}: 'secretArgs' must be a list of argument names`);
  if (d.checkModeSkip !== undefined && typeof d.checkModeSkip !== 'string') out.push(`${who}: 'checkModeSkip' must be a string`);
  return out;
}

/**
 * Define a task module. Returns a module with the same contract as lvsplay's own (plan, then
 * apply; check mode and diff from the plan). Throws ModuleDefinitionError listing every problem.
 */
export function defineModule(def: ModuleDefinition): TaskModule {
  const errs = problems(def);
  if (errs.length) throw new ModuleDefinitionError(`defineModule: ${errs.join('; ')}`);
  const m: TaskModule = {
    name: def.name,
    aliases: [...(def.aliases ?? [])],
    schema: def.schema,
    plan: async (ctx) => {
      const cmd = def.probe?.(ctx);
      return def.plan(ctx, cmd === undefined ? undefined : await ctx.probe(cmd));
    },
    ...(def.freeForm ? { freeForm: def.freeForm } : {}),
    ...(def.secretArgs ? { secretArgs: [...def.secretArgs] } : {}),
    ...(def.controllerOnly ? { controllerOnly: true } : {}),
    ...(def.plansAhead ? { plansAhead: true } : {}),
    ...(def.checkModeSkip !== undefined ? { checkModeSkip: def.checkModeSkip } : {}),
  };
  Object.defineProperty(m, BRAND, { value: 1, enumerable: false });
  return m;
}

/** Whether a value is a defineModule() result (of this or another copy of lvsplay). */
export function isDefinedModule(v: unknown): v is TaskModule {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === 1;
}
