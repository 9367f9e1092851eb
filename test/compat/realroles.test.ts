// Realistic roles (test/compat/roles: base, kalive, site — our own, in the style of popular public
// Galaxy roles) converged by ansible-playbook 2.14 and lvsplay with `connection: local` under the
// scratch directory: same files, recap counts, exit codes and registered results; the second run
// changes nothing under either tool. The roles sit next to the playbook (outside the snapshot).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { assertSame, differential, skipWithoutAnsible, type Differential } from './harness.js';

const ROLES = fileURLToPath(new URL('../../../test/compat/roles/', import.meta.url));
const PLAYBOOK = readFileSync(join(ROLES, 'converge.yml'), 'utf8');

/** Roles beside the playbook; a hand-written keepalived.conf as found on a host converged the first time. */
function setup(work: string): void {
  for (const r of ['base', 'kalive', 'site']) cpSync(join(ROLES, r), join(dirname(work), 'roles', r), { recursive: true });
  mkdirSync(join(work, 'etc/keepalived'), { recursive: true });
  writeFileSync(join(work, 'etc/keepalived/keepalived.conf'), '# written by hand\nglobal_defs {\n}\n', { mode: 0o644 });
}

const REPORT = { Report: ['msg'], 'Read the sysctl files': ['changed', 'failed'], Preconditions: ['changed', 'failed', 'msg'] };

function assertIdempotent(d: Differential): void {
  for (const tool of ['ansible', 'lvsplay'] as const) {
    const last = d[tool].runs.at(-1)!;
    assert.equal(last.counts.changed, 0, `${tool}: second run changed something\n${last.output.slice(-4000)}`);
    assert.equal(last.rc, 0, `${tool}: second run failed\n${last.output.slice(-4000)}`);
  }
}

describe('compat: realistic roles (differential against ansible-playbook)', function () {
  this.timeout(300_000);
  before(async function () {
    await skipWithoutAnsible(this);
  });

  it('converges base, kalive and site identically, then changes nothing', async () => {
    const d = await differential(PLAYBOOK, { setup });
    assertSame(d, REPORT);
    assertIdempotent(d);
    // the run did what the roles say (not only "both tools agree")
    const files = d.lvsplay.files;
    assert.equal(files['etc/nginx/sites-enabled/example.conf']?.target, '../sites-available/example.conf');
    assert.equal(files['etc/nginx/sites-enabled/legacy.conf'], undefined);
    assert.match(files['etc/keepalived/keepalived.conf.orig']?.content ?? '', /written by hand/);
    assert.match(files['etc/keepalived/keepalived.conf']?.content ?? '', /^\/\/\n\/\/ Ansible managed\n\/\/\n/);
  });

  it('with --tags config,sysctl runs only the tagged tasks (plus always) the same way', async () => {
    const d = await differential(PLAYBOOK, { setup, args: ['--tags', 'config,sysctl'] });
    assertSame(d, REPORT);
    assertIdempotent(d);
  });

  it('with --skip-tags site,users converges the rest the same way', async () => {
    const d = await differential(PLAYBOOK, { setup, args: ['--skip-tags', 'site,users'] });
    assertSame(d, REPORT);
    assertIdempotent(d);
  });
});
