// get_url: download a URL on the host (curl) into dest, replaced only when the content differs
// (sha1), with Ansible's result fields. The download happens in the plan's probe, into a temp file
// beside dest (removed there when nothing is to change, or in check mode); the step moves it in place.
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q, sh } from '../src/shell.js';
import { attrSchema, boolSchema, need, str, toBool } from './lib/args.js';
import { fileProbe, parseFileProbe } from './lib/files.js';
import { wantedMode } from './lib/mode.js';
import { mark, sections } from '../src/probe.js';

const schema = {
  type: 'object',
  description:
    "Download a file on the host (with curl) to dest (a directory: the URL's file name inside it), as Ansible's get_url: replaced only when its sha1 differs; with checksum (algo:hex) and force=false an existing matching file is not downloaded. Result: checksum_src/checksum_dest, status_code, msg, file attributes.",
  properties: {
    url: { type: 'string', description: 'http, https or ftp URL.' },
    dest: { type: 'string', description: 'File (or existing directory) on the host.' },
    force: boolSchema('Download even when a checksum-matching dest exists.', false),
    checksum: { type: 'string', default: '', description: "'algorithm:hex' (sha1, sha256, md5, ...): skip a matching dest and verify the download." },
    headers: { type: 'object', description: 'Extra request headers.' },
    timeout: { type: 'integer', default: 10, description: 'Seconds the request may take.' },
    validate_certs: boolSchema('Check TLS certificates.', true),
    url_username: { type: 'string', description: 'User for basic authentication (alias username).' },
    url_password: { type: 'string', description: 'Password for basic authentication (alias password).' },
    username: { type: 'string', description: 'Alias of url_username.' },
    password: { type: 'string', description: 'Alias of url_password.' },
    backup: boolSchema('Not supported (true fails).', false),
    ...attrSchema,
  },
  required: ['url', 'dest'],
  additionalProperties: false,
};

