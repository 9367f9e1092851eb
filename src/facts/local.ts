// ansible_local (so named inside ansible_facts too, as in Ansible): the facts.d files (fact_path) the probe printed — JSON first, then INI; an
// executable file's output, or Ansible's message when it failed (pure).
import { parse as parseIni } from 'ini';
import type { Vars } from '../types.js';
import { LOCAL_TAG } from './script.js';

/** INI as Python's configparser reads it: sections of string values, keys lower-cased; a key outside a section is an error. */
function iniSections(text: string): Vars | undefined {
  const firstKey = text.split('\n').find((l) => l.trim() && !/^\s*[#;]/.test(l));
  if (firstKey && !/^\s*\[/.test(firstKey)) return undefined;
  let parsed: Vars;
  try {
    parsed = parseIni(text);
  } catch {
    return undefined;
  }
  const out: Vars = {};
  for (const [sect, body] of Object.entries(parsed)) {
    if (!body || typeof body !== 'object') return undefined;
    const s: Vars = {};
    for (const [k, v] of Object.entries(body as Vars)) s[k.toLowerCase()] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    out[sect] = s;
  }
  return out;
}

export function localFacts(text: string, factPath = '/etc/ansible/facts.d'): Vars {
  const local: Vars = {};
  const parts = text.split(`\n${LOCAL_TAG}`);
  parts[0] = parts[0].startsWith(LOCAL_TAG) ? parts[0].slice(LOCAL_TAG.length) : '';
  for (const part of parts) {
    const eol = part.indexOf('\n');
    if (!part || eol < 0) continue;
    const head = part.slice(0, eol);
    let body = part.slice(eol + 1);
    const file = head.slice(0, head.lastIndexOf(':'));
    const name = file.split('.fact').join('');
    const fn = `${factPath}/${file}`;
    if (head.endsWith(':s')) {
      // a dangling symlink: Python's os.stat fails
      local[name] = `Could not stat fact (${fn}): [Errno 2] No such file or directory: '${fn}'`;
      continue;
    }
    if (head.endsWith(':x')) {
      const m = /\n?@@lvsplay-rc:(\d+)\s*$/.exec(body);
      const rc = m ? Number(m[1]) : 0;
      body = m ? body.slice(0, m.index) : body;
      if (rc !== 0) {
        local[name] = `Failure executing fact script (${fn}), rc: ${rc}, err: `;
        continue;
      }
    }
    try {
      local[name] = JSON.parse(body);
    } catch {
      local[name] = iniSections(body) ?? `error loading facts as JSON or ini - please check content: ${fn}`;
    }
  }
  return { ansible_local: local }; // Ansible keeps this one prefixed inside ansible_facts too
}
