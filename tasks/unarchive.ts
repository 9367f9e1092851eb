// unarchive: unpack a tar (gz/bz2/xz/zstd/plain) or zip archive into an existing directory, as
// Ansible 2.14: the archive comes from the controller (uploaded to a temp file on the host) or is
// already there (remote_src); it is unpacked again only when tar --diff / the zip listing says dest
// differs; mode/owner/group then apply to every member. Check mode: zip reports what would change,
// tar is skipped (Ansible's module cannot check with GNU tar).
import { posix } from 'node:path';
import { readControllerFile } from '../src/vault/files.js';
import type { ExecResult, ModuleContext, Plan, Step, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { mark, sections } from '../src/probe.js';
import { q, sh } from '../src/shell.js';
import { boolSchema, list, need, str, toBool } from './lib/args.js';
import { attrSchema } from './lib/args.js';
import { archiveProbe, parseArchiveProbe, TAR_HANDLERS, tarArgs, tarDiffLines, tarFiles, unzipArgs, zipEntries, zipFiles, type ArchiveOpts } from './lib/archive.js';
import { zipCheck, zipStateProbe } from './lib/zipcheck.js';
import { attrProbe, attrSteps } from './lib/archattrs.js';

const listOf = (d: string): Record<string, unknown> => ({ anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], default: [], description: d });

const schema = {
  type: 'object',
  description:
    "Unpack an archive into an existing directory on the host, as Ansible's unarchive: tar (gzip, bzip2, xz, zstd, plain; GNU tar) or zip (needs unzip on the host). src is a controller file (role files/ first), uploaded to a temp file, or with remote_src a file on the host. Unpacked only when dest differs from the archive (tar --diff; zip: type, size, mtime, CRC-32, mode, owner). Result: dest, src, handler, files (list_files), extract_results, dest's attributes. Check mode: a zip reports changed; tar archives are skipped, as in Ansible.",
  properties: {
    src: { type: 'string', description: 'The archive: a controller path (looked up like copy\'s src), or with remote_src a path on the host.' },
    dest: { type: 'string', description: 'Existing directory on the host to unpack into.' },
    remote_src: boolSchema('src is already on the host. Default: false.'),
    copy: boolSchema('Deprecated inverse of remote_src (copy: false = remote_src: true); not with remote_src.'),
    creates: { type: 'string', description: 'Skip the task when this path exists on the host.' },
    list_files: boolSchema('Return the members in `files`.', false),
    keep_newer: boolSchema('Do not replace files that are newer than the archive members.', false),
    exclude: listOf('Members (fnmatch patterns) not to unpack; not with include.'),
    include: listOf('Only these members (patterns); not with exclude.'),
    extra_opts: listOf('Extra arguments for tar or unzip (e.g. --strip-components=1).'),
    validate_certs: boolSchema('Ignored (only used for URL sources, which lvsplay does not fetch).', true),
    io_buffer_size: { type: 'integer', default: 65536, description: 'Ignored (Python buffer size of the CRC-32 check).' },
    decrypt: boolSchema('Decrypt a vault-encrypted controller src.', true),
    ...attrSchema,
  },
  required: ['src', 'dest'],
  additionalProperties: false,
};

