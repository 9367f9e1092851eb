// Host ranges in inventories: node[01:04], db-[a:c].example.com, web[1:10:2].

const RANGE_RE = /^(.*?)\[([^\]:]*):([^\]:]*)(?::([^\]:]*))?\](.*)$/s;

export function hasRange(name: string): boolean {
  return RANGE_RE.test(name);
}

/** Expand every [beg:end(:step)] in a host name, as Ansible's expand_hostname_range. Throws Error on a bad range. */
export function expandHostRange(name: string): string[] {
  const m = RANGE_RE.exec(name);
  if (!m) return [name];
  const [, head, beg0, end, stepStr, tail] = m;
  const beg = beg0 === '' ? '0' : beg0;
  if (end === '') throw new Error(`host range must have an end value: [${beg0}:${end}]`);
  const step = stepStr === undefined || stepStr === '' ? 1 : Number(stepStr);
  if (!Number.isInteger(step) || step <= 0) throw new Error(`host range step must be a positive integer: ${stepStr}`);
  let seq: string[];
  if (/^\d+$/.test(beg) && /^\d+$/.test(end)) {
    const a = Number(beg);
    const b = Number(end);
    if (a > b) throw new Error(`host range must be begin <= end: [${beg}:${end}]`);
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && beg.length !== end.length) throw new Error(`host range with leading zeros must have begin and end of the same length: [${beg}:${end}]`);
    seq = [];
    for (let i = a; i <= b; i += step) seq.push(width ? String(i).padStart(width, '0') : String(i));
  } else if (/^[a-zA-Z]$/.test(beg) && /^[a-zA-Z]$/.test(end)) {
    const a = beg.charCodeAt(0);
    const b = end.charCodeAt(0);
    if (a > b) throw new Error(`host range must be begin <= end: [${beg}:${end}]`);
    seq = [];
    for (let i = a; i <= b; i += step) seq.push(String.fromCharCode(i));
  } else {
    throw new Error(`invalid host range [${beg0}:${end}${stepStr !== undefined ? `:${stepStr}` : ''}]: use numbers or single letters`);
  }
  return seq.flatMap((s) => expandHostRange(`${head}${s}${tail}`));
}
