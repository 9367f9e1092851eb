// The one driver of the module fixtures: every folder of test/fixtures/modules/ is named after a
// module (looked up in the registry) and each of its JSON files is a test (args + facts + probe
// output -> plan). Every shipped module has a folder.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lookupModule } from '../../src/playbook/index.js';
import { SHIPPED_MODULES } from '../../tasks/index.js';
import { FIXTURES, fixtureTests } from '../helpers/modfixtures.js';

describe('module fixtures', () => {
  const dirs = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const dir of dirs) {
    const mod = lookupModule(dir);
    describe(dir, () => {
      if (!mod) it('the folder names a module', () => assert.fail(`test/fixtures/modules/${dir}: no module named '${dir}'`));
      else fixtureTests(mod, dir);
    });
  }

  it('every shipped module has a fixture folder with at least one fixture', () => {
    const missing = SHIPPED_MODULES.filter((m) => !existsSync(join(FIXTURES, m.name)) || !readdirSync(join(FIXTURES, m.name)).some((f) => f.endsWith('.json')));
    assert.deepEqual(missing.map((m) => m.name), []);
  });
});
