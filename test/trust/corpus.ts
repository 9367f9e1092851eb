// The bad-input corpus (test/fixtures/corpus/*): each case a directory of broken files and an
// expect.json. Loading and checking one case's output is shared by the local and the lab test.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, REPO, escapeRe, type CliResult } from './helpers.js';
import { unwrapped } from '../helpers/warnings.js';

export interface Expect {
  desc: string;
  exit: number;
  /** FILE:LINE:COL (or FILE:LINE: / FILE: when the column / line may vary) the message must carry. */
  where: string;
  /** Regex (case-insensitive) the message line must match. */
  message: string;
  /** The case's own inventory (added after the base one). */
  inventory?: string;
  playbook?: string;
  args?: string[];
  /** Needs the lab (e.g. keepalived -t on the host). */
  lab?: boolean;
  /** Extra regexes the whole output must match (e.g. the template lines next to keepalived's message). */
  also?: string[];
}

export interface Case {
  name: string;
  dir: string;
  expect: Expect;
}

export function corpusCases(): Case[] {
  return readdirSync(CORPUS)
    .filter((n) => existsSync(join(CORPUS, n, 'expect.json')))
    .sort()
    .map((name) => ({ name, dir: join(CORPUS, name), expect: JSON.parse(readFileSync(join(CORPUS, name, 'expect.json'), 'utf8')) as Expect }));
}

/** The shipped roles (playbooks/roles, or roles/ in older layouts): `{ROLES}` in expect.json args. */
export function rolesDir(): string {
  return [join(REPO, 'playbooks/roles'), join(REPO, 'roles')].find((d) => existsSync(join(d, 'lvs_director'))) ?? join(REPO, 'roles');
}

export function caseArgs(c: Case, baseInventory: string): string[] {
  const e = c.expect;
  const args = (e.args ?? []).map((a) => a.replace('{ROLES}', rolesDir()));
  return ['-i', baseInventory, ...(e.inventory ? ['-i', e.inventory] : []), ...args, e.playbook ?? 'site.yml'];
}

const POS = /[\w.@~+-]*(?:\/[\w.@~+-]+)*\.[\w]+:\d+:\d+/;

/** The right exit code, ONE distinct message with FILE:LINE:COL that says what is wrong, no stack trace. */
export function checkCaseOutput(c: Case, r: CliResult): void {
  const e = c.expect;
  const text = `${r.out}\n${unwrapped(r.err)}`; // warnings are wrapped as Ansible wraps them: read on one line
  const ctx = `\n--- ${c.name}: ${e.desc}\n--- stdout:\n${r.out}\n--- stderr:\n${r.err}`;
  assert.equal(r.rc, e.exit, `exit code${ctx}`);
  assert.doesNotMatch(text, /unexpected error|^\s+at .+:\d+:\d+\)?$/m, `no internal error or stack trace${ctx}`);
  let where = escapeRe(e.where);
  if (e.where.endsWith(':')) where += e.where.split(':').length === 2 ? '\\d+:\\d+' : '\\d+';
  // (after a line break inside a failure's JSON msg too: `\n` as the JSON shows it)
  const whereRe = new RegExp(`(^|[\\s/'"\\[(]|\\\\n)${where}\\b`);
  const lines = text.split('\n').filter((l) => whereRe.test(l));
  assert.ok(lines.length > 0, `the output names ${e.where}${ctx}`);
  const msgRe = new RegExp(e.message, 'i');
  assert.ok(
    lines.some((l) => msgRe.test(l)),
    `the line naming ${e.where} says /${e.message}/${ctx}`,
  );
  // One message: every line carrying a FILE:LINE:COL is the same message (hosts may repeat it).
  const distinct = new Set(
    text
      .split('\n')
      .filter((l) => POS.test(l))
      .map((l) => {
        const fatal = /^(?:fatal|failed): \[[^\]]+\]: FAILED! => (\{.*\})$/.exec(l);
        if (fatal) {
          try {
            // Ansible's words first; lvsplay's positioned message is the paragraph that names the place
            const msg = String((JSON.parse(fatal[1]) as { msg?: unknown }).msg);
            return msg.split('\n\n').find((p) => POS.test(p)) ?? msg;
          } catch {
            return fatal[1];
          }
        }
        return l.trim().replace(/^\[WARNING\]: /, '').replace(/^ERROR! /, '');
      }),
  );
  assert.equal(distinct.size, 1, `exactly one distinct positioned message, got ${distinct.size}:\n${[...distinct].join('\n')}${ctx}`);
  for (const a of e.also ?? []) assert.match(text, new RegExp(a, 'm'), `output also matches /${a}/${ctx}`);
}
