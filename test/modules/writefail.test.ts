import assert from 'node:assert/strict';
import { writeAfter } from '../../tasks/lib/files.js';
import { TaskError } from '../../src/errors.js';

describe('modules: a failed atomic write reports changed=false', () => {
  it('validation failure: TaskError with changed false and the validator output', () => {
    let err: unknown;
    try {
      writeAfter({ rc: 1, stdout: '', stderr: 'validation failed: bad keyword' });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof TaskError);
    assert.equal(err.result.changed, false);
    assert.equal(err.result.rc, 1);
    assert.match(err.message, /bad keyword/);
  });
  it('success still returns the fields (no throw)', () => {
    assert.doesNotThrow(() => writeAfter({ rc: 0, stdout: '', stderr: '' }));
  });
});
