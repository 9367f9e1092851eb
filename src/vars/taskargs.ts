// Patterns of template strings in task arguments and variables, as ansible-core 2.14 reads them with
// jinja2_native off (the Jinja2 engine, src/jinja/j2env.py, does the reading itself).

// Text made only of Python literal tokens (no names but True/False/None, no calls): safe to evaluate as an expression.
export const PY_LITERAL_RE =
  /^(?:\s+|[[\](){},:]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|True|False|None)*$/;

/** `{{ name }}` and nothing else: a variable holding a number, boolean or None keeps it. */
export const BARE_VAR_RE = /^\{\{\s*(\w*)\s*\}\}$/;
