// docs/api.md is generated from the public declarations (scripts/api-doc.ts) and kept in sync.
import assert from 'node:assert/strict';
import { apiMarkdown, currentApiDoc } from '../../scripts/api-doc.js';

describe('doc: docs/api.md', function () {
  this.timeout(60_000);
  it('matches the declarations of src/index.ts (refresh: npm run build && node dist/scripts/api-doc.js > docs/api.md)', () => {
    assert.equal(currentApiDoc(), apiMarkdown());
  });

  it('documents every export with its declaration', () => {
    const doc = currentApiDoc();
    for (const name of ['defineModule', 'run', 'sh', 'planFile', 'RunEvent', 'ModuleContext']) assert.match(doc, new RegExp(`### ${name}\\n`));
    assert.match(doc, /function defineModule\(def: ModuleDefinition\): TaskModule;/);
    assert.match(doc, /function run\(o: PlaybookRunOptions\): Promise<RunResult>;/);
    assert.match(doc, /semantic versioning/);
  });
});
