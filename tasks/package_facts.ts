// package_facts: ansible_facts.packages ({name: [{name, version, arch, ...source}]}) as Ansible 2.14's
// package_facts returns it, for apt (dpkg-query + apt-cache policy give what python3-apt gives
// Ansible: category and origin too) and rpm. One probe. Unlike Ansible, apt needs no python3-apt.
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { mark, sections } from '../src/probe.js';
import { list, str } from './lib/args.js';
import { APT_PROBE, parseApt, parseRpm, RPM_PROBE, type Pkg } from './lib/pkgscan.js';

const MANAGERS = ['rpm', 'apt', 'pacman', 'pkg', 'portage', 'apk', 'pkg_info'];
const SUPPORTED = ['rpm', 'apt'];

const schema = {
  type: 'object',
  description:
    "Gather the installed packages into ansible_facts.packages as Ansible's package_facts: apt entries carry name, version, arch, category, origin, source; rpm entries name, version, release, epoch, arch, source. Managers pacman, pkg, portage, apk and pkg_info are not supported by lvsplay (the task fails saying so).",
  properties: {
    manager: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      description: "Package managers to ask, in order (auto: every known one, first usable wins with strategy first). Default: ['auto'].",
    },
    strategy: { enum: ['first', 'all'], default: 'first', description: 'first: stop at the first manager that answers; all: merge every usable one.' },
  },
  additionalProperties: false,
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const asked = (ctx.args.manager === undefined ? ['auto'] : list(ctx.args.manager)).map((m) => m.toLowerCase());
  const strategy = str(ctx.args, 'strategy') ?? 'first';
  let managers = [...asked];
  if (managers.includes('auto')) managers = [...managers.filter((m) => m !== 'auto'), ...MANAGERS];
  const unknown = [...new Set(managers.filter((m) => !MANAGERS.includes(m)))];
  if (unknown.length) return { steps: [], failed: asked.includes('auto') ? 'Could not auto detect a usable package manager, check warnings for details.' : `Unsupported package managers requested: ${unknown.join(', ')}` };
  const explicit = managers.filter((m) => asked.includes(m) && !SUPPORTED.includes(m));
  if (explicit.length) return { steps: [], failed: `package_facts: manager ${explicit.join(', ')} is not supported by lvsplay (supported: apt, rpm)` };
  const order = [...new Set(managers)].filter((m) => SUPPORTED.includes(m));
  const probe = [
    mark('have'),
    'command -v dpkg-query >/dev/null 2>&1 && echo apt; command -v rpm >/dev/null 2>&1 && ! command -v dpkg-query >/dev/null 2>&1 && echo rpm',
    ...(order.includes('apt') ? ['if command -v dpkg-query >/dev/null 2>&1; then', APT_PROBE, 'fi'] : []),
    ...(order.includes('rpm') ? ['if command -v rpm >/dev/null 2>&1; then', RPM_PROBE, 'fi'] : []),
  ].join('\n');
  const s = sections((await ctx.probe(probe)).stdout);
  const have = new Set((s.get('have') ?? '').split('\n').filter(Boolean));
  if (asked.includes('rpm') && s.has('rpm')) have.add('rpm'); // asked for by name: rpm -qa even beside dpkg
  const packages: Record<string, Pkg[]> = {};
  let found = 0;
  for (const m of order) {
    if (found && strategy === 'first') break;
    if (!have.has(m)) continue;
    found++;
    Object.assign(packages, m === 'apt' ? parseApt(s) : parseRpm(s.get('rpm') ?? ''));
  }
  if (!found) {
    const names = `[${managers.map((m) => `'${m}'`).join(', ')}]`;
    return { steps: [], failed: `Could not detect a supported package manager from the following list: ${names}, or the required Python library is not installed. Check warnings for details.` };
  }
  return { steps: [], result: { ansible_facts: { packages } } };
}

export const packageFacts: TaskModule = {
  name: 'package_facts',
  aliases: ['ansible.builtin.package_facts', 'ansible.legacy.package_facts'],
  schema,
  plansAhead: true,
  plan,
};
