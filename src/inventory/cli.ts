// `lvsplay inventory`: like ansible-inventory (--list, --graph, --host) over lvsplay's inventory loader.
// `--vagrant` is delegated to ./vagrant.ts (owned by the VM engineer) which must export
// `vagrantMain(argv: string[]): Promise<number>`.
import { ConfigError, ConfigErrors, EXIT, UsageError } from '../errors.js';
import { inventoryGraph, inventoryList } from './list.js';
import { loadInventory } from './index.js';
import { stringify as stringifyYaml } from 'yaml';

const USAGE = `usage: lvsplay inventory [-i SOURCE]... [--playbook-dir DIR] (--list | --graph [GROUP] [--vars] | --host HOST) [-y]
       lvsplay inventory --vagrant ...   (import a Vagrant ssh-config)`;

export async function inventoryMain(argv: string[]): Promise<number> {
  try {
    if (argv.includes('--vagrant')) {
      const { vagrantMain } = await import('./vagrant.js');
      return await vagrantMain(argv.filter((a) => a !== '--vagrant'));
    }
    const sources: string[] = [];
    let mode: 'list' | 'graph' | 'host' | undefined;
    let graphGroup = 'all';
    let host = '';
    let playbookDir: string | undefined;
    let withVars = false;
    let yaml = false;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      const val = () => {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`${a} needs a value`);
        return v;
      };
      if (a === '-i' || a === '--inventory' || a === '--inventory-file') sources.push(val());
      else if (a.startsWith('--inventory=')) sources.push(a.slice(12));
      else if (a === '--list') mode = 'list';
      else if (a === '--graph') {
        mode = 'graph';
        if (argv[i + 1] && !argv[i + 1].startsWith('-')) graphGroup = argv[++i];
      } else if (a === '--host') {
        mode = 'host';
        host = val();
      } else if (a === '--playbook-dir') playbookDir = val();
      else if (a === '--vars') withVars = true;
      else if (a === '-y' || a === '--yaml') yaml = true;
      else if (a === '-h' || a === '--help') {
        process.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
      } else throw new UsageError(`unknown option '${a}'\n${USAGE}`);
    }
    if (!mode) throw new UsageError(`one of --list, --graph or --host is required\n${USAGE}`);
    if (!sources.length) {
      // as ansible-inventory: the inventory of ansible.cfg / $ANSIBLE_INVENTORY when set
      const { loadAnsibleConfig } = await import('../config/load.js');
      const fromCfg = loadAnsibleConfig().values.get('DEFAULT_HOST_LIST')?.value;
      sources.push(...(Array.isArray(fromCfg) && fromCfg.length ? fromCfg : [process.env.LVSPLAY_INVENTORY || 'inventory.ini']));
    }
    const inv = await loadInventory(sources, { playbookDir });
    let out: string;
    if (mode === 'graph') {
      if (!inv.groups.has(graphGroup)) throw new UsageError(`no such group: ${graphGroup}`);
      out = inventoryGraph(inv, graphGroup, withVars);
    } else {
      const data = mode === 'list' ? inventoryList(inv) : inv.hostVars(host);
      if (mode === 'host' && !inv.hosts.has(host)) throw new UsageError(`no such host: ${host}`);
      out = yaml ? stringifyYaml(data) : JSON.stringify(data, null, 4);
    }
    process.stdout.write(`${out}\n`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ERROR: ${e.message}\n`);
      return EXIT.badOptions;
    }
    if (e instanceof ConfigError || e instanceof ConfigErrors) {
      process.stderr.write(`ERROR: ${e.toString()}\n`);
      return EXIT.parser;
    }
    throw e;
  }
}
