// uri: an HTTP request FROM THE TARGET host (health checks of real servers, as keepalived does).
// Uses curl when the host has it (every option, and the request - url, headers, password, body -
// goes through curl's stdin config, never the command line); else wget or busybox wget (GET/POST
// only; headers and credentials then are on the target's command line).
// GET/HEAD run in the probe (1 exec, also in check mode); other methods are a step (not sent in
// check mode). Never "changed", as in Ansible.
import type { ExecResult, ModuleContext, Plan, TaskModule, Vars } from '../src/types.js';
import { TaskError } from '../src/errors.js';
import { q } from '../src/shell.js';
import { boolSchema, need, pick, str, toBool } from './lib/args.js';
import { mark, sections } from '../src/probe.js';
import { pyJsonDumps } from '../src/vars/pyjson.js';
import { pyJsonLoads } from '../src/vars/pyfloat.js';
import { isMapping, pyStr } from '../src/vars/pystr.js';

const schema = {
  type: 'object',
  description:
    'HTTP(S) request from the target host with curl, wget or busybox wget (whichever it has). Fails unless the status is in status_code. GET/HEAD: one exec, run in check mode too; never reports changed.',
  properties: {
    url: { type: 'string', description: 'http:// or https:// URL.' },
    method: { type: 'string', default: 'GET', description: 'HTTP method, any single word (upper-cased: GET, POST, PUT, PATCH, DELETE, OPTIONS, PURGE, ...). GET and HEAD are read in the probe; others are a step (not sent in check mode). wget: GET and POST only.' },
    status_code: {
      anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'array', items: { type: ['integer', 'string'] } }],
      default: 200,
      description: "Accepted status code(s): a number, a list, or a comma-separated string ('200, 201').",
    },
    return_content: boolSchema('Return the body as content (and json when it parses).', false),
    body: { description: 'Request body: a string, or data turned into JSON with body_format: json.' },
    body_format: { enum: ['raw', 'json', 'form-urlencoded'], default: 'raw', description: 'How body is encoded (json/form-urlencoded also set Content-Type).' },
    headers: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'Request headers (masked in output: they often carry tokens).' },
    timeout: { type: 'integer', minimum: 1, default: 30, description: 'Seconds for the whole request.' },
    url_username: { type: 'string', description: 'User for HTTP authentication (alias user).' },
    url_password: { type: 'string', description: 'Password for HTTP authentication (alias password; secret: masked everywhere).' },
    user: { type: 'string', description: 'Alias of url_username.' },
    password: { type: 'string', description: 'Alias of url_password.' },
    force_basic_auth: boolSchema('Send Basic credentials with the first request. false (Ansible\'s default): only in answer to a 401 challenge (curl --anyauth).', false),
    validate_certs: boolSchema('Verify TLS certificates.', true),
    follow_redirects: { enum: ['none', 'safe', 'all', 'yes', 'no', true, false], default: 'safe', description: 'Follow redirects (curl -L); none/no: do not.' },
  },
  required: ['url'],
  additionalProperties: false,
};

/** A value in curl's config syntax (double-quoted, backslash escapes). */
export function curlQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

interface Req {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeout: number;
  user?: string;
  password?: string;
  /** Credentials with the first request (force_basic_auth), else only when the server asks. */
  forceBasic?: boolean;
  insecure: boolean;
  follow: boolean;
}

export function curlConfig(r: Req): string {
  const c = [`url = ${curlQuote(r.url)}`, `request = ${curlQuote(r.method)}`, `max-time = ${r.timeout}`, 'silent', 'show-error'];
  if (r.method === 'HEAD') c.push('head');
  for (const [k, v] of Object.entries(r.headers)) c.push(`header = ${curlQuote(`${k}: ${v}`)}`);
  if (r.user !== undefined) c.push(`user = ${curlQuote(`${r.user}:${r.password ?? ''}`)}`, r.forceBasic === false ? 'anyauth' : 'basic');
  if (r.body !== undefined) c.push(`data-binary = ${curlQuote(r.body)}`);
  if (r.insecure) c.push('insecure');
  if (r.follow) c.push('location');
  return `${c.join('\n')}\n`;
}

