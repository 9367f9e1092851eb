import { strict as assert } from 'node:assert';
import { run } from './helpers.js';

describe('executor smoke', () => {
  it('runs command and debug on localhost', async () => {
    const r = await run(`
- name: smoke
  hosts: all
  gather_facts: false
  tasks:
    - name: say
      command: echo hello
      register: out
    - debug:
        msg: "got {{ out.stdout }}"
`);
    process.stdout.write(r.text);
    assert.equal(r.rc, 0);
  });
});
