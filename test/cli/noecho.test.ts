// Passwords typed at the prompts (-K, -k, --ask-vault-pass) never appear on the terminal: lvsplay
// runs in a real terminal (tmux), the test types the passwords and captures the pane.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encrypt } from '../../src/vault/envelope.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/lvsplay.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tmux(...args: string[]): string {
  return spawnSync('tmux', args, { encoding: 'utf8' }).stdout;
}

async function waitFor(session: string, re: RegExp, ms = 15000): Promise<string> {
  const end = Date.now() + ms;
  let pane = '';
  while (Date.now() < end) {
    pane = tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session);
    if (re.test(pane)) return pane;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${re} in the pane:\n${pane}`);
}

describe('password prompts on a terminal (tmux)', function () {
  this.timeout(60000);
  const session = `lvsplay-noecho-${process.pid}`;
  before(function () {
    if (!hasTmux) {
      console.log('    skipped: tmux is not installed');
      this.skip();
    }
  });
  afterEach(() => tmux('kill-session', '-t', session));

  it('-k, -K and --ask-vault-pass: nothing typed is echoed, the vault password decrypts, the run completes', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lvsplay-noecho-'));
    writeFileSync(join(d, 'v.yml'), encrypt('vaulted: opened-ok\n', 'vault-Typed-9'));
    writeFileSync(join(d, 'pb.yml'), '- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - copy: {content: "{{ vaulted }}", dest: "{{ playbook_dir }}/out"}\n');
    const cmd = `cd ${d} && NO_COLOR=1 ${process.execPath} ${CLI} -k -K --ask-vault-pass -i localhost, -c local pb.yml; echo EXIT=$?`;
    tmux('new-session', '-d', '-s', session, '-x', '150', '-y', '50', cmd + '; sleep 30');
    await waitFor(session, /Vault password: $/m);
    tmux('send-keys', '-t', session, '-l', 'vault-Typed-9');
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor(session, /SSH password: $/m);
    tmux('send-keys', '-t', session, '-l', 'ssh-Typed-1');
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor(session, /BECOME password\[defaults to SSH password\]: $/m);
    tmux('send-keys', '-t', session, '-l', 'become-Typed-2');
    tmux('send-keys', '-t', session, 'Enter');
    const pane = await waitFor(session, /EXIT=\d+/);
    assert.match(pane, /EXIT=0/, pane);
    assert.equal(readFileSync(join(d, 'out'), 'utf8'), 'opened-ok');
    for (const typed of ['vault-Typed-9', 'ssh-Typed-1', 'become-Typed-2', 'Typed']) assert.ok(!pane.includes(typed), `'${typed}' on the screen:\n${pane}`);
  });
});
