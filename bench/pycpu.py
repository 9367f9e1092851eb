#!/usr/bin/python3
# LVSPLAY_PYTHON for benchmarks (bench/site-ab.sh): runs lvsplay's Jinja2 engine process and, when
# it ends (lvsplay closes its pipes, or SIGTERM), appends its CPU time "user sys" in seconds to
# $LVSPLAY_PYCPU_FILE: the engine is not a waited-for child of lvsplay, so time(1) does not count it.
import os
import resource
import runpy
import signal
import sys


def report(*_):
    r = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ['LVSPLAY_PYCPU_FILE'], 'a') as f:
        f.write('%.3f %.3f\n' % (r.ru_utime, r.ru_stime))
    os._exit(0)


signal.signal(signal.SIGTERM, report)
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(script))
try:
    runpy.run_path(script, run_name='__main__')
finally:
    report()
