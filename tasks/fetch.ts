// fetch: copy a file from the host to the controller (dest/<inventory_hostname>/<src>, or dest itself
// with flat), compared by sha1 first: an unchanged file costs one probe. The remote read is the plan's
// step; the controller file is written when the step's output comes back (never in check mode, which
// Ansible's fetch skips).
import { ACTION_RAISED } from './lib/action.js';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { sh } from '../src/shell.js';
import { boolSchema, need, toBool } from './lib/args.js';
import { mark, sections } from '../src/probe.js';

const schema = {
  type: 'object',
  description:
    "Fetch a file from the host to the controller, as Ansible's fetch: into dest/<inventory_hostname>/<src path>, or to dest itself with flat (dest ending in / = that directory, keeping the file name). Compared by sha1: one probe when unchanged. Skipped in check mode, as in Ansible.",
  properties: {
    src: { type: 'string', description: 'The file on the host.' },
    dest: { type: 'string', description: 'Directory (or file, with flat) on the controller; relative to the playbook directory.' },
    flat: boolSchema('Put the file at dest itself instead of dest/<host>/<src>.', false),
    fail_on_missing: boolSchema('Fail when src does not exist (else: ok with a message).', true),
    validate_checksum: boolSchema('Check the written file against the remote sha1.', true),
  },
  required: ['src', 'dest'],
  additionalProperties: false,
};

const hash = (algo: string, data: Buffer): string => createHash(algo).update(data).digest('hex');

function localFile(path: string): Buffer | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** Where the file goes on the controller (Ansible's rules, dest relative to the playbook directory). */
export function fetchDest(src: string, dest: string, flat: boolean, host: string, base: string): string {
  const dwim = (p: string): string => (isAbsolute(p) ? p : join(base, p));
  if (!flat) return normalize(`${dwim(dest)}/${host}/${src}`);
  let out = dest;
  if (!dest.endsWith('/') && statSync(dwim(dest), { throwIfNoEntry: false })?.isDirectory()) {
    throw new TaskError('dest is an existing directory, use a trailing slash if you want to fetch src into that directory');
  }
  if (dest.endsWith('/')) out = join(dest, src.split('/').pop() ?? src);
  return normalize(dwim(out));
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const src = need(a, 'src');
  const failOnMissing = toBool(a, 'fail_on_missing', true);
  const res = await ctx.probe([sh`p=${src}`, mark('kind'), 'if [ -d "$p" ]; then echo dir; elif [ ! -e "$p" ]; then echo missing; elif [ ! -r "$p" ]; then echo unreadable; else echo file; fi', mark('sha1'), '[ ! -f "$p" ] || [ ! -r "$p" ] || sha1sum < "$p" | cut -c1-40'].join('\n'));
  const s = sections(res.stdout);
  const kind = (s.get('kind') ?? '').trim();
  if (kind === 'dir') {
    const msg = 'remote file is a directory, fetch cannot work on directories';
    return failOnMissing ? { steps: [], failed: msg } : { steps: [], msg: `${msg}, not transferring, ignored` };
  }
  if (kind === 'missing' || kind === 'unreadable') {
    const msg = kind === 'missing' ? 'the remote file does not exist, not transferring, ignored' : `file is not readable: ${src}`;
    return failOnMissing ? { steps: [], failed: msg } : { steps: [], msg, result: { file: src } };
  }
  const remoteSum = (s.get('sha1') ?? '').trim();
  const base = String(ctx.vars.playbook_dir ?? process.cwd());
  const dest = fetchDest(src, need(a, 'dest'), toBool(a, 'flat', false), ctx.host, base);
  const local = localFile(dest);
  if (local && hash('sha1', local) === remoteSum) {
    return { steps: [], result: { md5sum: hash('md5', local), file: src, dest, checksum: remoteSum } };
  }
  return {
    steps: [{ describe: `read ${src} (to ${dest} on the controller)`, cmd: sh`base64 -w0 < ${src}` }],
    changed: true,
    after(r: ExecResult): Vars {
      if (r.rc !== 0) throw new TaskError(`could not read ${src}: ${(r.stderr || r.stdout).trim()}`);
      const data = Buffer.from(r.stdout.trim(), 'base64');
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, data);
      const sum = hash('sha1', data);
      const fields = { md5sum: hash('md5', data), dest, remote_md5sum: null, checksum: sum, remote_checksum: remoteSum };
      if (toBool(a, 'validate_checksum', true) && sum !== remoteSum) throw new TaskError('checksum mismatch', { ...fields, file: src });
      return fields;
    },
  };
}

export const fetch: TaskModule = {
  noInterpreterDiscovery: true,
  asyncUnsupported: true, // Ansible's action plugin has no async
  name: 'fetch',
  // Ansible's fetch action plugin, before anything else
  actionArgsCheck: (a) => (a.src == null || a.dest == null ? { msg: 'src and dest are required', exception: ACTION_RAISED } : undefined),
  aliases: ['ansible.builtin.fetch', 'ansible.legacy.fetch'],
  checkModeUnsupported: 'check mode not (yet) supported for this module',
  schema,
  freeForm: 'kv',
  plan,
};
