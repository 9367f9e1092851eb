// Ansible host patterns: all, *, group, host, a:b, a,b, a:&b, a:!b, globs, ~regex, subscripts g[0], g[1:3], g[-1].
import type { InventoryData } from './model.js';

/** Split a pattern into terms as Ansible's split_host_pattern (commas first, else colons outside brackets). */
export function splitPattern(pattern: string): string[] {
  const p = pattern.trim();
  const terms = p.includes(',') ? p.split(',') : (p.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []);
  return terms.map((t) => t.trim()).filter(Boolean);
}

function isGlob(s: string): boolean {
  return /[*?[\]]/.test(s);
}

/** A shell glob (fnmatch: * ? [..] [!..]) as an anchored regular expression. */
export function globToRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, j);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = j;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** `g[0]`, `g[-1]`, `g[1:3]` (inclusive end, as Ansible), `g[:2]`, `g[1:]`. */
function splitSubscript(term: string): [string, [number, number | null] | null] {
  if (term.startsWith('~')) return [term, null];
  const m = /^(.+)\[(?:(-?\d+)|(-?\d*):(-?\d*))\]$/.exec(term);
  if (!m) return [term, null];
  if (m[2] !== undefined) return [m[1], [Number(m[2]), null]];
  return [m[1], [m[3] ? Number(m[3]) : 0, m[4] ? Number(m[4]) : -1]];
}

function applySubscript(hosts: string[], sub: [number, number | null] | null): string[] {
  if (!sub) return hosts;
  const [start, end] = sub;
  const s = start < 0 ? hosts.length + start : start;
  if (end === null) return s >= 0 && s < hosts.length ? [hosts[s]] : [];
  const e = end < 0 ? hosts.length + end : end;
  return hosts.slice(s, e + 1);
}

/** Hosts matched by one term (no &/! prefix), in inventory order. */
export function matchTerm(inv: InventoryData, term: string): string[] {
  const [expr, sub] = splitSubscript(term);
  let out: string[];
  if (expr === 'all' || expr === '*') out = inv.groupHosts('all');
  else if (expr.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(expr.slice(1));
    } catch {
      return [];
    }
    out = enumerate(inv, (n) => re.test(n));
  } else if (inv.groups.has(expr)) out = inv.groupHosts(expr);
  else if (inv.hosts.has(expr) && !inv.hosts.get(expr)!.implicit) out = [expr];
  else if (isGlob(expr)) {
    const re = globToRegex(expr);
    out = enumerate(inv, (n) => re.test(n));
  } else if (inv.implicitHost(expr)) out = [expr];
  else out = [];
  return applySubscript(out, sub);
}

function enumerate(inv: InventoryData, match: (n: string) => boolean): string[] {
  const out = new Set<string>();
  for (const g of inv.groups.keys()) if (match(g)) for (const h of inv.groupHosts(g)) out.add(h);
  for (const h of inv.hosts.values()) if (!h.implicit && match(h.name)) out.add(h.name);
  return [...out];
}

export function selectHosts(inv: InventoryData, pattern: string): string[] {
  const terms = splitPattern(pattern);
  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const ands = terms.filter((t) => t.startsWith('&'));
  const nots = terms.filter((t) => t.startsWith('!'));
  const union = new Set<string>();
  for (const t of plain.length ? plain : ands.length || nots.length ? ['all'] : []) {
    for (const h of matchTerm(inv, t)) union.add(h);
  }
  let hosts = [...union];
  for (const t of ands) {
    const that = new Set(matchTerm(inv, t.slice(1)));
    hosts = hosts.filter((h) => that.has(h));
  }
  for (const t of nots) {
    const that = new Set(matchTerm(inv, t.slice(1)));
    hosts = hosts.filter((h) => !that.has(h));
  }
  return hosts;
}

export function unknownTerms(inv: InventoryData, pattern: string): string[] {
  return splitPattern(pattern).filter((t) => {
    const bare = t.replace(/^[&!]/, '');
    return matchTerm(inv, bare).length === 0 && !inv.groups.has(splitSubscript(bare)[0]);
  });
}

/** Why a host pattern cannot mean anything (unbalanced brackets, a ~regex that does not compile), or undefined. */
export function patternError(pattern: string): string | undefined {
  let depth = 0;
  for (const c of pattern) {
    if (c === '[') depth++;
    else if (c === ']' && --depth < 0) break;
  }
  if (depth !== 0) return `unbalanced [ ] in host pattern '${pattern}'`;
  for (const t of splitPattern(pattern)) {
    const bare = t.replace(/^[&!]/, '');
    if (!bare.startsWith('~')) continue;
    try {
      new RegExp(bare.slice(1));
    } catch (e) {
      return `host pattern '${bare}' is not a valid regular expression: ${(e as Error).message}`;
    }
  }
  return undefined;
}
