// The real implementations of RunDeps, imported lazily (start-up stays fast). Every specifier is a
// literal, so the bundler (scripts/bundle.mjs) sees and bundles each part.
import type { BecomeSpec, Connection, Inventory, Vars } from '../types.js';
import type { RunDeps } from './deps.js';
import type { GatherOptions } from '../facts/index.js';

type GatherFacts = (conn: Connection, become?: BecomeSpec, o?: GatherOptions) => Promise<Vars>;

export async function realDeps(): Promise<RunDeps> {
  const [playbook, templarMod, conn] = await Promise.all([
    import('../playbook/index.js'),
    import('../vars/templar.js'),
    import('../connection/index.js'),
  ]);
  let gather: GatherFacts | undefined;
  const templar = new templarMod.Templar();
  return {
    templar,
    findModule: (n) => playbook.lookupModule(n),
    validateModuleArgs: (action, args, pos) => playbook.validateModuleArgs(action, args, pos),
    loadTaskFile: (file, o) => playbook.loadTaskFile(file, o),
    resolveRole: (name, fromDir, params, rolesPath, files) => playbook.resolveRole(name, fromDir, params, rolesPath, files),
    loadVarsFile: (file, pos) => playbook.loadVarsFile(file, pos),
    createConnection: (host, vars, o) => conn.createConnection(host, vars, o),
    async gatherFacts(c, become, o) {
      if (!gather) gather = (await import('../facts/index.js')).gatherFacts as GatherFacts;
      return gather(c, become, o);
    },
  };
}

export interface InventoryModule {
  loadInventory(sources: string[], opts: { playbookDir?: string }): Inventory | Promise<Inventory>;
}

export async function loadInventoryPart(): Promise<InventoryModule> {
  return (await import('../inventory/index.js')) as InventoryModule;
}
