// What keepalived (2.2) accepts where, as far as `lvsplay check` cares: keywords per block (for
// "unknown keyword, did you mean" warnings), deprecated and removed keywords, and value sets.

const CHECKER_COMMON = [
  'connect_timeout', 'connect_port', 'connect_ip', 'bindto', 'bind_port', 'bind_if', 'fwmark',
  'retry', 'delay_before_retry', 'warmup', 'delay_loop', 'alpha', 'omega', 'log_all_failures',
  'dynamic',
];

export const BLOCK_KEYWORDS: Record<string, string[]> = {
  vrrp_instance: [
    'state', 'interface', 'virtual_router_id', 'priority', 'advert_int', 'authentication',
    'virtual_ipaddress', 'virtual_ipaddress_excluded', 'virtual_routes', 'virtual_rules',
    'track_interface', 'track_script', 'track_process', 'track_file', 'track_bfd', 'nopreempt',
    'preempt_delay', 'unicast_src_ip', 'unicast_peer', 'unicast_ttl', 'unicast_fault_no_peer',
    'notify', 'notify_master', 'notify_backup', 'notify_fault', 'notify_stop', 'notify_deleted',
    'notify_master_rx_lower_pri', 'smtp_alert', 'garp_master_delay', 'garp_master_repeat',
    'garp_lower_prio_delay', 'garp_lower_prio_repeat', 'garp_master_refresh',
    'garp_master_refresh_repeat', 'garp_interval', 'gna_interval', 'lvs_sync_daemon_interface',
    'mcast_src_ip', 'dont_track_primary', 'use_vmac', 'vmac_xmit_base', 'native_ipv6', 'version',
    'accept', 'no_accept', 'strict_mode', 'skip_check_adv_addr', 'check_unicast_src', 'debug',
    'kernel_rx_buf_size', 'linkbeat_use_polling', 'old_unicast_checksum', 'promote_secondaries',
    'down_timer_adverts', 'use_ipvlan', 'track_src_ip', 'vrrp_garp_interval',
  ],
  authentication: ['auth_type', 'auth_pass'],
  virtual_server: [
    'delay_loop', 'lvs_sched', 'lb_algo', 'lvs_method', 'lb_kind', 'persistence_timeout',
    'persistence_granularity', 'persistence_engine', 'protocol', 'ha_suspend', 'virtualhost',
    'alpha', 'omega', 'quorum', 'quorum_up', 'quorum_down', 'hysteresis', 'retry',
    'delay_before_retry', 'connect_timeout', 'warmup', 'sorry_server', 'sorry_server_inhibit',
    'sorry_server_lvs_method', 'real_server', 'inhibit_on_failure', 'ops', 'one_packet_scheduler',
    'mh-port', 'mh-fallback', 'sh-port', 'sh-fallback', 'flag-1', 'flag-2', 'flag-3', 'ip_family',
    'smtp_alert', 'lvs_timeouts', 'tunnel_encap',
  ],
  real_server: [
    'weight', 'inhibit_on_failure', 'notify_up', 'notify_down', 'uthreshold', 'lthreshold',
    'HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'SMTP_CHECK', 'DNS_CHECK', 'MISC_CHECK', 'BFD_CHECK',
    'UDP_CHECK', 'PING_CHECK', 'FILE_CHECK', 'lvs_method', 'alpha', 'omega', 'retry',
    'delay_before_retry', 'delay_loop', 'connect_timeout', 'warmup', 'smtp_alert', 'virtualhost',
    'tunnel_encap', 'tunnel_dst_port', 'tunnel_nocsum', 'tunnel_remcsum',
  ],
  HTTP_GET: [...CHECKER_COMMON, 'url', 'virtualhost', 'http_protocol', 'enable_sni', 'tls_compliant'],
  SSL_GET: [...CHECKER_COMMON, 'url', 'virtualhost', 'http_protocol', 'enable_sni', 'tls_compliant'],
  TCP_CHECK: [...CHECKER_COMMON],
  url: [
    'path', 'digest', 'status_code', 'virtualhost', 'regex', 'regex_no_match', 'regex_options',
    'regex_stack', 'regex_min_offset', 'regex_max_offset',
  ],
};

/** Keywords keepalived 2.x deprecates or removed, with what to write instead. */
export const DEPRECATED: Record<string, { instead?: string; why: string }> = {
  nb_get_retry: { instead: 'retry', why: "deprecated since keepalived 2.0.15; 'keepalived -t' reports it and exits non-zero" },
  nb_sock_retry: { instead: 'retry', why: 'deprecated since keepalived 2.0.15' },
  nat_mask: { why: "no longer a keepalived keyword ('Unknown keyword' in 2.x, 'keepalived -t' fails); delete it" },
};

export const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'mh', 'fo', 'ovf', 'twos'];
export const METHODS = ['NAT', 'DR', 'TUN'];
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
export const STATES = ['MASTER', 'BACKUP'];
export const AUTH_TYPES = ['PASS', 'AH'];
/** Blocks whose lines are values (addresses, routes), not keywords. */
export const VALUE_BLOCKS = new Set([
  'virtual_ipaddress', 'virtual_ipaddress_excluded', 'virtual_routes', 'virtual_rules',
  'unicast_peer', 'track_interface', 'track_script', 'track_process', 'track_file', 'track_bfd',
  'static_ipaddress', 'static_routes', 'static_rules', 'group', 'notification_email',
]);
