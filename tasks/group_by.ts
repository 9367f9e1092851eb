// group_by: put the host into a group named by a (per-host templated) key, under parent groups,
// for the plays that follow.
import type { Inventory, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';

async function plan(ctx: ModuleContext): Promise<Plan> {
  const key = String(ctx.args.key);
  const p = ctx.args.parents ?? ['all'];
  const parents = (Array.isArray(p) ? p : [p]).map((x) => String(x).replace(/ /g, '-'));
  return { steps: [], changed: false, result: { add_group: key.replace(/ /g, '-'), parent_groups: parents } };
}

function editsInventory(inv: Inventory, host: string, result: Vars): boolean {
  if (!inv.addDynamicGroup) throw new Error('group_by: this inventory cannot be changed during the run');
  return inv.addDynamicGroup(host, String(result.add_group), result.parent_groups as string[]);
}

export const groupBy: TaskModule = {
  name: 'group_by',
  aliases: ['ansible.builtin.group_by', 'ansible.legacy.group_by'],
  freeForm: 'kv',
  controllerOnly: true,
  schema: {
    type: 'object',
    description: 'Add the host to a group named by `key` (templated per host; spaces become dashes) for the rest of the run.',
    properties: {
      key: { type: 'string', description: 'the name of the group' },
      parents: { type: ['string', 'array'], items: { type: 'string' }, description: 'parent groups of the group (default: all)' },
    },
    required: ['key'],
    additionalProperties: false,
  },
  plan,
  editsInventory,
};
export default groupBy;
