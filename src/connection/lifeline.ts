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
// - A command without input: the watcher runs in the background, the session's shell becomes the
//   command (`exec`: its exit status or signal, and $PPID, are what they were without the watcher).
//   At EOF the watcher stops the group only while the command still runs.
// - A command with input (N bytes: an upload, `stdin:`): the watcher passes the first N bytes on
//   through a pipe, closes it (the command sees EOF), then waits for EOF on the channel; the
//   command's end stops the watcher. `/bin/sh -c WATCHER | { read pid; SHELL -c CMD; kill pid }`.
//
// The persistent shell (sshshell.ts): its stdin carries the commands, so it is its own lifeline.
// Each command runs in the background in a session of its own (setsid); at EOF the shell's EXIT
// trap stops the command in flight, if any. After a command's end markers, lvsplay disarms it.
//
// Cost: one more /bin/sh and a subshell per exec channel; setsid and a /bin/sh per command on the
// persistent shell (measured in the README section "Interrupted runs ...").
import { q } from '../shell.js';

/** Seconds between SIGTERM and SIGKILL when a command is stopped. */
export const STOP_GRACE_S = 1;

const STOP_GROUP = `trap "" TERM; kill -TERM 0; sleep ${STOP_GRACE_S}; kill -KILL 0`;
const AWAIT_EOF = 'while read -r _; do :; done';

/**
 * The command line for an exec channel: `cmd` run by `shell` (the login shell's `$SHELL` when
 * not given) under the stdin watcher. `stdinBytes` bytes of stdin are the command's input.
 */
export function lifelineCommand(cmd: string, stdinBytes: number, shell = '"${SHELL:-/bin/sh}"'): string {
  if (stdinBytes === 0) {
    const watcher = `${AWAIT_EOF}; kill -0 "$1" 2>/dev/null || exit 0; ${STOP_GROUP}`;
    return `exec 3<&0 </dev/null; /bin/sh -c ${q(watcher)} lvsplay-lifeline $$ <&3 >/dev/null 2>&1 3<&- & exec ${shell} -c ${q(cmd)} 3<&-`;
  }
  // the watcher leaves quietly when the command's end stops it (TERM); the shells' own messages
  // ("Terminated": dash writes them with the command's redirections still in place, hence the
  // subshell) go nowhere, the command's stderr to the channel (fd 4)
  const watcher = `trap 'exit 0' TERM; echo $$; head -c ${stdinBytes}; exec >&-; ${AWAIT_EOF}; ${STOP_GROUP}`;
  return (
    `exec 4>&2; /bin/sh -c ${q(watcher)} lvsplay-lifeline 2>/dev/null | ` +
    `{ read -r lvsplay_w; (exec ${shell} -c ${q(cmd)} 2>&4 4>&-); lvsplay_rc=$?; kill "$lvsplay_w"; exit "$lvsplay_rc"; } 2>/dev/null`
  );
}

/** Sent once to a new persistent shell: the EXIT trap that stops the command in flight at EOF. */
export const SHELL_INIT =
  'lvsplay_p=; command -v setsid >/dev/null 2>&1 || setsid() { "$@"; }; ' +
  'lvsplay_stop() { [ -n "$lvsplay_p" ] || return 0; ' +
  'kill -TERM -"$lvsplay_p" 2>/dev/null || kill -TERM "$lvsplay_p" 2>/dev/null; ' +
  // SIGKILL later from the background: the shell leaves now, the channel closes once the stopped command has gone
  `(sleep ${STOP_GRACE_S}; kill -KILL -"$lvsplay_p" 2>/dev/null || kill -KILL "$lvsplay_p" 2>/dev/null) </dev/null >/dev/null 2>&1 3>&- & }; ` +
  'trap lvsplay_stop EXIT\n';

/**
 * One command on the persistent shell: run by the login shell in its own session, in the
 * background (the shell goes back to reading its stdin, so it sees EOF at once); the session's
 * leader prints the end markers on stderr (fd 3) and stdout.
 */
export function shellLine(cmd: string, marker: string): string {
  const leader = `(exec "$0" -c "$1" </dev/null 2>&3 3>&-); lvsplay_rc=$?; printf '\\n%s\\n' "$2" >&3; printf '\\n%s %d\\n' "$2" "$lvsplay_rc"`;
  return `setsid /bin/sh -c ${q(leader)} "\${SHELL:-/bin/sh}" ${q(cmd)} ${marker} & lvsplay_p=$!\n`;
}

/** Sent after a command's end markers: reap it and forget it (its leftovers are not stopped at EOF). */
export const SHELL_DISARM = 'wait "$lvsplay_p" 2>/dev/null; lvsplay_p=\n';
