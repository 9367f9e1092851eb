// The `url` lookup: the content of URLs, fetched from the controller as Ansible 2.14's open_url
// fetches them — by Python's urllib in the engine process (src/jinja/j2lookups.py), the library
// Ansible's open_url is built on: proxies from the environment, certificate checks, basic auth
// (on challenge, or up front with force_basic_auth; ~/.netrc when no username), redirects, the
// User-Agent, lines split. Options: keywords, then ansible_lookup_url_* variables, then
// ANSIBLE_LOOKUP_URL_* environment variables, then Ansible's defaults. GSSAPI, a unix socket, a
// cipher list and unredirected headers are not supported: a task error names the option.
import { toBool } from '../bool.js';
import { urlLookup } from '../jinja/engine.js';
import type { Kw } from './filters-util.js';
import { ctxVar, lookupFailure, type LookupCtx, type Plugin } from './lookup-types.js';

const DEFAULTS: Kw = {
  validate_certs: true,
  split_lines: true,
  use_proxy: true,
  username: null,
  password: null,
  headers: {},
  force: false,
  timeout: 10,
  http_agent: 'ansible-httpget',
  force_basic_auth: false,
  follow_redirects: 'urllib2',
  use_gssapi: false,
  use_netrc: true,
  unix_socket: null,
  ca_path: null,
  unredirected_headers: null,
  ciphers: null,
};
/** Options Ansible also reads from ansible_lookup_url_NAME and ANSIBLE_LOOKUP_URL_NAME. */
const FROM_VARS = ['force', 'timeout', 'http_agent', 'force_basic_auth', 'follow_redirects', 'use_gssapi', 'use_netrc', 'unix_socket', 'ca_path', 'unredirected_headers', 'ciphers'];
const BOOLS = ['validate_certs', 'split_lines', 'use_proxy', 'force', 'force_basic_auth', 'use_gssapi', 'use_netrc'];
const UNSUPPORTED = ['use_gssapi', 'unix_socket', 'ciphers', 'unredirected_headers'];

function url(terms: unknown[], kw: Kw, ctx: LookupCtx): unknown[] {
  const o: Kw = { ...DEFAULTS };
  for (const name of FROM_VARS) {
    const env = process.env[`ANSIBLE_LOOKUP_URL_${name.toUpperCase()}`];
    if (env !== undefined) o[name] = env;
    o[name] = ctxVar(ctx, `ansible_lookup_url_${name}`, o[name]);
  }
  for (const [k, v] of Object.entries(kw)) {
    if (!(k in DEFAULTS)) throw lookupFailure(`Invalid option ${k} for the url lookup`, 'AnsibleError');
    o[k] = v;
  }
  for (const k of BOOLS) o[k] = toBool(o[k]);
  for (const k of UNSUPPORTED) {
    if (o[k] && !(Array.isArray(o[k]) && (o[k] as unknown[]).length === 0)) throw lookupFailure(`lvsplay's url lookup does not support the option ${k}`, 'AnsibleError');
  }
  const timeout = Number(o.timeout);
  if (!Number.isFinite(timeout)) throw lookupFailure(`timeout must be a number, got ${String(o.timeout)}`, 'AnsibleError');
  return urlLookup(terms.map(String), { ...o, timeout });
}

export const urlPlugins: Record<string, Plugin> = { url };
