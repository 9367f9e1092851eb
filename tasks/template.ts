// template: render a Jinja2 template on the controller and put it on the host (atomic replace).
import type { ModuleContext, Plan, TaskModule } from '../src/types.js';
import { attrSchema, boolSchema, need } from './lib/args.js';
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
};

const schema = {
  type: 'object',
  description:
    'Render a template on the controller (nunjucks, Ansible variables and filters) and put it on the host: compared by sha1 (one probe exec when unchanged), replaced atomically (temp file in the same directory, chmod/chown, validate, mv), diff of the content.',
  properties: {
    src: { type: 'string', description: "Template file: the role's templates/ first, then beside the task file and the playbook." },
    ...putSchemaProps,
  },
  required: ['src', 'dest'],
  additionalProperties: false,
};

async function plan(ctx: ModuleContext): Promise<Plan> {
  const src = need(ctx.args, 'src');
  const path = ctx.findFile('templates', src);
  const text = ctx.renderFile(path);
  const p = await planPut(ctx, text, src.replace(/\.j2$/, ''));
  p.result = { ...p.result, src };
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
  aliases: ['ansible.builtin.template', 'ansible.legacy.template'],
  plansAhead: true,
  schema,
  freeForm: 'kv',
  plan,
};
