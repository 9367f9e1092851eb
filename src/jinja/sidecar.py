# lvsplay's Jinja2 engine process (issue 17; docs/templating.md): Jinja2 itself, configured as
# Ansible 2.14 configures it (j2env.py), serving lvsplay's requests over two FIFOs (wire.py).
# Started by src/jinja/bridge.ts: python3 sidecar.py IN_FIFO OUT_FIFO.
import collections
import sys

import wire

wire.make_pipes(sys.argv[1], sys.argv[2])  # here, not in lvsplay: a mkfifo process would cost its main thread ~6 ms

# Jinja2 first (the slow part of the start, overlapping lvsplay's own), then the pipes: lvsplay
# waits for them, and whatever failed is reported on them.
try:
    import jinja2
    if int(jinja2.__version__.split('.')[0]) < 3:
        raise ImportError('Jinja2 %s is too old' % jinja2.__version__)
    import j2cache
    import j2env
    import j2lookups
    import j2plugins
    import j2text
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
except ImportError as e:
    wire.open_pipes(sys.argv[1], sys.argv[2])
    wire.write_frame({'op': 'fatal', 'msg': '%s (Python %s) cannot use Jinja2: %s' % (sys.executable, sys.version.split()[0], e)})
    sys.exit(1)
j2cache.load()  # templates compiled by earlier runs, before lvsplay needs them
wire.open_pipes(sys.argv[1], sys.argv[2])

def error_frame(e):
    """A failure as lvsplay reads it: its kind, first line of message and template line."""
    if isinstance(e, j2env.UndefinedVar):
        return {'op': 'error', 'kind': 'undefined', 'msg': str(e), 'path': e.path, 'candidates': e.candidates, 'jinja': e.jinja, 'line': j2text.template_line(e)}
    if isinstance(e, j2lookups.LookupFailure):  # a lookup's message, whole (configparser's span lines)
        return {'op': 'error', 'kind': 'lookup', 'msg': str(e), 'cls': e.cls}
    if isinstance(e, j2plugins.FilterTypeFailure) and 'AnsibleUndefined' in str(e):  # as Ansible's templar: undefined
        return {'op': 'error', 'kind': 'undefined', 'msg': str(e), 'line': j2text.template_line(e)}
    if isinstance(e, j2plugins.FilterFailure):  # a filter's own failure: its text is Ansible's msg
        return {'op': 'error', 'kind': 'filter', 'msg': str(e), 'filter': getattr(e, 'filter', None), 'type': isinstance(e, j2plugins.FilterTypeFailure), 'line': j2text.template_line(e)}
    if isinstance(e, TemplateNotFound):  # include/import/extends of a file not on the search path: Ansible's words
        return {'op': 'error', 'kind': 'TemplateNotFound', 'msg': 'TemplateNotFound: %s' % e, 'line': j2text.template_line(e)}
    kind = 'undefined' if isinstance(e, UndefinedError) else 'syntax' if isinstance(e, TemplateSyntaxError) else 'lvsplay' if isinstance(e, wire.LvsError) else type(e).__name__
    return {'op': 'error', 'kind': kind, 'msg': str(e).split('\n')[0], 'line': j2text.template_line(e)}


# Strings that parsed at the precheck and are not compiled yet: compiled while lvsplay asks nothing
# (it connects to its hosts, gathers facts; `idle`), so that their first render finds them compiled.
UNCOMPILED = collections.deque()  # task arguments' strings
UNCOMPILED_FILES = collections.deque()  # template files' text, after the strings: one long compile each
IDLE_AFTER = 0.005  # seconds without a request before compiling


def check_many(items):
    """Parse many strings in one request (the load-time precheck): the names each one reads, or its error frame."""
    out = []
    for item in items:
        # a template file's text ('plain': rendered as it is, with the default options) or not
        src, is_expr, whole = item[0], item[1], item[2] if len(item) > 2 else False
        try:
            out.append(j2env.check(src, is_expr, bool(whole)))
            if whole == 'plain':  # (one with a header or options is compiled with them when rendered)
                UNCOMPILED_FILES.append(src)
            elif not whole and not is_expr:  # (an expression is compiled by its check)
                UNCOMPILED.append(src)
        except Exception as e:  # each string's own error, the others still checked
            out.append(error_frame(e))
    return out


