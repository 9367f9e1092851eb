// Ansible's internal result keys (`_ansible_verbose_always`, `_ansible_item_label`, ...) steer the
// output only: a registered result is kept without them, at every depth, as Ansible's
// strip_internal_keys does.

/** The value without `_ansible_*` keys; the same object when it has none (no copy). */
export function withoutInternalKeys<T>(v: T): T {
  if (Array.isArray(v)) {
    const out = v.map(withoutInternalKeys);
    return (out.some((x, i) => x !== v[i]) ? out : v) as T;
  }
  if (!v || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k.startsWith('_ansible_')) {
      changed = true;
      continue;
    }
    const y = withoutInternalKeys(x);
    if (y !== x) changed = true;
    out[k] = y;
  }
  return (changed ? out : v) as T;
}
