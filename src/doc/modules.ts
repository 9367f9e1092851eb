// A module's documentation from its JSON Schema (the same schema that validates the task's
// arguments), as Markdown: `lvsplay doc MODULE` prints it, scripts/modules-doc.ts writes docs/modules.md.
import type { TaskModule } from '../types.js';

export type Schema = Record<string, unknown>;

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
export const code = (v: unknown): string => '`' + (typeof v === 'string' ? v : JSON.stringify(v)) + '`';

const isBool = (s: Schema): boolean => Array.isArray(s.type) && s.type.includes('boolean') && s.type.includes('string');

/** A short human type: string, int, bool, string or list, ... */
export function typeOf(s: Schema): string {
  if (s.enum) return 'choice';
  if (isBool(s)) return 'bool';
  const one = (t: unknown): string =>
    t === 'integer' ? 'int' : t === 'boolean' ? 'bool' : t === 'array' ? 'list' : t === 'object' ? 'dict' : String(t);
  const listOf = (items: unknown): string => {
    const t = (items as Schema | undefined)?.type;
    return t === 'string' ? 'list' : `list of ${Array.isArray(t) ? t.map(one).join('/') : one(t ?? 'any')}`;
  };
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const alts = (s.anyOf ?? s.oneOf) as Schema[];
    return alts.map((a) => (a.type === 'array' ? listOf(a.items) : one(a.type))).join(' or ');
  }
  if (Array.isArray(s.type)) return s.type.map(one).join(' or ');
  if (s.type === 'array') return listOf(s.items);
  return s.type ? one(s.type) : 'any';
}

/** Which arguments are required, as words: `name`, or "one of `path`, `dest`". */
export function requirements(schema: Schema): { required: Set<string>; notes: string[] } {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const notes: string[] = [];
  for (const [kw, word] of [['anyOf', 'at least one of'], ['oneOf', 'exactly one of']] as const) {
    const alts = schema[kw] as Schema[] | undefined;
    if (!alts) continue;
    const names = alts.flatMap((a) => (a.required as string[] | undefined) ?? []);
    if (names.length) notes.push(`Required: ${word} ${names.map(code).join(', ')}.`);
  }
  const not = schema.not as Schema | undefined;
  if (not?.required) notes.push(`Not together: ${(not.required as string[]).map(code).join(' and ')}.`);
  return { required, notes };
}

function argName(name: string, m: TaskModule): string {
  if (name === '_raw_params') return m.freeForm === 'raw' ? '*(free form)*' : '*(free form value)*';
  return code(name);
}

export function moduleSection(m: TaskModule): string {
  const s = m.schema as Schema;
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const { required, notes } = requirements(s);
  const out: string[] = [`## ${m.name}`, ''];
  if (s.description) out.push(String(s.description), '');
  const facts: string[] = [];
  if (m.aliases.length) facts.push(`Also written as: ${m.aliases.map(code).join(', ')}.`);
  if (m.freeForm === 'raw') facts.push(`Free form: \`${m.name}: TEXT\` (the text is ${m.freeFormArg ? `the \`${m.freeFormArg}\` argument` : 'the command line'}).`);
  if (m.freeForm === 'kv') facts.push(`Free form: \`${m.name}: key=value key2=value2\` is accepted as well as a mapping.`);
  if (m.controllerOnly) facts.push('Runs on the controller only (no connection to the host).');
  if (m.secretArgs?.length) facts.push(`Secret arguments (shown as \`********\` in output and diffs): ${m.secretArgs.map(code).join(', ')}.`);
  if (m.unsupportedArgs && Object.keys(m.unsupportedArgs).length) facts.push(`Ansible arguments not supported by lvsplay (refused at load): ${Object.keys(m.unsupportedArgs).map(code).join(', ')}.`);
  if (s.additionalProperties === true) facts.push('Any other key is accepted (see the description).');
  out.push(...facts.map((f) => `- ${f}`), ...notes.map((n) => `- ${n}`));
  if (facts.length || notes.length) out.push('');
  const names = Object.keys(props);
  if (names.length) {
    out.push('| Argument | Type | Required | Default | Choices | Description |', '|---|---|---|---|---|---|');
    for (const n of names) {
      const p = props[n];
      const dflt = p.default === undefined ? '' : code(p.default);
      let desc = String(p.description ?? '');
      if (p.default !== undefined) desc = desc.replace(/\s*Default: [^.]*\.\s*$/, '');
      const limits = [p.minimum !== undefined ? `min ${p.minimum}` : '', p.maximum !== undefined ? `max ${p.maximum}` : ''].filter(Boolean).join(', ');
      if (limits) desc = `${desc}${desc ? ' ' : ''}(${limits})`;
      const choices = Array.isArray(p.enum) ? p.enum.map(code).join(', ') : '';
      out.push(`| ${argName(n, m)} | ${typeOf(p)} | ${required.has(n) ? 'yes' : ''} | ${cell(dflt)} | ${cell(choices)} | ${cell(desc)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