def idle():
    """Compiles what the precheck parsed, one string at a time, until lvsplay sends something (not
    while it sends its requests one after the other: the precheck's batches, a task's renders)."""
    if not (UNCOMPILED or UNCOMPILED_FILES) or wire.waiting(IDLE_AFTER):
        return
    while (UNCOMPILED or UNCOMPILED_FILES) and not wire.waiting():
        try:
            if UNCOMPILED:
                j2env.precompile(UNCOMPILED.popleft())
            else:
                j2text.precompile(UNCOMPILED_FILES.popleft())
        except Exception:  # (its render reports it)
            pass


def aside(op, src, given):
    """A render ahead of the one that will use it (a string of the same task, for this host or another
    running it), for lvsplay to keep for that render: {value, tainted}, or None when it is not a pure
    render of these variables (it would ask lvsplay something, read the time, fail)."""
    if op not in ('arg', 'expr'):
        return None
    before, tainted, inst = wire.OUTSIDE[0], wire.TAINTED[0], wire.INSTALLED[0]
    wire.ASIDE[0] += 1
    try:
        value = REQUESTS[op]({'src': src, 'vars': given})
        out = {'value': j2env.to_json(value), 'tainted': wire.TAINTED[0] != tainted, 'kept': wire.INSTALLED[0] == inst}
    except Exception:  # its own render reports it
        return None
    finally:
        wire.ASIDE[0] -= 1
    return out if wire.OUTSIDE[0] == before else None


REQUESTS = {
    'arg': lambda m: j2env.render_arg(m['src'], m.get('vars')),
    'expr': lambda m: j2env.eval_expr(m['src'], m.get('vars')),
    'checks': lambda m: check_many(m['items']),
    'text': j2text.render_text,
    'ini': j2lookups.ini,
    'csvfile': j2lookups.csvfile,
    'url': j2lookups.url,
    'varnames': j2lookups.varnames,
    'ansible_lookup_find': j2lookups.ansible_lookup_find,
    'ansible_lookup': j2lookups.ansible_lookup,
    'save': lambda m: j2cache.save(),  # lvsplay ends: keep what this run compiled
}


def serve(msg):
    op = msg['op']
    if op == 'setup':
        j2env.setup(msg)
        # what lvsplay keeps of pure renders between runs is this engine's (src/jinja/kept.ts)
        wire.write_frame({'op': 'done', 'value': {'engine': j2cache.fingerprint()}})
        return
    try:
        if op not in REQUESTS:
            raise ValueError('unknown request ' + op)
        before, tainted, inst = wire.OUTSIDE[0], wire.TAINTED[0], wire.INSTALLED[0]
        value = REQUESTS[op](msg)
        done = {'op': 'done', 'value': j2env.to_json(value)}
        if wire.TAINTED[0] != tainted:
            done['tainted'] = True  # it read host data lvsplay sent with it
        if op == 'text' and msg.get('vars') is None and 'learned' in msg:
            done['names'] = list(msg['learned'])  # sent with its next render (none to ask for: no question told them)
        # a render of a task argument, expression or template file that read only its text and the
        # variables sent with it
        if op in ('arg', 'expr', 'text') and msg.get('vars') is not None and wire.OUTSIDE[0] == before:
            done['pure'] = True
            if wire.INSTALLED[0] == inst:
                done['kept'] = True  # nor called an installed plugin: lvsplay may keep it between runs
            if msg.get('also'):
                done['also'] = [aside(a['op'], a['src'], a['vars']) for a in msg['also']]
        wire.write_frame(done)
    except Exception as e:  # every failure goes back to lvsplay with its kind and line
        wire.write_frame(error_frame(e))


wire.serve = serve
while True:
    idle()
    msg = wire.read_frame()
    j2env.PATHS.clear()  # the access paths are a request's own (for its errors' names): none kept across requests
    serve(msg)