export function uriScript(r: Req): string {
  const wgetArgs = [
    '-q',
    '-S',
    '-O',
    '"$lvs_b"',
    ...Object.entries(r.headers).flatMap(([k, v]) => ['--header', q(`${k}: ${v}`)]),
    ...(r.body !== undefined ? ['--post-data', q(r.body)] : []),
    ...(r.insecure ? ['--no-check-certificate'] : []),
    ...(r.user !== undefined && r.forceBasic ? ['--auth-no-challenge'] : []),
    q(r.user !== undefined ? r.url.replace('://', `://${encodeURIComponent(r.user)}:${encodeURIComponent(r.password ?? '')}@`) : r.url),
  ].join(' ');
  const wgetOk = r.method === 'GET' || r.method === 'POST';
  return [
    'lvs_b=$(mktemp); lvs_h=$(mktemp); lvs_hd=$(mktemp); trap \'rm -f "$lvs_b" "$lvs_h" "$lvs_hd"\' EXIT',
    // busybox wget 1.35 crashes with -T: bound the time with timeout(1) instead
    'lvs_to() { if command -v timeout >/dev/null 2>&1; then timeout "$@"; else shift; "$@"; fi; }',
    'if command -v curl >/dev/null 2>&1; then',
    `  lvs_w=$(curl -K - -o "$lvs_b" -D "$lvs_hd" -w '%{http_code} %{content_type}' 2>"$lvs_h"); lvs_rc=$?`,
    `  set -- $lvs_w; lvs_s=\${1:-0}; lvs_ct=\${2:-}; lvs_tool=curl`,
    wgetOk
      ? `elif command -v wget >/dev/null 2>&1 || busybox wget --help >/dev/null 2>&1; then\n  lvs_W=wget; command -v wget >/dev/null 2>&1 || lvs_W='busybox wget'\n  lvs_to ${r.timeout} $lvs_W ${wgetArgs} 2>"$lvs_h" </dev/null; lvs_rc=$?\n  lvs_s=$(grep -o 'HTTP/[0-9.]* [0-9][0-9][0-9]' "$lvs_h" | tail -n 1 | awk '{print $2}'); lvs_s=\${lvs_s:-0}\n  lvs_ct=$(grep -i '^ *content-type:' "$lvs_h" | tail -n 1 | sed 's/^[^:]*: *//' | tr -d '\\r'); lvs_tool=wget`
      : `elif false; then :`,
    `else echo ${q(`uri: the host has no curl${wgetOk ? ' nor wget' : ` (needed for ${r.method})`}`)} >&2; exit 2; fi`,
    mark('status'),
    'echo "$lvs_s $lvs_rc $lvs_tool"',
    mark('ctype'),
    'echo "$lvs_ct"',
    mark('headers'),
    '[ "$lvs_tool" = curl ] && cat "$lvs_hd" || sed -n "s/^  //p" "$lvs_h"',
    mark('err'),
    'grep -v "^ \\|^HTTP/" "$lvs_h" | tail -n 3',
    mark('content'),
    'cat "$lvs_b"',
  ].join('\n');
}

function interpret(res: ExecResult, r: Req, codes: number[], returnContent: boolean): Vars {
  const s = sections(res.stdout);
  if (!s.has('status')) throw new TaskError(`uri: ${(res.stderr || res.stdout).trim() || `exit code ${res.rc}`}`);
  const [st, rc, tool] = (s.get('status') ?? '').trim().split(/\s+/);
  const status = Number(st) || -1;
  const content = s.get('content') ?? '';
  const ctype = (s.get('ctype') ?? '').trim();
  // the last response's headers (after redirects and authentication), as Ansible's fields: lower case, '-' -> '_'
  const head = (s.get('headers') ?? '').split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b.trim())).pop() ?? '';
  const fields: Vars = {};
  for (const line of head.split(/\r?\n/).slice(1)) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(line);
    if (m) fields[m[1].toLowerCase().replace(/-/g, '_')] = m[2].trim();
  }
  const reason = /^HTTP\/\S+ \d+ ?(.*)$/m.exec(head)?.[1]?.trim() ?? '';
  const msg = status >= 400 ? `HTTP Error ${status}: ${reason}` : `OK (${fields.content_length ?? 'unknown'} bytes)`;
  const out: Vars = { ...fields, status, url: r.url, content_type: ctype || fields.content_type, tool, msg };
  // Ansible parses a JSON body (application/json, +json) whether or not return_content
  if (/^[^/]+\/([^;]*\+)?json\b/i.test(ctype)) {
    try {
      out.json = pyJsonLoads(content); // as Python's json.loads: 2.0 stays a float
    } catch {
      /* not JSON after all */
    }
  }
  if (returnContent) out.content = content;
  if (!codes.includes(status)) {
    const err = (s.get('err') ?? '').trim();
    const why = status === -1 ? `Request failed: ${err || `${tool} exit code ${rc}`}` : msg;
    throw new TaskError(`Status code was ${status} and not [${codes.join(', ')}]: ${why}`, out); // the body only with return_content, as Ansible
  }
  return out;
}

