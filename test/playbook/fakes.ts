// Tiny fake modules for the loader tests (the real registry fills up as modules are written).
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerModule } from '../../src/playbook/index.js';
import type { TaskModule } from '../../src/types.js';

export const xSysctl: TaskModule = {
  name: 'x_sysctl',
  aliases: ['ansible.posix.x_sysctl'],
  freeForm: 'kv',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      state: { type: 'string', enum: ['present', 'absent'] },
      reload: { type: 'boolean' },
      sysctl_set: { type: 'boolean' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan() {
    return { steps: [] };
  },
};

export const xWait: TaskModule = {
  name: 'x_wait',
  aliases: ['lvsplay.test.x_wait'],
  schema: {
    type: 'object',
    properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, timeout: { type: 'integer' }, host: { type: 'string' } },
  },
  async plan() {
    return { steps: [] };
  },
};

let done = false;
export function registerFakes(): void {
  if (done) return;
  done = true;
  registerModule(xSysctl);
  registerModule(xWait);
}

/** test/fixtures/playbooks (from dist/test/playbook/). */
export const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/playbooks');
