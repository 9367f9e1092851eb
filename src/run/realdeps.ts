// The real implementations of RunDeps, imported lazily (start-up stays fast; a part that is missing
// gives a clear error instead of a crash at import time).
import type { BecomeSpec, Connection, Inventory, Vars } from '../types.js';
import type { RunDeps } from './deps.js';

async function importPart<T>(spec: string, what: string): Promise<T> {
  try {
    return (await import(spec)) as T;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(spec.replace(/^\.\.?\//, '').replace(/\.js$/, ''))) {
      throw new Error(`lvsplay was built without ${what} (${spec} is missing)`);
    }
    throw e;
  }
}

type GatherFacts = (conn: Connection, become?: BecomeSpec) => Promise<Vars>;

export async function realDeps(): Promise<RunDeps> {
  const [playbook, templarMod, conn, registry] = await Promise.all([
    import('../playbook/index.js'),
    import('../vars/templar.js'),
    import('../connection/index.js'),
    import('../../tasks/index.js'),
  ]);
  const factsSpec = '../facts/index.js';
  let gather: GatherFacts | undefined;
  const templar = new templarMod.Templar();
  return {
    templar,
    findModule: (n) => registry.findModule(n) ?? playbook.lookupModule(n),
    validateModuleArgs: (action, args, pos) => playbook.validateModuleArgs(action, args, pos),
    loadTaskFile: (file, o) => playbook.loadTaskFile(file, o),
    resolveRole: (name, fromDir, params, rolesPath, files) => playbook.resolveRole(name, fromDir, params, rolesPath, files),
    loadVarsFile: (file, pos) => playbook.loadVarsFile(file, pos),
    createConnection: (host, vars, o) => conn.createConnection(host, vars, o),
    async gatherFacts(c, become) {
      if (!gather) gather = (await importPart<{ gatherFacts: GatherFacts }>(factsSpec, 'fact gathering')).gatherFacts;
      return gather(c, become);
    },
  };
}

export interface InventoryModule {
  loadInventory(sources: string[], opts: { playbookDir?: string }): Inventory | Promise<Inventory>;
}

export async function loadInventoryPart(): Promise<InventoryModule> {
  return importPart<InventoryModule>('../inventory/index.js', 'the inventory loader');
}
