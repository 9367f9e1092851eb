// The record of handlers left pending (src/run/pending.ts): one file per playbook under the state
// directory, written atomically (mode 0600), duplicates folded, removed when nothing is left; an
// unreadable file is a warning naming it, never a crash; records replay only for their play
// (index and name) and for the hosts being run, and the others are kept.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Handler, Play } from '../../src/types.js';
import { PendingHandlers, loadPending, pendingFile, stateDir } from '../../src/run/pending.js';

const handler = (name: string, role?: string): Handler => ({ name, listen: [], action: 'debug', role: role ? { name: role } : undefined }) as unknown as Handler;
const play = (name: string, handlers: Handler[] = []): Play => ({ name, handlers }) as unknown as Play;

/** What a play replays for these hosts: its records, consumed (src/run/replay.ts does the same per task). */
function take(p: PendingHandlers, play: Play, hosts: string[]) {
  const mine = p.forPlay(play, hosts);
  for (const r of mine) p.consume(r);
  return mine;
}

describe('pending handlers record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsplay-pending-'));
  const env = { LVSPLAY_STATE_DIR: dir };

  it('lives under the state directory, one file per playbook path', () => {
    assert.equal(stateDir(env), dir);
    assert.equal(stateDir({ XDG_STATE_HOME: '/x' }), '/x/lvsplay');
    assert.notEqual(pendingFile('/a/site.yml', env), pendingFile('/b/site.yml', env));
    assert.ok(pendingFile('/a/site.yml', env).startsWith(join(dir, 'pending-handlers')));
  });

  it('keeps what a run leaves, replays it for its play and hosts only, and removes the file when empty', () => {
    const file = pendingFile('/p/site.yml', env);
    const plays = [play('one'), play('two', [handler('restart', 'web'), handler('reload')])];
    const first = new PendingHandlers(file, '/p/site.yml', plays, assert.fail);
    first.leave(plays[1], handler('restart', 'web'), 'h1', 'interrupted');
    first.leave(plays[1], handler('restart', 'web'), 'h1', 'interrupted');
    first.leave(plays[1], handler('reload'), 'h2', 'unreachable');
    first.save();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(loadPending(file, assert.fail).map((r) => `${r.handler}@${r.host}`), ['web : restart@h1', 'reload@h2']);

    const second = new PendingHandlers(file, '/p/site.yml', plays, assert.fail);
    assert.deepEqual(take(second, plays[0], ['h1', 'h2']), []);
    assert.deepEqual(take(second, play('renamed', plays[1].handlers), ['h1', 'h2']), []);
    assert.deepEqual(take(second, plays[1], ['h1']).map((r) => r.handler), ['web : restart']);
    assert.deepEqual(second.notReplayed().map((x) => `${x.record.host}: ${x.why}`), ['h2: the host was not in this run']);
    second.save(); // h2 was not in the run: kept
    assert.deepEqual(loadPending(file, assert.fail).map((r) => r.host), ['h2']);

    const third = new PendingHandlers(file, '/p/site.yml', plays, assert.fail);
    assert.equal(take(third, plays[1], ['h2']).length, 1);
    third.save();
    assert.equal(existsSync(file), false);
  });

  it('a record belongs to the play with its name that defines its handler (moved: found; gone: kept and said)', () => {
    const file = pendingFile('/m/site.yml', env);
    const old = [play('web', [handler('reload')]), play('db', [handler('restart')])];
    const first = new PendingHandlers(file, '/m/site.yml', old, assert.fail);
    first.leave(old[1], handler('restart'), 'h1', 'interrupted');
    first.leave(old[0], handler('reload'), 'h1', 'unreachable');
    first.save();
    // a play inserted before 'db'; 'web' no longer defines 'reload'
    const now = [play('web'), play('new', [handler('restart')]), play('db', [handler('restart')])];
    const second = new PendingHandlers(file, '/m/site.yml', now, assert.fail);
    assert.deepEqual(second.forPlay(now[1], ['h1']), []);
    assert.deepEqual(second.forPlay(now[2], ['h1']).map((r) => r.handler), ['restart']);
    assert.deepEqual(second.notReplayed().map((x) => `${x.record.handler}: ${x.why}`), ['restart: the host was not in this run', 'reload: no play of this playbook defines it now']);
  });

  it('a check run (dry run) reads records but never leaves or writes any', () => {
    const file = pendingFile('/c/site.yml', env);
    const plays = [play('one')];
    const dry = new PendingHandlers(file, '/c/site.yml', plays, assert.fail, true);
    dry.leave(plays[0], handler('reload'), 'h1', 'interrupted');
    assert.equal(dry.leftover.length, 0);
    dry.save();
    assert.equal(existsSync(file), false);
  });

  it('an unreadable record is a warning naming the file', () => {
    const file = pendingFile('/q/site.yml', env);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{ not json');
    const warnings: string[] = [];
    assert.deepEqual(loadPending(file, (w) => warnings.push(w)), []);
    assert.match(warnings[0], new RegExp(`${file}: the pending handlers recorded by an earlier run cannot be read`));
  });
});
