// copy: put a controller file (src, from files/) or inline content on the host (atomic replace).
import { readFileSync, statSync } from 'node:fs';
import { readControllerFile } from '../src/vault/files.js';
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { boolSchema, str, toBool } from './lib/args.js';
import { planPut } from './lib/put.js';
import { pyJsonDumps } from '../src/vars/pyjson.js';
import { pyStr } from '../src/vars/pystr.js';
import { putSchemaProps } from './template.js';
import { planTree } from './lib/copytree.js';
import { planRemoteCopy } from './lib/remotecopy.js';

const schema = {
  type: 'object',
  description:
    'Copy a file from the controller (src) or inline text (content) to the host: compared by sha1 (one probe exec when unchanged), replaced atomically (temp file, chmod/chown, validate, mv), diff of text content. A directory src is copied recursively (src: dir copies the directory itself into dest, src: dir/ its contents); remote_src copies a file on the host.',
  properties: {
    src: { type: 'string', description: "Controller file: the role's files/ first, then beside the task file and the playbook." },
    content: { type: ['string', 'number', 'boolean', 'object', 'array', 'null'], description: 'Text to write instead of src (a list or dict is written as JSON, other values as Python prints them).' },
    ...putSchemaProps,
    mode: {
      type: ['string', 'integer'],
      description: "As in template, plus 'preserve': the mode of the controller's src file.",
    },
    remote_src: boolSchema('src is a file on the host (compared by sha1, copied on the host; a new dest gets its mode). A directory on the host is not supported.', false),
    directory_mode: { type: ['string', 'integer'], description: 'Recursive copy: mode of the directories it creates and of the subdirectories it copies into.' },
    local_follow: boolSchema('Recursive copy: follow symlinks in the source (only true is supported).', true),
    decrypt: boolSchema('A vault-encrypted src (file or files of a directory) is decrypted; false copies it as it is.', true),
  },
  required: ['dest'],
  oneOf: [{ required: ['src'] }, { required: ['content'] }],
  additionalProperties: false,
};

/** copy's inline content as Ansible writes it: text as is, lists/dicts as JSON, True/False/None as Python prints them. */
function contentText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') return pyJsonDumps(v, { ensureAscii: false });
  return pyStr(v);
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const src = str(a, 'src');
  if (toBool(a, 'remote_src', false)) {
    if (src === undefined) throw new TaskError('copy: remote_src needs src');
    return planRemoteCopy(ctx);
  }
  if (!toBool(a, 'local_follow', true)) throw new TaskError('copy: local_follow: false is not supported by lvsplay');
  let data: string | Buffer;
  if (src !== undefined) {
    const path = ctx.findFile('files', src);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) throw new TaskError(`copy: src ${src} not found (looked for ${path})`);
    if (st.isDirectory()) {
      // never silently ignored: a directory copy does not validate or back up each file (Ansible does)
      for (const k of ['validate', 'backup'] as const) {
        if (a[k] !== undefined && a[k] !== false && a[k] !== null) throw new TaskError(`copy: ${k} with a directory src is not supported by lvsplay`);
      }
      return planTree(ctx, src.endsWith('/') && !path.endsWith('/') ? `${path}/` : path, src);
    }
    data = toBool(a, 'decrypt', true) ? readControllerFile(path).data : readFileSync(path); // decrypted when vault-encrypted
    if (a.mode === 'preserve') a.mode = (st.mode & 0o7777).toString(8);
  } else {
    data = contentText(a.content);
    // Ansible writes content to a temporary file (mkstemp: 0600) and copies that: preserve is 0600
    if (a.mode === 'preserve') a.mode = '600';
  }
  return planPut(ctx, data, src, { extra: src !== undefined ? { src } : undefined, checkChangeOnly: true });
}

export const copy: TaskModule = {
  asyncUnsupported: true, // Ansible's action plugin has no async
  name: 'copy',
  // Ansible's copy action plugin, before the module (in its order and words)
  actionArgsCheck: (a) => {
    const msg = !a.src && a.content == null ? 'src (or content) is required' : !a.dest ? 'dest is required' : a.src && a.content != null ? 'src and content are mutually exclusive' : undefined;
    return msg === undefined ? undefined : { msg };
  },
  aliases: ['ansible.builtin.copy', 'ansible.legacy.copy'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
