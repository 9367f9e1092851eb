import assert from 'node:assert/strict';
import { editSysctlFile } from '../../tasks/sysctl.js';

describe('sysctl module', () => {
  // its fixtures run in the one driver: test/modules/fixtures.test.ts
  describe('editSysctlFile', () => {
    it('keeps an equal value written with other spacing (no noise)', () => {
      const f = '# c\nnet.ipv4.ip_forward = 1\n';
      assert.equal(editSysctlFile(f, 'net.ipv4.ip_forward', '1'), f);
    });
    it('replaces the first occurrence and drops later duplicates, keeps comments', () => {
      const f = '#net.a=1\nnet.a = 2\nx=1\nnet.a=3\n';
      assert.equal(editSysctlFile(f, 'net.a', '5'), '#net.a=1\nnet.a=5\nx=1\n');
    });
    it('appends a missing key and removes it again', () => {
      const f = 'x=1';
      const g = editSysctlFile(f, 'net.a', '1');
      assert.equal(g, 'x=1\nnet.a=1\n');
      assert.equal(editSysctlFile(g, 'net.a', undefined), 'x=1\n');
    });
  });
});
