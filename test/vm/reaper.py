#!/usr/bin/env python3
"""Run daemons under a child subreaper that reaps every process orphaned below it.

    python3 test/vm/reaper.py CMD [ARG...] [-- CMD [ARG...]]...

Why: on machines whose PID 1 does not reap orphans promptly (a firecracker init here), the QEMU
processes libvirtd starts -- its capability probes run QEMU with -daemonize, and every VM's QEMU
leaves its parent -- become zombies of PID 1 when they exit. libvirtd then waits for each of them
to disappear (kill(pid, 0) every 200 ms until a timeout), which stalled every `vagrant up` after
"Updating domain definition" for ~2.5 minutes and made libvirt throw its capability cache away.
Run as a child subreaper (prctl PR_SET_CHILD_SUBREAPER), this process is the one orphans below it
are given to, and it reaps them at once. It exits when nothing is left below it.
"""
import ctypes
import os
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36


def main(argv):
    cmds, cur = [], []
    for a in argv:
        if a == "--":
            if cur:
                cmds.append(cur)
            cur = []
        else:
            cur.append(a)
    if cur:
        cmds.append(cur)
    if not cmds:
        sys.exit("usage: reaper.py CMD [ARG...] [-- CMD [ARG...]]...")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("reaper.py: prctl(PR_SET_CHILD_SUBREAPER) failed: %s" % os.strerror(ctypes.get_errno()))
    for cmd in cmds:
        subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return 0
        except InterruptedError:
            continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
