// The differential templating corpus (issue 17): test/vars/corpus/expressions.txt rendered as task
// arguments by lvsplay's Templar and by Ansible 2.14's own Templar (corpus/ansible_oracle.py), and
// corpus/roles/tpl/templates/t*.j2 written by the template module of both tools (one playbook run
// each). Compared byte for byte (type and JSON of each value; errors compare as "error"). Every
// difference is a failing test.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Templar } from '../../src/vars/templar.js';
import { floatTagged, isPyFloat } from '../../src/vars/pyfloat.js';
import { pyJsonDumps } from '../../src/vars/pyjson.js';
import { parseYamlDoc, yamlToJS } from '../../src/yamldoc.js';
import type { Vars } from '../../src/types.js';
import { ansiblePython, haveAnsible, runAnsible, runLvsplay } from './twotools.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/vars/corpus');

interface Rendered {
  type: string;
  json: string;
}

function tag(v: unknown): Rendered {
  const type =
    typeof v === 'string' ? 'str'
    : typeof v === 'boolean' ? 'bool'
    : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float')
    : isPyFloat(v) ? 'float'
    : v === null ? 'none'
    : Array.isArray(v) ? 'list'
    : typeof v === 'object' ? 'dict'
    : String(typeof v);
  let json: string;
  try {
    json = v === undefined ? String(v) : pyJsonDumps(v, { ensureAscii: false }); // as Python's json.dumps (2.0 is not 2)
  } catch {
    json = String(v);
  }
  return { type, json };
}

export function corpusCases(): string[] {
  return readFileSync(path.join(CORPUS, 'expressions.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function lvsplayRender(cases: string[], vars: Vars): Rendered[] {
  const cwd = process.cwd();
  process.chdir(CORPUS); // relative lookups as from the playbook's directory
  try {
    return cases.map((c) => {
      try {
        return tag(new Templar().render(c, vars));
      } catch (e) {
        return { type: 'error', json: (e as Error).message.split('\n')[0] };
      }
    });
  } finally {
    process.chdir(cwd);
  }
}

function ansibleRender(cases: string[], vars: Vars): Rendered[] {
  const r = spawnSync(ansiblePython(), [path.join(CORPUS, 'ansible_oracle.py')], {
    input: JSON.stringify({ basedir: CORPUS, vars, cases }, floatTagged), // a whole float reaches Ansible as a float
    encoding: 'utf8',
    cwd: CORPUS,
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`ansible oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Rendered[];
}

const same = (a: Rendered, b: Rendered) => a.type === b.type && (a.type === 'error' || a.json === b.json);

describe('templating corpus: lvsplay vs Ansible 2.14, byte for byte', function () {
  this.timeout(180000);
  if (!haveAnsible()) {
    it('needs ansible-playbook', function () {
      console.log('    (skipped: ansible-playbook is not on PATH; the differential corpus needs Ansible 2.14)');
      this.skip();
    });
    return;
  }
  const cases = corpusCases();
  const { doc } = parseYamlDoc(readFileSync(path.join(CORPUS, 'vars.yml'), 'utf8'), 'vars.yml'); // as lvsplay reads vars files (2.0 stays a float)
  const vars = yamlToJS(doc, null, () => ({ file: 'vars.yml', line: 1, col: 1 })) as Vars;
  const want = ansibleRender(cases, vars);
  const got = lvsplayRender(cases, vars);

  describe(`expressions (${cases.length} cases)`, () => {
    cases.forEach((c, i) => {
      it(c, () => assert.ok(same(got[i], want[i]), `${c}: lvsplay ${got[i].type} ${got[i].json}\n      ansible ${want[i].type} ${want[i].json}`));
    });
  });

  describe('templates (one playbook run per tool)', () => {
    const names = readdirSync(path.join(CORPUS, 'roles/tpl/templates')).filter((f) => /^t\d+.*\.j2$/.test(f));
    const copy = () => {
      const d = mkdtempSync(path.join(tmpdir(), 'lvsplay-corpus-'));
      for (const f of ['templates.yml', 'roles', 'templates']) cpSync(path.join(CORPUS, f), path.join(d, f), { recursive: true });
      return d;
    };
    const lvDir = copy();
    const anDir = copy();
    let ran = false;
    before(() => {
      runLvsplay(lvDir, 'templates.yml');
      runAnsible(anDir, 'templates.yml');
      ran = true;
    });
    it('every t*.j2 is in the role\'s loop (else both tools skip it and it compares nothing)', () => {
      const listed = readFileSync(path.join(CORPUS, 'roles/tpl/tasks/main.yml'), 'utf8');
      assert.deepEqual(names.filter((n) => !listed.includes(`- ${n}`)), []);
    });
    for (const n of names) {
      const out = n.replace(/\.j2$/, '');
      it(n, () => {
        assert.ok(ran);
        const a = path.join(anDir, 'out', out);
        const l = path.join(lvDir, 'out', out);
        const lt = existsSync(l) ? readFileSync(l, 'utf8') : undefined;
        const at = existsSync(a) ? readFileSync(a, 'utf8') : undefined;
        assert.ok(lt === at, `${n}: ${at === undefined ? 'ansible failed on it, lvsplay wrote it' : lt === undefined ? 'ansible wrote it, lvsplay did not' : `lvsplay ${JSON.stringify(lt)} ansible ${JSON.stringify(at)}`}`);
      });
    }
  });
});
