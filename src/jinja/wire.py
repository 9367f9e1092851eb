# The wire between lvsplay and its Jinja2 engine process: length-prefixed JSON frames on two FIFOs,
# questions asked back to lvsplay in the middle of a render (ask), and mappings lvsplay lends by
# reference (LazyRef: hostvars and other lazily computed mappings, read key by key).
import json
import os
import select
import struct
import sys
from collections.abc import Mapping

RFD = WFD = -1
PIPES = ()
# what serves a request lvsplay sends while we wait for an answer (set by sidecar.py)
serve = None

# How many times a render reached outside its text and the variables sent with it: a question asked
# of lvsplay, a value of the moment (the time, randomness). A render that did not is pure: lvsplay
# may reuse its result for the same text and variables (src/jinja/engine.ts).
OUTSIDE = [0]


def outside():
    OUTSIDE[0] += 1


# How many times a render called a filter or test of ansible-core or of an installed collection: pure
# within a run, but its result may change when they are upgraded: lvsplay does not keep it between
# runs (src/jinja/kept.ts).
INSTALLED = [0]


def installed():
    INSTALLED[0] += 1


# How many times a render read a variable lvsplay sent with it marked as host data (unsafe): lvsplay
# then marks the render's result unsafe too, as if it had asked for the variable when it read it.
TAINTED = [0]

# Per render in progress (innermost last): the identifiers among its template's string constants,
# the attribute and key names it may read. Sent when the render reads a key of a lazy mapping, so
# lvsplay answers a lazy value (hostvars[host]) with those of its keys at once: one question per
# host instead of one per attribute.
WANT = []


# Set while Jinja2 compiles (`with compiling():`, in j2env's environments): what must run at render
# time refuses (j2plugins.at_render)
COMPILING = [0]


class NotWhileCompiling(Exception):
    """Raised by a filter or test called while Jinja2 compiles: Jinja2 then leaves the call to the render."""


class compiling:
    def __enter__(self):
        COMPILING[0] += 1

    def __exit__(self, *exc):
        COMPILING[0] -= 1


def make_pipes(inp, out):
    """The two FIFOs, in lvsplay's private (0700) directory: lvsplay waits for them to appear."""
    os.mkfifo(inp, 0o600)
    os.mkfifo(out, 0o600)


def open_pipes(inp, out):
    global RFD, WFD, PIPES
    PIPES = (inp, out)
    RFD = os.open(inp, os.O_RDONLY)
    WFD = os.open(out, os.O_WRONLY)


def write_frame(obj):
    body = json.dumps(obj, default=str).encode()
    os.write(WFD, struct.pack('>I', len(body)) + body)


def gone():
    """lvsplay closed its end (it ended, perhaps killed): the private FIFO directory goes with us."""
    d = os.path.dirname(PIPES[0]) if PIPES else ''
    if os.path.basename(d).startswith('lvsplay-j2-'):
        for p in PIPES:
            try:
                os.unlink(p)
            except OSError:
                pass
        try:
            os.rmdir(d)
        except OSError:
            pass
    sys.exit(0)


def waiting(seconds=0):
    """Whether lvsplay has written something (or closed its end) that read_frame would read, within `seconds`."""
    return bool(select.select([RFD], [], [], seconds)[0])


def read_frame():
    head = b''
    while len(head) < 4:
        chunk = os.read(RFD, 4 - len(head))
        if not chunk:
            gone()
        head += chunk
    size = struct.unpack('>I', head)[0]
    body = bytearray()
    while len(body) < size:
        chunk = os.read(RFD, size - len(body))
        if not chunk:
            gone()
        body += chunk
    return json.loads(body, object_hook=from_wire)


class LazyRef(Mapping):
    """A mapping lent by lvsplay by reference (hostvars): each key is asked for when it is read, but
    those lvsplay sent with it (preload) and, when it sent them, its keys."""

    def __init__(self, ref, keys=None):
        self.ref = ref
        self.cache = {}
        self.absent = set()
        self.tainted = set()
        self.keys_sent = keys

    def preload(self, pre):
        """Keys lvsplay answered up front ({key: {found, value, tainted}}): read later without a
        question; one marked as host data taints the render that reads it (TAINTED)."""
        for key, reply in pre.items():
            if reply.get('found'):
                self.cache[key] = reply['value']
                if reply.get('tainted'):
                    self.tainted.add(key)
            else:
                self.absent.add(key)

    def __getitem__(self, key):
        if key in self.cache:
            if key in self.tainted:
                TAINTED[0] += 1
            return self.cache[key]
        if key in self.absent:
            raise KeyError(key)
        question = {'op': 'get', 'ref': self.ref, 'key': key}
        if WANT and WANT[-1]:
            question['want'] = WANT[-1]
        reply = ask(question)
        if not reply.get('found'):
            raise KeyError(key)
        value = self.cache[key] = reply['value']
        if isinstance(value, LazyRef) and reply.get('pre'):
            value.preload(reply['pre'])
        return value

    def _keys(self):
        return self.keys_sent if self.keys_sent is not None else ask({'op': 'keys', 'ref': self.ref})

    def __iter__(self):
        return iter(self._keys())

    def __len__(self):
        return len(self._keys())

    def __repr__(self):
        # printed as the mapping it stands for ('{{ hostvars[host] }}'), as Ansible prints hostvars
        return repr({k: self[k] for k in self})

    __str__ = __repr__


def from_wire(d):
    if len(d) == 1:
        if '__lvs_ref' in d:
            return LazyRef(d['__lvs_ref'])
        if '__lvs_float' in d:
            return float(d['__lvs_float'])
    elif '__lvs_ref' in d and 'pre' in d and len(d) <= 3:
        # lent with what the render may read of it (src/jinja/bridge.ts `lend`)
        ref = LazyRef(d['__lvs_ref'], d.get('keys'))
        ref.preload(d['pre'])
        return ref
    return d


def to_json(value, undefined=()):
    """A value as JSON for lvsplay; `undefined`: the Undefined class, whose use fails."""
    if isinstance(value, undefined):
        value._fail_with_undefined_error()
    if isinstance(value, LazyRef):
        outside()  # a result holding a lent mapping is not a value lvsplay may reuse
        return {'__lvs_ref': value.ref}
    if isinstance(value, Mapping):
        return {str(k): to_json(v, undefined) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v, undefined) for v in value]
    if isinstance(value, float) and value.is_integer():
        return {'__lvs_float': value}  # JSON's 2.0 reads as the int 2 in JS
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, '__iter__'):
        return [to_json(v, undefined) for v in value]
    return str(value)


class LvsError(Exception):
    """An error raised on lvsplay's side while answering (a filter's failure, an undefined lazy variable)."""


# Set while a render is done aside (sidecar.aside: another host's render lvsplay may keep): it asks nothing.
ASIDE = [0]


class AsideAsks(Exception):
    """A render done aside would ask lvsplay something: it is left to that host's own render."""


def ask(obj):
    """One question to lvsplay; lvsplay may render nested templates (a lazy variable) before it answers."""
    outside()
    if ASIDE[0]:
        raise AsideAsks()
    write_frame(obj)
    while True:
        reply = read_frame()
        if 'op' in reply:
            serve(reply)  # a nested request (lvsplay renders a lazy variable) before its answer
            continue
        if 'error' in reply:
            raise LvsError(reply['error'])
        return reply.get('value')
