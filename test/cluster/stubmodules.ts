// Test helper: modules the roles use that the registry does not have yet get a permissive stub
// (the checker only reads their arguments). Real modules, once registered, take precedence.
import { lookupModule, registerModule } from '../../src/playbook/index.js';

const USED = ['sysctl', 'ip_address', 'package', 'template', 'service', 'lineinfile', 'copy', 'yum'];

export function stubMissingModules(): () => void {
  const undo: (() => void)[] = [];
  for (const name of USED) {
    if (lookupModule(name)) continue;
    undo.push(
      registerModule({
        name,
        aliases: [`ansible.builtin.${name}`],
        schema: { type: 'object' },
        freeForm: 'kv',
        plan: async () => ({ steps: [] }),
      }),
    );
  }
  return () => undo.forEach((u) => u());
}
