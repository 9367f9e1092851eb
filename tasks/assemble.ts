// assemble: concatenate the fragments of a directory into one file, as Ansible 2.14's assemble
// (action plugin and module): the directory's regular files in name order (regexp filters the
// names, ignore_hidden drops dotfiles), a newline added after a fragment that lacks one, the
// delimiter (backslash escapes decoded) between fragments. remote_src (default) reads the
// fragments on the host, else from the controller's files/ (vault-encrypted ones decrypted). The
// result is written as copy writes a file: compared by sha1, replaced atomically, validate,
// backup, mode/owner/group. Skipped in check mode, as Ansible.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { readControllerFile } from '../src/vault/files.js';
import { q } from '../src/shell.js';
import { boolSchema, str, toBool } from './lib/args.js';
import { planPut } from './lib/put.js';
import { pyRegExp } from './lib/pyregex.js';
import { putSchemaProps } from './template.js';
import { createHash } from 'node:crypto';

const { force: _force, ...putProps } = putSchemaProps; // assemble has no force

const schema = {
  type: 'object',
  description:
    "Assemble a file from the fragments in a directory (its regular files in name order; a newline added after a fragment without one; the delimiter between fragments), as Ansible's assemble, and put it at dest as copy does (sha1 compare, atomic replace, validate, backup). remote_src (default): the directory is on the host; false: on the controller (files/). Skipped in check mode.",
  properties: {
    src: { type: 'string', description: "Directory of fragments: on the host (remote_src), else on the controller (the role's files/ first)." },
    ...putProps,
    delimiter: { type: 'string', description: "Text put between fragments (backslash escapes such as \\n decoded); a newline follows it unless it ends with one." },
    regexp: { type: 'string', description: 'Only fragments whose name this Python regular expression matches (re.search).' },
    ignore_hidden: boolSchema('Leave out fragments whose name starts with a dot.', false),
    remote_src: boolSchema('src is on the host (true) or on the controller (false).', true),
    follow: boolSchema('remote_src false: follow a symlink at dest when comparing (as Ansible passes it to stat).', false),
    decrypt: boolSchema('remote_src false: vault-encrypted fragments are decrypted.', true),
  },
  required: ['src', 'dest'],
  additionalProperties: false,
};

/** Python's codecs.escape_decode: \\ \' \" \a \b \f \n \r \t \v, \ooo octal and \xhh; any other backslash stays. */
export function escapeDecode(b: Buffer): Buffer {
  const out: number[] = [];
  const simple: Record<string, number> = { '\\': 0x5c, "'": 0x27, '"': 0x22, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== 0x5c || i + 1 >= b.length) {
      if (b[i] === 0x5c) throw new TaskError('Trailing \\ in string');
      out.push(b[i]);
      continue;
    }
    const c = String.fromCharCode(b[i + 1]);
    if (c in simple) {
      out.push(simple[c]);
      i++;
    } else if (c === '\n') {
      i++; // a backslash-newline is dropped
    } else if (/[0-7]/.test(c)) {
      let j = i + 1;
      let v = 0;
      while (j < b.length && j < i + 4 && /[0-7]/.test(String.fromCharCode(b[j]))) v = v * 8 + (b[j++] - 48);
      out.push(v & 0xff);
      i = j - 1;
    } else if (c === 'x') {
      const h = b.subarray(i + 2, i + 4).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new TaskError(`invalid \\x escape at position ${i}`);
      out.push(parseInt(h, 16));
      i += 3;
    } else {
      out.push(0x5c);
    }
  }
  return Buffer.from(out);
}

/** Ansible's assemble_from_fragments over (name, content) pairs already in name order and filtered. */
export function assembleFragments(fragments: Buffer[], delimiter: string | undefined): Buffer {
  const parts: Buffer[] = [];
  let delim: Buffer | undefined = delimiter ? Buffer.from(delimiter, 'utf8') : undefined;
  let delimitMe = false;
  let addNewline = false;
  for (const content of fragments) {
    if (addNewline) parts.push(Buffer.from('\n'));
    if (delimitMe && delim !== undefined && delim.length) {
      delim = escapeDecode(delim); // sic: Ansible decodes the already decoded delimiter again for each fragment
      parts.push(delim);
      if (delim[delim.length - 1] !== 10) parts.push(Buffer.from('\n'));
    }
    parts.push(content);
    delimitMe = true;
    addNewline = !(content.length && content[content.length - 1] === 10);
  }
  return Buffer.concat(parts);
}

