# lvs_firewall: open VRRP and service ports in the host firewall that is ACTIVE, if any; never
# enables a firewall that is off, never removes or reorders the user's rules. Idempotent: each
# rule is queried first and only added when missing. Run by /bin/sh (dash-compatible).
# Environment (from roles/lvs_firewall/tasks/main.yml):
#   LVS_FW_PORTS      "PORT/PROTO ..." to accept (e.g. "80/tcp")
#   LVS_FW_VRRP       1 = accept VRRP (IP protocol 112)
#   LVS_FW_VRRP_DEST  its destination (224.0.0.18, keepalived's multicast group); empty = any (unicast)
#   LVS_FW_ZONE       firewalld zone; empty = the zone of LVS_FW_IFACE, else the default zone
#   LVS_FW_IFACE      the cluster interface
#   LVS_FW_CHECK      1 = check mode: report what would change, change nothing
# Output: "lvsplay-fw: firewall: NAME" (none, firewalld, ufw, nftables), then one
# "lvsplay-fw: changed: ..." line per rule added (or that would be added in check mode).
set -u
check=${LVS_FW_CHECK:-0}
ports=${LVS_FW_PORTS:-}
vrrp=${LVS_FW_VRRP:-0}
dest=${LVS_FW_VRRP_DEST:-}
changed() { echo "lvsplay-fw: changed: $*"; }
# Run a changing command unless in check mode; stop on failure.
apply() {
  [ "$check" = 1 ] && return 0
  out=$("$@" 2>&1) || { echo "lvsplay-fw: failed: $* -> $out" >&2; exit 1; }
}

# firewalld (RHEL family): runtime and permanent configuration of one zone.
if command -v firewall-cmd >/dev/null 2>&1 && firewall-cmd --state >/dev/null 2>&1; then
  echo "lvsplay-fw: firewall: firewalld"
  zone=${LVS_FW_ZONE:-}
  if [ -z "$zone" ] && [ -n "${LVS_FW_IFACE:-}" ]; then zone=$(firewall-cmd --get-zone-of-interface="$LVS_FW_IFACE" 2>/dev/null) || zone=; fi
  [ "$zone" != "no zone" ] || zone=
  [ -n "$zone" ] || zone=$(firewall-cmd --get-default-zone) || exit 1
  fwd() { # fwd KIND VALUE: --query-KIND / --add-KIND, runtime then permanent
    for perm in "" --permanent; do
      if ! firewall-cmd $perm --zone="$zone" "--query-$1=$2" >/dev/null 2>&1; then
        changed "firewalld zone $zone${perm:+ (permanent)}: $1 $2"
        apply firewall-cmd $perm --zone="$zone" "--add-$1=$2"
      fi
    done
  }
  if [ "$vrrp" = 1 ]; then
    fwd rich-rule "rule family=\"ipv4\" ${dest:+destination address=\"$dest\" }protocol value=\"vrrp\" accept"
  fi
  for p in $ports; do fwd port "$p"; done
  exit 0
fi

# ufw (Debian/Ubuntu): ports as user rules; VRRP (which ufw's rule syntax cannot name) in before.rules.
if command -v ufw >/dev/null 2>&1 && ufw status 2>/dev/null | grep -q '^Status: active'; then
  echo "lvsplay-fw: firewall: ufw"
  reload=0
  if [ "$vrrp" = 1 ]; then
    f=/etc/ufw/before.rules
    line="-A ufw-before-input -p 112${dest:+ -d $dest} -j ACCEPT"
    if ! grep -qxF -- "$line" "$f"; then
      changed "ufw: $line in $f (then ufw reload)"
      if [ "$check" != 1 ]; then
        awk -v r="$line" '!done && $0 == "COMMIT" { print "# lvsplay (role lvs_firewall): VRRP for keepalived"; print r; done = 1 } { print }' "$f" >"$f.lvsplay-new" &&
          cat "$f.lvsplay-new" >"$f" && rm -f "$f.lvsplay-new" || exit 1
        reload=1
      fi
    fi
  fi
  for p in $ports; do
    if ! ufw show added 2>/dev/null | grep -qxF "ufw allow $p"; then
      changed "ufw allow $p"
      apply ufw allow "$p"
    fi
  done
  [ "$reload" = 0 ] || apply ufw reload
  exit 0
fi

# Plain nftables: accept rules inserted at the head of each filtering input base chain (ip/inet
# tables whose input chain drops: policy drop or a drop/reject rule). Runtime only.
if command -v nft >/dev/null 2>&1; then
  chains=$(nft list chains 2>/dev/null | awk '$1 == "table" { fam = $2; tbl = $3 } $1 == "chain" { ch = $2 }
    /hook input/ && (fam == "inet" || fam == "ip") { print fam, tbl, ch }')
  filtering=
  while read -r fam tbl ch; do
    [ -n "$fam" ] || continue
    nft list chain "$fam" "$tbl" "$ch" 2>/dev/null | grep -v 'comment "lvsplay-' | grep -Eq 'policy drop|[[:space:]](drop|reject)([[:space:]]|$)' &&
      filtering="$filtering$fam $tbl $ch
"
  done <<EOT
$chains
EOT
  if [ -z "$filtering" ]; then echo "lvsplay-fw: firewall: none"; exit 0; fi
  echo "lvsplay-fw: firewall: nftables"
  while read -r fam tbl ch; do
    [ -n "$fam" ] || continue
    have=$(nft list chain "$fam" "$tbl" "$ch")
    nftrule() { # nftrule TAG RULE...: insert unless the chain has a rule with comment "lvsplay-TAG"
      tag=$1; shift
      case "$have" in *"comment \"lvsplay-$tag\""*) return 0 ;; esac
      changed "nftables $fam $tbl $ch: $* (lvsplay-$tag)"
      apply nft insert rule "$fam" "$tbl" "$ch" "$@" comment "\"lvsplay-$tag\""
    }
    [ "$vrrp" != 1 ] || nftrule vrrp ip protocol 112 ${dest:+ip daddr "$dest"} accept
    for p in $ports; do nftrule "${p%/*}-${p#*/}" "${p#*/}" dport "${p%/*}" accept; done
  done <<EOT
$filtering
EOT
  exit 0
fi
echo "lvsplay-fw: firewall: none"
