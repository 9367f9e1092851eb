// The machine's apt sources: the only mirror hosts the lab may reach (rootfs build and apt proxy).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface AptSource {
  uri: string; // e.g. http://deb.debian.org/debian
  suites: string[];
  components: string[];
}

const SOURCES_DIR = '/etc/apt/sources.list.d';
const SOURCES_LIST = '/etc/apt/sources.list';

/** Parse deb822 .sources files and one-line sources.list (only `deb` entries). */
export function readAptSources(dir = SOURCES_DIR, list = SOURCES_LIST): AptSource[] {
  const out: AptSource[] = [];
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      const path = join(dir, f);
      if (f.endsWith('.sources')) out.push(...parseDeb822(readFileSync(path, 'utf8')));
      else if (f.endsWith('.list')) out.push(...parseOneLine(readFileSync(path, 'utf8')));
    }
  }
  if (existsSync(list)) out.push(...parseOneLine(readFileSync(list, 'utf8')));
  return out;
}

function parseDeb822(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    let last = '';
    for (const line of para.split('\n')) {
      if (line.startsWith('#')) continue;
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) {
        last = m[1].toLowerCase();
        fields[last] = m[2];
      } else if (/^\s/.test(line) && last) fields[last] += ' ' + line.trim();
    }
    if (!fields.uris || !(fields.types ?? '').split(/\s+/).includes('deb')) continue;
    if ((fields.enabled ?? 'yes').toLowerCase() === 'no') continue;
    const suites = (fields.suites ?? '').split(/\s+/).filter(Boolean);
    const components = (fields.components ?? '').split(/\s+/).filter(Boolean);
    for (const uri of fields.uris.split(/\s+/).filter(Boolean)) out.push({ uri: uri.replace(/\/+$/, ''), suites, components });
  }
  return out;
}

function parseOneLine(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const words = line.split(/\s+/);
    if (words[0] !== 'deb') continue;
    let i = 1;
    if (words[1]?.startsWith('[')) {
      while (i < words.length && !words[i].endsWith(']')) i++;
      i++;
    }
    const [uri, suite, ...components] = words.slice(i);
    if (uri && suite) out.push({ uri: uri.replace(/\/+$/, ''), suites: [suite], components });
  }
  return out;
}

/** The main Debian mirror URI (the source carrying `bookworm`), for debootstrap. */
export function mainMirror(sources = readAptSources(), suite = 'bookworm'): string {
  const http = sources.filter((s) => s.uri.startsWith('http://') || s.uri.startsWith('https://'));
  const main = http.find((s) => s.suites.includes(suite)) ?? http[0];
  if (!main) throw new Error(`no http(s) Debian mirror found in ${SOURCES_DIR}/*.sources or ${SOURCES_LIST}`);
  return main.uri;
}

/** Host names (host:port when not default) of every http mirror in the apt sources: the proxy's allow-list. */
export function mirrorHosts(sources = readAptSources()): string[] {
  const hosts = new Set<string>();
  for (const s of sources) {
    try {
      const u = new URL(s.uri);
      if (u.protocol === 'http:') hosts.add(u.host.toLowerCase());
    } catch {
      /* ignore malformed lines */
    }
  }
  return [...hosts];
}