const CHECK_SKIP = 'remote module (ansible.legacy.unarchive) does not support check mode when using gtar';

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  if (a.copy !== undefined && a.remote_src !== undefined) return { steps: [], failed: "parameters are mutually exclusive: ('copy', 'remote_src')" };
  const remote = a.copy !== undefined ? !toBool(a, 'copy', true) : toBool(a, 'remote_src', false);
  const exclude = list(a.exclude);
  const include = list(a.include);
  if (exclude.length && include.length) return { steps: [], failed: 'parameters are mutually exclusive: include|exclude' };
  let src = need(a, 'src');
  const dest = need(a, 'dest');
  const creates = str(a, 'creates');
  const pre = sections((await ctx.probe([
    mark('creates'), creates ? sh`[ -e ${creates} ] && echo yes || echo no` : 'echo no',
    mark('dest'), sh`if [ -d ${dest} ]; then stat -L -c '%u %g %U %G %a %s' -- ${dest}; fi`,
  ].join('\n'))).stdout);
  if ((pre.get('creates') ?? '').trim() === 'yes') return { steps: [], skipped: `skipped, since ${creates} exists` };
  let data: Buffer | undefined;
  if (!remote) {
    if (src.includes('://')) return { steps: [], failed: `unarchive: src ${src} is a URL; lvsplay fetches no URLs (download it with get_url first)` };
    let path: string;
    try {
      path = ctx.findFile('files', src);
    } catch {
      return { steps: [], failed: `Could not find or access '${src}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option` };
    }
    data = readControllerFile(path).data;
  } else if (src.includes('://')) return { steps: [], failed: `unarchive: a URL src (${src}) is not supported by lvsplay; download it with get_url first` };
  const destStat = (pre.get('dest') ?? '').trim();
  if (!destStat) return { steps: [], failed: `dest '${dest}' must be an existing dir` };
  // the controller's archive: uploaded to a temp directory on the host (removed by the plan)
  let tmp: string | undefined;
  if (data) {
    tmp = (await ctx.probe('t=$(mktemp -d) && cat > "$t/source" && echo "$t"', data)).stdout.trim();
    if (!tmp) throw new TaskError(`unarchive: could not upload ${src} to ${ctx.host}`);
    src = `${tmp}/source`;
  }
  const cleanup: Step[] = tmp ? [{ describe: `remove the uploaded archive ${src}`, cmd: sh`rm -rf -- ${tmp}` }] : [];
  const drop = async (): Promise<void> => void (tmp && (await ctx.probe(cleanup[0].cmd)));
  const o: ArchiveOpts = { src, dest, exclude, include, extraOpts: list(a.extra_opts), owner: str(a, 'owner'), group: str(a, 'group'), keepNewer: toBool(a, 'keep_newer', false) };
  const info = parseArchiveProbe((await ctx.probe(archiveProbe(o))).stdout);
  const failed = (msg: string): Plan => ({ steps: [], failed: msg });
  if (info.src !== 'ok') {
    await drop();
    if (info.src === 'missing') return failed(remote ? `Source '${src}' does not exist` : `Source '${src}' failed to transfer`);
    return failed(info.src === 'empty' ? `Invalid archive '${src}', the file is 0 bytes` : `Source '${src}' not readable`);
  }
  const zip = info.handler.startsWith('Zip');
  if (ctx.check && !zip) {
    await drop();
    return { steps: [], skipped: CHECK_SKIP };
  }
  if (!info.handler) {
    await drop();
    return failed(`Failed to find handler for "${src}". Make sure the required command to extract the file is installed.\n${info.reasons.join('\n')}`);
  }
  const [uid, gid, owner, group, mode, size] = destStat.split(' ');
  const result: Vars = { handler: info.handler, dest, src, uid: Number(uid), gid: Number(gid), owner, group, mode: mode.padStart(4, '0'), state: 'directory', size: Number(size) };
  const files = zip ? zipFiles(o, info.names) : tarFiles(o, info.list);
  if (toBool(a, 'list_files', false)) result.files = files;
  const flag = TAR_HANDLERS.find(([n]) => n === info.handler)?.[1] ?? '';
  let unarchived: boolean;
  let prepared = '';
  if (zip) {
    const entries = zipEntries(info.list);
    const c = zipCheck(info, entries, (await ctx.probe(zipStateProbe(dest, entries, o.owner, o.group))).stdout, info.crcs, { excludes: [...exclude], mode: a.mode, owner: o.owner, group: o.group, keepNewer: o.keepNewer });
    unarchived = c.unarchived;
    prepared = c.diff;
    if (prepared) result.diff = { prepared };
  } else {
    unarchived = tarDiffLines(info.diff, { uid: info.uid, owner: o.owner, group: o.group, mode: a.mode }).length === 0;
  }
  const diff = [{ path: dest, before: '', after: prepared || (unarchived ? '' : `unpack ${src} into ${dest}\n`) }];
  if (ctx.check) {
    await drop();
    return { steps: [], changed: !unarchived, diff: unarchived ? [] : diff, result };
  }
  // mode/owner/group of every member and top folder (Ansible sets them after unpacking)
  const targets = [...new Set([...files.map((f) => posix.join(dest, f)), ...files.filter((f) => f.includes('/')).map((f) => `${dest}/${f.split('/')[0]}`)])];
  const attrs = { mode: a.mode, owner: o.owner, group: o.group };
  const wantAttrs = attrs.mode !== undefined || attrs.owner !== undefined || attrs.group !== undefined;
  let attrFix: Step[] = [];
  if (wantAttrs) attrFix = unarchived ? attrSteps(targets, attrs, (await ctx.probe(attrProbe(targets))).stdout) : attrSteps(targets, attrs);
  if (unarchived && !attrFix.length) {
    await drop();
    return { steps: [], result };
  }
  const cmd = zip ? [info.unzip, ...unzipArgs(o)] : [info.tar, '--extract', '-C', dest, ...tarArgs(o, flag, 'extract')];
  const steps: Step[] = [];
  if (!unarchived) {
    const env = zip ? '' : 'LANG=C LC_ALL=C LC_MESSAGES=C LANGUAGE=C ';
    steps.push({
      describe: `unpack ${src} into ${dest} (${info.handler})`,
      cmd: [
        // out and err end with a dot: their own trailing newlines are kept
        `e=$(mktemp); o=$(mktemp); rc=0`,
        `(cd ${q(dest)} && ${env}${sh`${cmd}`}) >"$o" 2>"$e" || rc=$?`,
        `${mark('out')}; cat "$o"; echo .; ${mark('err')}; cat "$e"; echo .; rm -f "$e" "$o"; ${mark('rc')}; echo $rc`,
        '[ "$rc" -eq 0 ]',
      ].join('\n'),
    });
  }
  steps.push(...attrFix, ...cleanup);
  return {
    steps,
    changed: true,
    diff,
    result,
    after: (res: ExecResult) => {
      const s = sections(res.stdout);
      const extract = unarchived ? {} : { extract_results: { cmd, rc: Number((s.get('rc') ?? String(res.rc)).trim()), out: (s.get('out') ?? '.').slice(0, -1), err: (s.get('err') ?? '.').slice(0, -1) } };
      if (res.rc !== 0) {
        if (tmp) void ctx.probe(cleanup[0].cmd).catch(() => undefined);
        const why = s.has('rc') && (s.get('rc') ?? '').trim() !== '0' ? `failed to unpack ${src} to ${dest}` : `could not set the attributes of the files in ${dest}: ${res.stderr.trim()}`;
        throw new TaskError(why, { ...result, ...extract });
      }
      return extract;
    },
  };
}

export const unarchive: TaskModule = {
  name: 'unarchive',
  aliases: ['ansible.builtin.unarchive', 'ansible.legacy.unarchive'],
  schema,
  freeForm: 'kv',
  plan,
};
