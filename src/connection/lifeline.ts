// A remote command dies with the channel that runs it: nothing lvsplay started on a host may
// change a file after lvsplay has gone. sshd does not help — it ignores "signal" requests (root
// sessions), and a command without a pty carries on when its channel or its connection closes.
//
// Exec channels: the channel's stdin is the command's lifeline. lvsplay never sends EOF on it while
// the command runs; EOF comes when lvsplay abandons the command (it ends the channel) or when the
// connection goes away (sshd closes the pipe). A small watcher, /bin/sh reading stdin, then sends
// SIGTERM to its process group — the command and everything it started: sshd made the session's
// shell a group leader, and under sudo the watcher runs as the target user (root), so the kill
// reaches what runs as root — and SIGKILL a second later. Plan scripts turn TERM (and HUP, INT,
// PIPE) into an exit, so their EXIT traps remove temp files (src/run/apply.ts). Background
// processes a command leaves behind when it ends are not touched (as with Ansible).
// - A command without input: `START_WATCHER & exec SHELL -c CMD` — the session's shell becomes the
//   command (its exit status or signal, $PPID, are what they were without the watcher; a `wait` in
//   it does not wait for the watcher). At EOF the watcher stops the group only while it still runs.
// - A command with input (N bytes: an upload, `stdin:`): `{ head -c N; START_WATCHER & } | exec
//   SHELL -c CMD` — `head` passes the input on, the watcher starts once it has (they read the same
//   pipe), and the command sees EOF.
//
// The persistent shell (sshshell.ts): its stdin carries the commands, so it is its own lifeline.
// Each command runs in the background (the shell goes back to reading, so it sees EOF at once);
// at EOF the shell's EXIT trap stops the process tree of the command in flight, if any.
//
// Cost per command: a /bin/sh in the background and the shell started once more (exec channel);
// `head` and a subshell more with input; none on the persistent shell. bench/execcost.ts.
import { q } from '../shell.js';

/** Seconds between SIGTERM and SIGKILL when a command is stopped. */
export const STOP_GRACE_S = 1;

const STOP_GROUP = `trap "" TERM; kill -TERM 0; sleep ${STOP_GRACE_S}; kill -KILL 0`;
const AWAIT_EOF = 'while read -r _; do :; done';

/**
 * The command line for an exec channel: `cmd` run by `shell` (the login shell's `$SHELL` when not
 * given; /bin/sh under sudo, as without the watcher) under the stdin watcher. `stdinBytes` bytes
 * of stdin are the command's input.
 */
export function lifelineCommand(cmd: string, stdinBytes: number, shell = '"${SHELL:-/bin/sh}"'): string {
  const watcher = `${AWAIT_EOF}; kill -0 "$1" 2>/dev/null || exit 0; ${STOP_GROUP}`;
  const startWatcher = `/bin/sh -c ${q(watcher)} lvsplay-lifeline $$ <&3 >/dev/null 2>&1 3<&- &`;
  if (stdinBytes === 0) return `exec 3<&0 </dev/null; ${startWatcher} exec ${shell} -c ${q(cmd)} 3<&-`;
  // the watcher starts once `head` has passed the input on (they read the same pipe); the shell's
  // own messages ("Terminated" when the command is killed) go nowhere, the command's stderr (fd 4) on
  return `exec 3<&0 </dev/null 4>&2 2>/dev/null; { head -c ${stdinBytes}; ${startWatcher} } <&3 | exec ${shell} -c ${q(cmd)} 2>&4 3<&- 4>&-`;
}

/**
 * Sent once to a new persistent shell: the EXIT trap that stops the process tree of the command
 * in flight at EOF (`ps`, else /proc), with SIGTERM, then SIGKILL a second later from the
 * background (the shell leaves at once; the channel closes once the stopped command has gone).
 */
export const SHELL_INIT =
  'lvsplay_p=; lvsplay_tree() { { ps -e -o pid= -o ppid= 2>/dev/null || ' +
  'for f in /proc/[0-9]*/stat; do read -r a b c d e < "$f" && echo "$a $d"; done 2>/dev/null; } | ' +
  `awk -v r="$1" '{ k[$2] = k[$2] " " $1 } END { n = 1; q[1] = r; while (n) { p = q[n--]; printf "%s ", p; m = split(k[p], c, " "); for (i = 1; i <= m; i++) q[++n] = c[i] } }'; }; ` +
  'lvsplay_stop() { [ -n "$lvsplay_p" ] || return 0; lvsplay_t=$(lvsplay_tree "$lvsplay_p"); kill -TERM $lvsplay_t 2>/dev/null; ' +
  `(sleep ${STOP_GRACE_S}; kill -KILL $lvsplay_t) </dev/null >/dev/null 2>&1 3>&- & }; ` +
  'trap lvsplay_stop EXIT\n';

/**
 * One command on the persistent shell, in the background: a subshell runs it with the login shell
 * and prints the end markers on stderr (fd 3) and stdout. The previous command's subshell (ended)
 * is reaped first, so its pid is not reused while it is still the one to stop.
 */
export function shellLine(cmd: string, marker: string): string {
  return (
    `wait "$lvsplay_p" 2>/dev/null; ((exec "\${SHELL:-/bin/sh}" -c ${q(cmd)} </dev/null 2>&3 3>&-); lvsplay_rc=$?; ` +
    `printf '\\n%s\\n' ${marker} >&3; printf '\\n%s %d\\n' ${marker} "$lvsplay_rc") & lvsplay_p=$!\n`
  );
}
