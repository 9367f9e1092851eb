// add_host: add a host (or update a known one) to the run's in-memory inventory, with groups and
// variables, for the plays that follow. Runs once per loop item on the play's first host (Ansible's
// BYPASS_HOST_LOOP); `changed` says whether the inventory changed.
import type { Inventory, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';

// The arguments that are not host variables (Ansible's add_host passes `host` and `group` on as variables).
const SPECIAL = new Set(['name', 'hostname', 'groupname', 'groups']);

/** `host:port`, `[v6]:port` -> name and port; anything else is the name as written. */
export function splitAddress(s: string): { name: string; port?: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([^:\s[\]]+):(\d+)$/.exec(s);
  if (!m) return { name: s };
  return m[2] === undefined ? { name: m[1] } : { name: m[1], port: Number(m[2]) };
}

function groupList(g: unknown): string[] {
  const list = Array.isArray(g) ? g.map(String) : typeof g === 'string' && g ? g.split(',') : [];
  const out: string[] = [];
  for (const x of list) if (!out.includes(x)) out.push(x.trim());
  return out;
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const args: Vars = { ...ctx.args };
  const given = args.name ?? args.hostname ?? args.host;
  if (given === undefined || given === null) return { steps: [], failed: 'name, host or hostname needs to be provided' };
  const { name, port } = splitAddress(String(given));
  if (port) args.ansible_ssh_port = port;
  const groups = args.groupname ?? args.groups ?? args.group ?? '';
  if (groups && typeof groups !== 'string' && !Array.isArray(groups)) return { steps: [], failed: 'Groups must be specified as a list.' };
  const hostVars: Vars = {};
  for (const [k, v] of Object.entries(args)) if (!SPECIAL.has(k)) hostVars[k] = v;
  return { steps: [], changed: false, result: { add_host: { host_name: name, groups: groupList(groups), host_vars: hostVars } } };
}

function editsInventory(inv: Inventory, _host: string, result: Vars): boolean {
  if (!inv.addDynamicHost) throw new Error('add_host: this inventory cannot be changed during the run');
  return inv.addDynamicHost(result.add_host as { host_name: string; groups: string[]; host_vars: Vars });
}

export const addHost: TaskModule = {
  name: 'add_host',
  aliases: ['ansible.builtin.add_host', 'ansible.legacy.add_host'],
  freeForm: 'kv',
  controllerOnly: true,
  bypassHostLoop: true,
  schema: {
    type: 'object',
    description:
      'Add a host (or update a known one) in the in-memory inventory for the rest of the run, with groups and variables (every other argument). Runs once, on the first host of the play, per loop item.',
    properties: {
      name: { description: 'host name, `host:port` sets ansible_ssh_port (aliases: host, hostname; `host` is also kept as a variable, as Ansible does)' },
      hostname: { description: 'alias of name' },
      host: { description: 'alias of name (also becomes a host variable `host`, as in Ansible)' },
      groups: { type: ['string', 'array'], items: { type: 'string' }, description: 'groups to add the host to (a list or comma-separated; aliases: group, groupname)' },
      groupname: { type: ['string', 'array'], items: { type: 'string' }, description: 'alias of groups' },
      group: { type: ['string', 'array'], items: { type: 'string' }, description: 'alias of groups (also kept as a host variable `group`, as in Ansible)' },
    },
    additionalProperties: true,
  },
  plan,
  editsInventory,
};
export default addHost;