const ALGOS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const url = need(a, 'url');
  let dest = need(a, 'dest');
  if (toBool(a, 'backup', false)) throw new TaskError('get_url: backup is not supported by lvsplay');
  const force = toBool(a, 'force', false);
  const [algo, want] = (str(a, 'checksum') ?? '') === '' ? [undefined, ''] : (str(a, 'checksum')!.split(/:(.*)/s) as [string, string]);
  if (algo !== undefined && (!ALGOS.includes(algo) || !want)) return { steps: [], failed: 'The checksum parameter has to be in format <algorithm>:<checksum>' };
  let cur = parseFileProbe(dest, (await ctx.probe(fileProbe(dest))).stdout);
  if (cur.kind === 'directory') {
    dest = `${dest.replace(/\/$/, '')}/${new URL(url).pathname.split('/').pop() || 'index.html'}`;
    cur = parseFileProbe(dest, (await ctx.probe(fileProbe(dest))).stdout);
  }
  const base: Vars = { dest, url, elapsed: 0, checksum_dest: null, checksum_src: null };
  if (cur.kind === 'file' && !force && algo) {
    const sum = (await ctx.probe(sh`${`${algo}sum`} < ${dest} | cut -d' ' -f1`)).stdout.trim();
    if (sum === want.toLowerCase()) return { steps: [], msg: 'file already exists', result: { ...base, msg: 'file already exists' } };
  }
  const curl = [
    'curl -sS -L -o "$t" -D "$h"',
    `--max-time ${Number(a.timeout ?? 10)}`,
    toBool(a, 'validate_certs', true) ? '' : '-k',
    ...Object.entries((a.headers as Record<string, unknown>) ?? {}).map(([k, v]) => `-H ${q(`${k}: ${String(v)}`)}`),
    str(a, 'url_username', 'username') !== undefined ? `-u ${q(`${str(a, 'url_username', 'username')}:${str(a, 'url_password', 'password') ?? ''}`)}` : '',
    '-w "%{http_code}"',
    q(url),
  ].filter(Boolean).join(' ');
  const dir = dest.includes('/') ? dest.replace(/\/[^/]*$/, '') || '/' : '.';
  const started = Date.now();
  const res = await ctx.probe([
    'command -v curl >/dev/null || { echo "lvsplay: get_url needs curl on the host" >&2; exit 127; }',
    sh`t=$(mktemp ${`${dir}/.${dest.split('/').pop()}.lvsplay.XXXXXX`}) && h=$(mktemp) || exit 1`,
    mark('code'),
    `${curl} || true`,
    mark('headers'), 'cat "$h"; rm -f "$h"',
    mark('sum'), 'sha1sum < "$t" | cut -c1-40',
    ...(algo ? [mark('algo'), `${algo}sum < "$t" | cut -d' ' -f1`] : []),
    mark('tmp'), 'echo "$t"',
  ].join('\n'));
  if (res.rc !== 0) return { steps: [], failed: (res.stderr || res.stdout).trim() || `could not download ${url}` };
  const s = sections(res.stdout);
  const tmp = (s.get('tmp') ?? '').trim();
  const cleanup = { describe: `remove ${tmp}`, cmd: sh`rm -f -- ${tmp}` };
  const status = Number((s.get('code') ?? '').trim());
  const heads = (s.get('headers') ?? '').split(/\r?\n\r?\n/).filter((b) => b.trim()).pop() ?? '';
  const reason = /^HTTP\/\S+ \d+ ?(.*)$/m.exec(heads)?.[1]?.trim() ?? '';
  const length = /^content-length:\s*(\d+)/im.exec(heads)?.[1] ?? 'unknown';
  const elapsed = Math.floor((Date.now() - started) / 1000);
  const src = (s.get('sum') ?? '').trim();
  // the temp file never stays: removed now unless the step moves it (ctx.probe output is all we keep)
  const drop = async (): Promise<void> => void (await ctx.probe(cleanup.cmd));
  if (!(status >= 200 && status < 300)) {
    await drop();
    return { steps: [], failed: 'Request failed', result: { dest, url, elapsed, status_code: status, response: `HTTP Error ${status}: ${reason}` } };
  }
  const fields: Vars = { ...base, elapsed, src: tmp, checksum_src: src, checksum_dest: cur.kind === 'file' ? (cur.sha1 ?? null) : null };
  if (algo && (s.get('algo') ?? '').trim() !== want.toLowerCase()) {
    // Ansible moves the download in, finds the mismatch, removes dest and fails with changed=true
    const why = `The checksum for ${dest} did not match ${want}; it was ${(s.get('algo') ?? '').trim()}.`;
    if (ctx.check) await drop();
    return { steps: [cleanup], changed: true, result: fields, after: () => {
      throw new TaskError(why, { ...fields, changed: true });
    } };
  }
  const mode = wantedMode(a.mode, cur.kind === 'file' ? cur.mode : undefined, false) ?? (cur.kind === 'file' && cur.mode !== undefined ? cur.mode.toString(8) : '644');
  const own = [str(a, 'owner'), str(a, 'group')];
  const attrs = [mark('attrs'), sh`stat -c '%u %g %U %G %a %s' -- ${dest}`, mark('md5'), sh`md5sum < ${dest} | cut -c1-32`].join('\n');
  const parse = (r: ExecResult): Vars => {
    const x = sections(r.stdout);
    const [uid, gid, owner, group, m, size] = (x.get('attrs') ?? '').trim().split(' ');
    return { uid: Number(uid), gid: Number(gid), owner, group, mode: m.padStart(4, '0'), size: Number(size), state: 'file', md5sum: (x.get('md5') ?? '').trim() };
  };
  const msg = `OK (${length} bytes)`;
  if (src === fields.checksum_dest || ctx.check) {
    await drop();
    if (src === fields.checksum_dest) {
      const now = parse(await ctx.probe(attrs));
      return { steps: [], msg, result: { ...fields, ...now, msg, status_code: status } };
    }
    return { steps: [], changed: true, msg, result: { ...fields, msg, status_code: status } };
  }
  const steps = [
    { describe: `chmod ${mode} (download of ${url})`, cmd: sh`chmod ${mode} -- ${tmp}` },
    ...(own[0] !== undefined || own[1] !== undefined ? [{ describe: 'chown', cmd: sh`chown ${`${own[0] ?? ''}${own[1] !== undefined ? `:${own[1]}` : ''}`} -- ${tmp}` }] : []),
    { describe: `move the download into place: ${dest}`, cmd: sh`mv -f -- ${tmp} ${dest}` },
    { describe: `stat ${dest}`, cmd: attrs },
  ];
  return { steps, changed: true, msg, result: { ...fields, msg, status_code: status }, after: (r) => {
    if (r.rc !== 0) throw new TaskError(`failed to copy ${tmp} to ${dest}: ${r.stderr.trim()}`, fields);
    return parse(r);
  } };
}

export const getUrl: TaskModule = {
  name: 'get_url',
  aliases: ['ansible.builtin.get_url', 'ansible.legacy.get_url'],
  schema,
  freeForm: 'kv',
  secretArgs: ['url_password', 'password'],
  plan,
};
