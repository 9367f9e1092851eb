// Tag selection, as Ansible's Taggable.evaluate_tags: -t/--tags, --skip-tags, `always`, `never`,
// `tagged`, `untagged`, `all`.

export function shouldRun(taskTags: Iterable<string>, only: string[], skip: string[]): boolean {
  const own = new Set(taskTags);
  const tags = own.size ? own : new Set(['untagged']);
  const onlyTags = only.length ? only : ['all'];
  const isUntagged = !own.size;
  const disjoint = (xs: string[]) => !xs.some((x) => tags.has(x));
  let run = true;
  if (onlyTags.length) {
    run = false;
    if (tags.has('always')) run = true;
    else if (onlyTags.includes('all') && !tags.has('never')) run = true;
    else if (!disjoint(onlyTags)) run = true;
    else if (onlyTags.includes('tagged') && !isUntagged && !tags.has('never')) run = true;
  }
  if (run && skip.length) {
    if (skip.includes('all')) {
      if (!tags.has('always') || skip.includes('always')) run = false;
    } else if (!disjoint(skip)) run = false;
    else if (skip.includes('tagged') && !isUntagged) run = false;
  }
  return run;
}
