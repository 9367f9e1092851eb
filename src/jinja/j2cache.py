# Compiled templates kept between runs (issue 17: rendering speed). Parsing and compiling a template
# is most of the engine's work in a run (~100 distinct strings in site.yml, each parsed, analysed for
# the names it reads and compiled to Python code); a no-change re-run compiles the same strings
# again. This keeps, per user, what Jinja2's own compiler made of each string: the code object
# (Environment.compile, the same code Jinja2 caches in its BytecodeCache for loaded templates) and
# the names it reads, with marshal (Python's format for .pyc files).
#
# Trust: the file is code the controller runs, as a .pyc is. It lives in lvsplay's cache directory
# (src/cache.ts: $LVSPLAY_CACHE_DIR, else $XDG_CACHE_HOME/lvsplay, else ~/.cache/lvsplay), in a
# `jinja2` directory made 0700, is written 0600 by an atomic rename, and is read only when it, its
# directory and the cache directory belong to this user and no one else can write them. Its name
# carries a fingerprint of the engine's sources, Jinja2's and Python's versions: any change to those
# starts a new file. LVSPLAY_NO_CACHE=1 turns it off, as lvsplay's other caches.
import hashlib
import marshal
import os
import stat
import sys
import tempfile
import time

import jinja2

# key -> (names, code): key is (kind, src); kind: 'a' a task argument, 'e' an expression, 't...' a
# template file under its environment's options, 'c' + 'a'/'e' a string known to parse
STORE = {}
USED = set()
MAX_BYTES = 16 << 20
KEEP = 4000  # entries (~1 KB each); above it only what this run used is written back: the file stays a few MB
state = {'dirty': False, 'path': None}
STALE_SECONDS = 7 * 24 * 3600


def enabled():
    return not os.environ.get('LVSPLAY_NO_CACHE')


def fingerprint():
    if state.get('fp'):
        return state['fp']
    h = hashlib.sha256()
    h.update(sys.version.encode())
    h.update(jinja2.__version__.encode())
    here = os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(here)):
        if name.endswith('.py'):
            with open(os.path.join(here, name), 'rb') as f:
                h.update(name.encode() + b'\0' + f.read())
    state['fp'] = h.hexdigest()[:16]
    return state['fp']


def directory():
    base = os.environ.get('LVSPLAY_CACHE_DIR') or os.path.join(os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache'), 'lvsplay')
    return os.path.join(base, 'jinja2')


def trusted_dir(d):
    """The cache's directory and the one above it belong to this user and only they can write them."""
    for p in (d, os.path.dirname(d)):
        st = os.lstat(p)
        if not stat.S_ISDIR(st.st_mode) or not trusted(st):
            return False
    return True


def trusted(st):
    """Belongs to this user and no one else can write it."""
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load():
    if not enabled():
        return
    try:
        d = directory()
        path = state['path'] = os.path.join(d, '%s.marshal' % fingerprint())
        if not trusted_dir(d):
            state['path'] = None  # a directory others can write: neither read nor written
            return
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not trusted(st) or st.st_size > MAX_BYTES:
            return
        with os.fdopen(fd, 'rb') as f:
            fd = -1
            data = marshal.loads(f.read())
        if isinstance(data, dict):
            STORE.update(data)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # unreadable or from another format: compiled again and rewritten
    finally:
        if fd >= 0:
            os.close(fd)


def get(key):
    entry = STORE.get(key)
    if entry is not None:
        USED.add(key)
    return entry


def put(key, entry):
    STORE[key] = entry
    USED.add(key)
    state['dirty'] = True


def save():
    """Writes the store back if this run compiled anything new (at the engine's end)."""
    path = state['path']
    if not state['dirty'] or not path or not enabled():
        return
    state['dirty'] = False
    keep = STORE if len(STORE) <= KEEP else {k: v for k, v in STORE.items() if k in USED}
    d = os.path.dirname(path)
    tmp = None
    try:
        os.makedirs(d, mode=0o700, exist_ok=True)
        if not trusted_dir(d):
            return
        data = marshal.dumps(keep)
        if len(data) > MAX_BYTES:
            return
        fd, tmp = tempfile.mkstemp(dir=d, prefix='.tmp-')  # 0600
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
        # files of other engine versions: gone once unused for a week (two lvsplay versions in use side
        # by side, each removing the other's file, would compile everything again at every run)
        for name in os.listdir(d):
            other = os.path.join(d, name)
            if name.endswith('.marshal') and name != os.path.basename(path) and os.stat(other).st_mtime < time.time() - STALE_SECONDS:
                os.unlink(other)
    except (OSError, ValueError):
        pass  # a cache only: the next run compiles again
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
