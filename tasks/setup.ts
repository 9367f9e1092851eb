// setup: gather the host's facts in one probe exec (src/facts) and return them as `ansible_facts`
// with Ansible's `ansible_` names; the executor sets them on the host (factsTo: 'facts').
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { collectFacts } from '../src/facts/index.js';
import { filterFacts } from '../src/facts/subset.js';
import { pythonOf } from '../src/facts/script.js';
import { list, str, stringOrList } from './lib/args.js';

const schema = {
  type: 'object',
  description:
    "Gather facts about the host (one exec, a POSIX sh probe: no python needed) and set them on the host, as Ansible's setup. Returns `ansible_facts` with `ansible_`-prefixed names plus `gather_subset` and `module_setup`. Collected: distribution, platform, user, env, date_time, lsb, pkg_mgr, service_mgr, python (when a python is on the host), local (facts.d), hardware (processors, memory, mounts, uptime), network (interfaces, IPv4), virtual (best effort).",
  properties: {
    gather_subset: stringOrList("Subsets to gather: all, min, hardware, network, virtual, local, distribution, platform, user, env, date_time, lsb, pkg_mgr, service_mgr, python, ...; `!name` excludes one, `!all` keeps only min. Default: all."),
    filter: stringOrList('Only return facts whose name matches one of these shell-style patterns (with or without the ansible_ prefix). Default: all facts.'),
    fact_path: { type: 'string', description: 'Directory of local facts (*.fact: JSON or INI, executables are run), returned as ansible_local. Default: /etc/ansible/facts.d.' },
    gather_timeout: { type: 'integer', description: 'Seconds the probe may take. Default: 10.' },
  },
  additionalProperties: false,
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const subset = ctx.args.gather_subset === undefined ? ['all'] : list(ctx.args.gather_subset);
  const facts = await collectFacts((script) => ctx.probe(script), ctx.host, {
    subset,
    factPath: str(ctx.args, 'fact_path'),
    python: pythonOf(ctx.vars),
    timeout: Number(ctx.args.gather_timeout ?? 10),
  });
  const kept = filterFacts(facts, ctx.args.filter === undefined ? [] : list(ctx.args.filter));
  const out: Vars = {};
  for (const [k, v] of Object.entries(kept)) {
    if (k.startsWith('lvsplay_')) continue; // lvsplay's own facts stay on the host, not in Ansible's result
    out[k === 'gather_subset' || k === 'module_setup' || k.startsWith('ansible_') ? k : `ansible_${k}`] = v;
  }
  // a facts.d file that could not be read is a warning, as in Ansible
  const local = (kept.ansible_local ?? {}) as Vars;
  const warnings = Object.values(local).filter((v): v is string => typeof v === 'string' && /^(error loading|Failure executing|Could not stat)/.test(v));
  return { steps: [], changed: false, result: { ansible_facts: out, ...(warnings.length ? { warnings } : {}) } };
}

export const setup: TaskModule = {
  name: 'setup',
  aliases: ['ansible.builtin.setup', 'ansible.legacy.setup'],
  factsTo: 'facts',
  freeForm: 'kv',
  schema,
  plan,
};
