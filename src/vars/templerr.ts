// Which templating errors are undefined-variable errors (Ansible's AnsibleUndefinedVariable): the
// Jinja2 engine (src/jinja/engine.ts) marks them; the executor asks (src/run/hosttask.ts).
const undefinedErrors = new WeakSet<Error>();
/** Whether a templating error is an undefined variable (Ansible's AnsibleUndefinedVariable). */
export function isUndefinedError(e: unknown): boolean {
  return e instanceof Error && undefinedErrors.has(e);
}

/** Marks an error as an undefined-variable error (the Jinja2 engine's). */
export function markUndefined<E extends Error>(e: E): E {
  undefinedErrors.add(e);
  return e;
}