/** Python's urllib quote_plus: letters, digits and `_.-~` as they are, a space as `+`, the rest %XX of its UTF-8. */
function quotePlus(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * A body as Ansible's uri form-urlencodes it (form_urlencoded, urlencode with doseq): a mapping's
 * items or a list of pairs; a list value gives one field per element, None none; values as Python's
 * str() writes them (True, 2.0).
 */
function formUrlencoded(body: unknown): string {
  if (typeof body === 'string') return body;
  const pairs = isMapping(body) ? Object.entries(body) : Array.isArray(body) ? body.map((p) => (Array.isArray(p) ? [p[0], p[1]] : [p, undefined])) : undefined;
  if (!pairs) return pyStr(body);
  const out: string[] = [];
  for (const [k, values] of pairs) {
    const list = typeof values === 'string' || !(Array.isArray(values) || isMapping(values)) ? [values] : Array.isArray(values) ? values : Object.keys(values);
    for (const v of list) if (v !== null && v !== undefined) out.push(`${quotePlus(pyStr(k))}=${quotePlus(pyStr(v))}`);
  }
  return out.join('&');
}

async function plan(ctx: ModuleContext): Promise<Plan> {
  const a = ctx.args;
  const url = str(a, 'url')!;
  if (!/^https?:\/\//.test(url)) throw new TaskError(`uri: url must start with http:// or https://, got '${url}'`);
  const method = need(a, 'method').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) return { steps: [], failed: "Parameter 'method' needs to be a single word in uppercase, like GET or POST." };
  const headers: Record<string, string> = Object.fromEntries(Object.entries((a.headers as Vars | undefined) ?? {}).map(([k, v]) => [k, String(v)]));
  const fmt = need(a, 'body_format');
  let body: string | undefined;
  if (a.body !== undefined && a.body !== null) {
    if (fmt === 'json') {
      body = typeof a.body === 'string' ? a.body : pyJsonDumps(a.body); // Python's json.dumps, as Ansible sends it
      headers['Content-Type'] ??= 'application/json';
    } else if (fmt === 'form-urlencoded') {
      body = formUrlencoded(a.body);
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    } else body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  }
  const fr = a.follow_redirects;
  const r: Req = {
    url,
    method,
    headers,
    body,
    timeout: Number(a.timeout),
    user: str(a, 'url_username', 'user'),
    password: str(a, 'url_password', 'password'),
    forceBasic: toBool(a, 'force_basic_auth', false),
    insecure: !toBool(a, 'validate_certs', true),
    follow: !(fr === 'none' || fr === 'no' || fr === false),
  };
  const codes = (Array.isArray(a.status_code) ? a.status_code : String(a.status_code).split(',')).map((c) => Number(String(c).trim()));
  const rc = toBool(a, 'return_content', false);
  const script = uriScript(r);
  const stdin = curlConfig(r);
  if (method === 'GET' || method === 'HEAD') {
    const res = await ctx.probe(script, stdin);
    try {
      return { steps: [], result: interpret(res, r, codes, rc) };
    } catch (e) {
      if (e instanceof TaskError) return { steps: [], failed: e.message, result: e.result };
      throw e;
    }
  }
  // The step's script is joined under `set -e`: keep the curl/wget failure for interpret().
  return {
    steps: [{ describe: `${method} ${url}`, cmd: `set +e\n${script}`, stdin }],
    changed: false,
    result: { url, method },
    after: (res) => interpret(res, r, codes, rc),
  };
}

export const uri: TaskModule = {
  name: 'uri',
  aliases: ['ansible.builtin.uri', 'ansible.legacy.uri'],
  schema,
  secretArgs: ['url_password', 'password', 'headers'],
  plan,
};
