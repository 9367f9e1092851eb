// Python requirement strings as Ansible 2.14's pip module reads them (its Package class over
// pkg_resources.Requirement): name, extras, version specifiers (PEP 440, checked with
// @renovatebot/pep440), an `@ url` or `; marker` part; the canonical name (PEP 503) and whether an
// installed version satisfies the specifiers (pre-releases allowed, as Ansible asks).
import { satisfies, valid } from '@renovatebot/pep440';

/** The operators of a version specifier, longest first (Ansible's op_dict, plus ===). */
const OPS = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'];

/** Ansible's _is_package_name: a name, not a version specifier continuing the previous name. */
const isPackageName = (s: string): boolean => !OPS.some((op) => s.trimStart().startsWith(op));

/**
 * Ansible's _recover_package_name: the `name` list split at every comma, then the pieces that are
 * version specifiers (`<2`) or inside extras brackets joined back to the name before them.
 * ['django>1.11.1', '<1.11.3', 'ipaddress'] → ['django>1.11.1,<1.11.3', 'ipaddress'].
 */
export function recoverNames(names: string[]): string[] {
  const pieces = names.flatMap((n) => n.split(','));
  const out: string[] = [];
  let parts: string[] = [];
  let inBrackets = false;
  for (const p of pieces) {
    if (isPackageName(p) && !inBrackets) {
      if (parts.length) out.push(parts.join(','));
      parts = [];
    }
    if (p.includes('[')) inBrackets = true;
    if (inBrackets && p.includes(']')) inBrackets = false;
    parts.push(p);
  }
  out.push(parts.join(','));
  return out;
}

export interface Requirement {
  /** Parsed as a requirement (false: a path, URL or anything else pip is given as it is). */
  plain: boolean;
  /** The canonical name (PEP 503: lower case, runs of -_. as one -), or the text when not plain. */
  packageName: string;
  /** As Ansible passes it to pip: the normalised requirement, or the text when not plain. */
  text: string;
  specs: string[];
  extras: string[];
  url?: string;
  marker?: string;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;

/** Parse one requirement; `version` (the module's `version` argument) is appended as Ansible does. */
export function parseRequirement(nameString: string, version?: string): Requirement {
  let s = nameString;
  if (version) {
    const v = version.trimStart();
    s = `${s}${/^[0-9]/.test(v) ? '==' : ' '}${v}`;
  }
  const notPlain: Requirement = { plain: false, packageName: nameString, text: nameString, specs: [], extras: [] };
  const m = NAME.exec(s);
  if (!m) return notPlain;
  const name = m[1];
  let rest = s.slice(m[0].length);
  let extras: string[] = [];
  const ex = /^\[([^\]]*)\]\s*/.exec(rest);
  if (ex) {
    extras = ex[1].split(',').map((e) => e.trim()).filter((e) => e !== '');
    if (extras.some((e) => !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(e))) return notPlain;
    rest = rest.slice(ex[0].length);
  }
  let marker: string | undefined;
  let url: string | undefined;
  if (rest.startsWith('@')) {
    const body = rest.slice(1).trim();
    const semi = body.search(/\s;/);
    url = (semi === -1 ? body : body.slice(0, semi)).trim();
    if (semi !== -1) marker = body.slice(semi).trim().slice(1).trim();
    if (!url || /\s/.test(url) || !url.includes(':')) return notPlain;
    rest = '';
  } else {
    const semi = rest.indexOf(';');
    if (semi !== -1) {
      marker = rest.slice(semi + 1).trim();
      rest = rest.slice(0, semi);
      if (!marker) return notPlain;
    }
  }
  rest = rest.trim();
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  const specs: string[] = [];
  if (rest !== '') {
    for (const one of rest.split(',')) {
      const t = one.trim();
      const op = OPS.find((o) => t.startsWith(o));
      if (!op) return notPlain;
      const ver = t.slice(op.length).trim();
      if (!ver || /\s/.test(ver)) return notPlain;
      const wildcard = ver.endsWith('.*') && (op === '==' || op === '!=');
      if (op !== '===' && !valid(wildcard ? ver.slice(0, -2) : ver)) return notPlain;
      specs.push(`${op}${ver}`);
    }
  }
  const normExtras = extras.map((e) => e.toLowerCase().replace(/[^a-z0-9.-]+/g, '_')).sort();
  let text = name + (normExtras.length ? `[${normExtras.join(',')}]` : '') + [...specs].sort().join(',');
  if (url) text += `@ ${url}${marker ? ' ' : ''}`;
  if (marker) text += `; ${marker}`;
  return { plain: true, packageName: canonicalName(name), text, specs, extras: normExtras, url, marker };
}

/** PEP 503's canonical project name. */
export function canonicalName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** Whether an installed version satisfies the requirement's specifiers (pre-releases allowed). */
export function satisfiedBy(req: Requirement, installed: string): boolean {
  if (!req.plain) return false;
  if (req.specs.length === 0) return true;
  try {
    return satisfies(installed, req.specs.join(','), { prereleases: true });
  } catch {
    return false;
  }
}

/**
 * Ansible's _is_present: a `name==version` line of `pip list --format=freeze` (or pip freeze)
 * with the requirement's canonical name and a version its specifiers accept.
 */
export function isPresent(req: Requirement, freezeLines: string[]): boolean {
  for (const line of freezeLines) {
    if (!line.includes('==')) continue;
    const [n, v] = line.split('==');
    if (canonicalName(n) === req.packageName && satisfiedBy(req, v)) return true;
  }
  return false;
}
