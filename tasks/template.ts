// template: render a Jinja2 template on the controller and put it on the host (atomic replace).
import { ACTION_RAISED } from './lib/action.js';
import type { ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import type { TemplateOptions } from '../src/vars/tplfile.js';
import { attrSchema, boolSchema, need, str, toBool } from './lib/args.js';
import { planPut } from './lib/put.js';
import { VALIDATE_FAILED } from './lib/files.js';
import { explainValidation } from './lib/validatemap.js';
import { TaskError } from '../src/errors.js';
import { readFileSync } from 'node:fs';

export const putSchemaProps: Record<string, unknown> = {
  dest: { type: 'string', description: 'Path on the host. A directory (or a path ending in /) gets the source file name inside it.' },
  ...attrSchema,
  backup: boolSchema('Before replacing, copy the old file to DEST.PID.YYYY-MM-DD@HH:MM:SS~ (result: backup_file).', false),
  validate: {
    type: 'string',
    description:
      "Command run on the host against the new content BEFORE it replaces dest; %s is the temp file (e.g. 'keepalived -t -f %s'). Non-zero exit: the task fails with the command's output and dest is untouched.",
  },
  force: boolSchema('Replace dest when its content differs. false: only create it when missing.', true),
  unsafe_writes: {
    type: 'boolean',
    description:
      "As Ansible's: when dest cannot be replaced atomically (its directory takes no new file, or the rename is refused, e.g. a bind-mounted file), write the content in place instead of failing. Unset: the host's ANSIBLE_UNSAFE_WRITES decides.",
  },
};

const schema = {
  type: 'object',
  description:
    'Render a template on the controller (Jinja2, Ansible variables and filters) and put it on the host: compared by sha1 (one probe exec when unchanged), replaced atomically (temp file in the same directory, chmod/chown, validate, mv), diff of the content.',
  properties: {
    src: { type: 'string', description: "Template file: the role's templates/ first, then beside the task file and the playbook." },
    ...putSchemaProps,
    newline_sequence: { enum: ['\n', '\r', '\r\n'], default: '\n', description: "Line break the template's own lines get ('\\n', '\\r' or '\\r\\n')." },
    trim_blocks: boolSchema('Drop the first newline after a block tag.', true),
    lstrip_blocks: boolSchema('Strip spaces and tabs before a block tag at the start of a line.', false),
    output_encoding: { type: 'string', default: 'utf-8', description: 'Encoding of the written file: utf-8, latin-1 (iso-8859-1), ascii, utf-16-le; others fail as not supported.' },
    ...Object.fromEntries(
      ([['variable_start_string', '{{'], ['variable_end_string', '}}'], ['block_start_string', '{%'], ['block_end_string', '%}'], ['comment_start_string', '{#'], ['comment_end_string', '#}']] as const).map(([k, d]) => [
        k,
        { type: 'string', default: d, description: `Delimiter (${d}) of the template's syntax.` },
      ]),
    ),
  },
  required: ['src', 'dest'],
  additionalProperties: false,
};

const TAGS: Record<string, string> = {
  variable_start_string: 'variableStart', variable_end_string: 'variableEnd', block_start_string: 'blockStart',
  block_end_string: 'blockEnd', comment_start_string: 'commentStart', comment_end_string: 'commentEnd',
};
const DEFAULT_TAGS: Record<string, string> = { variableStart: '{{', variableEnd: '}}', blockStart: '{%', blockEnd: '%}', commentStart: '{#', commentEnd: '#}' };

/** The environment settings of the module's arguments (the template's #jinja2: header may still change them). */
function templateOptions(a: Vars): Partial<TemplateOptions> {
  const tags = Object.fromEntries(Object.entries(TAGS).filter(([k]) => a[k] !== undefined).map(([k, n]) => [n, String(a[k])]));
  const custom = Object.entries(tags).some(([n, v]) => DEFAULT_TAGS[n] !== v);
  return {
    trimBlocks: toBool(a, 'trim_blocks', true),
    lstripBlocks: toBool(a, 'lstrip_blocks', false),
    newline: str(a, 'newline_sequence') ?? '\n',
    ...(custom ? { tags } : {}),
  };
}

const ENCODINGS: Record<string, BufferEncoding> = { 'utf-8': 'utf8', utf8: 'utf8', 'latin-1': 'latin1', latin1: 'latin1', 'iso-8859-1': 'latin1', 'iso8859-1': 'latin1', ascii: 'ascii', 'us-ascii': 'ascii', 'utf-16-le': 'utf16le', 'utf-16le': 'utf16le' };

/** The rendered text in output_encoding (utf-8: the text itself). */
function encode(text: string, enc: string): string | Buffer {
  const e = ENCODINGS[enc.toLowerCase().replace(/_/g, '-')];
  if (!e) throw new TaskError(`template: output_encoding '${enc}' is not supported by lvsplay (utf-8, latin-1, ascii, utf-16-le)`);
  if (e === 'utf8') return text;
  if (e === 'ascii' && /[^\x00-\x7f]/.test(text)) throw new TaskError(`'ascii' codec can't encode the rendered template (non-ASCII characters)`);
  if (e === 'latin1' && /[^\x00-\xff]/.test(text)) throw new TaskError(`'latin-1' codec can't encode the rendered template (characters above U+00FF)`);
  return Buffer.from(text, e);
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const src = need(ctx.args, 'src');
  const path = ctx.findFile('templates', src);
  const text = ctx.renderFile(path, templateOptions(ctx.args));
  const p = await planPut(ctx, encode(text, String(ctx.args.output_encoding ?? 'utf-8')), src.replace(/\.j2$/, ''), { extra: { src }, checkChangeOnly: true });
  const after = p.after;
  if (after) {
    // A validator's `(FILE: Line N)` is about the rendered temp file: show the template lines too.
    p.after = (res) => {
      try {
        return after(res);
      } catch (e) {
        if (!(e instanceof TaskError) || !e.message.includes(VALIDATE_FAILED)) throw e;
        let source = '';
        try {
          source = readFileSync(path, 'utf8');
        } catch {
          /* the rendered line is still shown */
        }
        throw new TaskError(explainValidation(e.message, text, path, source), e.result);
      }
    };
  }
  return p;
}

export const template: TaskModule = {
  asyncUnsupported: true, // Ansible's action plugin has no async
  name: 'template',
  // Ansible's template action plugin, before the module
  actionArgsCheck: (a) => {
    const msg = a.state != null ? "'state' cannot be specified on a template" : a.src == null || a.dest == null ? 'src and dest are required' : undefined;
    return msg === undefined ? undefined : { msg, exception: ACTION_RAISED };
  },
  aliases: ['ansible.builtin.template', 'ansible.legacy.template'],
  plansAhead: true,
  templateSource: 'src',
  schema,
  freeForm: 'kv',
  plan,
};
