// How a template string in a task argument or variable becomes a value, as ansible-core 2.14 does it
// with jinja2_native off (the template module's files are rendered differently: templar.renderString).

// Text made only of Python literal tokens (no names but True/False/None, no calls): safe to evaluate as an expression.
export const PY_LITERAL_RE =
  /^(?:\s+|[[\](){},:]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|True|False|None)*$/;

// An expression whose last step is one of the filters that return text meant to stay text (Ansible's
// STRING_TYPE_FILTERS): its result is not read back as a list/dict/bool.
export const STRING_FILTER_LAST_RE = /\|\s*(?:ansible\.builtin\.)?(?:string|to_json|to_nice_json|to_yaml|to_nice_yaml|ppretty|json)\s*(?:\([^()]*\))?\s*$/;

/** `{{ name }}` and nothing else: a variable holding a number, boolean or None keeps it. */
export const BARE_VAR_RE = /^\{\{\s*(\w*)\s*\}\}$/;

/**
 * Backslashes in the string literals of `{{ }}` expressions are doubled before rendering, as Ansible
 * does for task arguments and variables: `'\\1'` written in YAML reaches a filter as `\\1`, and
 * `'\n'` stays a backslash and an n.
 */
export function escapeBackslashes(src: string): string {
  if (!src.includes('\\') || !src.includes('{{')) return src;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const start = src.indexOf('{{', i);
    if (start < 0) return out + src.slice(i);
    out += src.slice(i, start + 2);
    i = start + 2;
    while (i < src.length && !src.startsWith('}}', i)) {
      const c = src[i];
      if (c === "'" || c === '"') {
        const m = (c === "'" ? /^'(?:[^'\\]|\\[\s\S])*'/ : /^"(?:[^"\\]|\\[\s\S])*"/).exec(src.slice(i));
        if (!m) return out + src.slice(i);
        out += m[0].replace(/\\/g, '\\\\');
        i += m[0].length;
      } else {
        out += c;
        i++;
      }
    }
  }
  return out;
}