/** The fragment names Ansible reads: sorted, matching regexp, regular files (symlinks followed), dotfiles left out with ignore_hidden. */
function chosen(entries: { name: string; isFile: boolean }[], regexp: RegExp | undefined, ignoreHidden: boolean): string[] {
  return entries
    .filter((e) => e.isFile && (!regexp || regexp.test(e.name)) && !(ignoreHidden && e.name.startsWith('.')))
    .map((e) => e.name)
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function compile(ctx: ModuleContext): RegExp | undefined {
  const r = str(ctx.args, 'regexp');
  if (r === undefined) return undefined;
  try {
    return pyRegExp(r);
  } catch (e) {
    throw new TaskError(`Invalid Regexp (${e instanceof Error ? e.message : String(e)}) in "${r}"`);
  }
}

/** The fragments of a directory on the host: one probe lists the entries, one reads the chosen ones (base64). */
async function remoteFragments(ctx: ModuleContext, src: string): Promise<Buffer[] | { failed: string }> {
  const list = await ctx.probe(
    [
      `s=${q(src)}`,
      'if [ ! -e "$s" ]; then echo missing; exit 0; fi',
      'if [ ! -d "$s" ]; then echo notdir; exit 0; fi',
      'echo dir',
      'for f in "$s"/* "$s"/.[!.]* "$s"/..?*; do',
      '  if [ -e "$f" ] || [ -L "$f" ]; then',
      '    if [ -f "$f" ]; then t=f; else t=o; fi',
      '    printf \'%s %s\\0\' "$t" "${f##*/}"',
      '  fi',
      'done',
    ].join('\n'),
  );
  const [head, ...rest] = list.stdout.split('\n');
  if (head === 'missing') return { failed: `Source (${src}) does not exist` };
  if (head === 'notdir') return { failed: `Source (${src}) is not a directory` };
  if (head !== 'dir') throw new TaskError(`assemble: cannot list ${src}: ${list.stderr.trim() || list.stdout.trim()}`);
  const entries = rest
    .join('\n')
    .split('\0')
    .filter((x) => x.length > 2)
    .map((x) => ({ name: x.slice(2), isFile: x[0] === 'f' }));
  const names = chosen(entries, compile(ctx), toBool(ctx.args, 'ignore_hidden', false));
  if (!names.length) return [];
  const read = await ctx.probe([`cd ${q(src)} || exit 1`, ...names.map((n) => `base64 < ${q(n)} | tr -d '\\n'; echo`)].join('\n'));
  if (read.rc !== 0) throw new TaskError(`assemble: cannot read the fragments of ${src}: ${read.stderr.trim()}`);
  const lines = read.stdout.split('\n');
  return names.map((_, i) => Buffer.from(lines[i] ?? '', 'base64'));
}

/** The fragments of a directory on the controller (files/ search as Ansible's _find_needle). */
function localFragments(ctx: ModuleContext, src: string): Buffer[] | { failed: string } {
  const dir = ctx.findFile('files', src);
  if (!statSync(dir).isDirectory()) return { failed: `Source (${dir}) is not a directory` };
  const entries = readdirSync(dir).map((name) => ({ name, isFile: statSync(join(dir, name), { throwIfNoEntry: false })?.isFile() ?? false }));
  const decrypt = toBool(ctx.args, 'decrypt', true);
  return chosen(entries, compile(ctx), toBool(ctx.args, 'ignore_hidden', false)).map((n) => (decrypt ? readControllerFile(join(dir, n)).data : readFileSync(join(dir, n))));
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const src = str(a, 'src')!;
  const remote = toBool(a, 'remote_src', true);
  const validate = str(a, 'validate');
  if (remote && validate && !validate.includes('%s')) return { steps: [], failed: `validate must contain %s: ${validate}` };
  const got = remote ? await remoteFragments(ctx, src) : localFragments(ctx, src);
  if (!Array.isArray(got)) return { steps: [], failed: got.failed, ...(remote ? {} : { raised: true }) };
  const data = assembleFragments(got, str(a, 'delimiter'));
  const p = await planPut(ctx, data, undefined, {});
  if (!remote) return p;
  // the module's own fields: src, its checksums (md5sum always) and msg
  const md5sum = createHash('md5').update(data).digest('hex');
  const { path: _path, ...rest } = p.result ?? {};
  p.result = { ...rest, src, md5sum, msg: 'OK' };
  return p;
}

export const assemble: TaskModule = {
  name: 'assemble',
  aliases: ['ansible.builtin.assemble', 'ansible.legacy.assemble'],
  checkModeUnsupported: 'check mode is not supported for this task.',
  asyncUnsupported: true,
  schema,
  freeForm: 'kv',
  plan,
};
