// The variables a connection is made from — every one that src/connection/index.ts reads. Kept
// beside it (and light: the run's connection pool keys its cache on them without loading ssh2).
/** Every variable createConnection reads (the pool key must name exactly the connection it opens). */
export const CONN_VARS = [
  'ansible_connection', 'ansible_host', 'ansible_ssh_host', 'ansible_port', 'ansible_ssh_port', 'ansible_user',
  'ansible_ssh_user', 'ansible_ssh_private_key_file', 'ansible_private_key_file', 'ansible_ssh_common_args',
  'ansible_ssh_extra_args', 'lvsplay_known_hosts', 'ansible_timeout', 'ansible_password', 'ansible_ssh_pass',
  'ansible_ssh_password', 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass',
] as const;

export type ConnVar = (typeof CONN_VARS)[number];

/** A connection variable of a host (typed: reading a variable missing from CONN_VARS does not compile). */
export function connVar(hostVars: Record<string, unknown>, name: ConnVar): unknown {
  return hostVars[name];
}
