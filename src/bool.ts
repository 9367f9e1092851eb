// Ansible's booleans, in one place: the words it accepts (case-insensitive, trimmed), the strict
// reading (keywords, module arguments, settings) and the lenient one (Jinja's `bool` filter).
export const TRUE_WORDS: readonly string[] = ['y', 'yes', 'on', '1', 'true', 't'];
export const FALSE_WORDS: readonly string[] = ['n', 'no', 'off', '0', 'false', 'f'];

/** The boolean an Ansible boolean value means, or undefined when it is not one (strict reading). */
export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (TRUE_WORDS.includes(s)) return true;
  if (FALSE_WORDS.includes(s)) return false;
  return undefined;
}

/** Lenient (Ansible's `bool` filter / boolean(strict=False)): anything that is not a true word is false. */
export function toBool(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  return parseBool(v) ?? false;
}

/** JSON-Schema pattern for a string that is an Ansible boolean word or a template (checked again after templating). */
export const BOOL_OR_TEMPLATE_PATTERN = '^\\s*(\\{[{%][\\s\\S]*|[Yy]([Ee][Ss])?|[Nn][Oo]?|[Oo][Nn]|[Oo][Ff][Ff]|[Tt]([Rr][Uu][Ee])?|[Ff]([Aa][Ll][Ss][Ee])?|[01])\\s*$';
