# lvsplay's Jinja2 engine process (issue 17 prototype): Jinja2 itself, configured as Ansible 2.14
# configures it (trim_blocks, Undefined that stays lazy until printed or tested, None printed as
# '', the native-looking concat of task arguments), talking to lvsplay over two FIFOs with
# length-prefixed JSON frames. Variables, Ansible's filters/tests and lookups are asked of lvsplay
# on demand (one frame each), so the context stays lazy as in Ansible.
import ast
import json
import os
import struct
import sys
from collections.abc import Mapping

from jinja2 import StrictUndefined
import re

from jinja2.nativetypes import NativeEnvironment, NativeTemplate
from jinja2.runtime import Context
from jinja2.utils import missing

RFD = os.open(sys.argv[1], os.O_RDONLY)
WFD = os.open(sys.argv[2], os.O_WRONLY)


def read_frame():
    head = b''
    while len(head) < 4:
        chunk = os.read(RFD, 4 - len(head))
        if not chunk:
            sys.exit(0)
        head += chunk
    size = struct.unpack('>I', head)[0]
    body = bytearray()
    while len(body) < size:
        chunk = os.read(RFD, size - len(body))
        if not chunk:
            sys.exit(0)
        body += chunk
    return json.loads(body)


def to_json(value):
    if isinstance(value, StrictUndefined):
        value._fail_with_undefined_error()
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, '__iter__'):
        return [to_json(v) for v in value]
    return str(value)


def write_frame(obj):
    body = json.dumps(obj, default=str).encode()
    os.write(WFD, struct.pack('>I', len(body)) + body)


def ask(obj):
    write_frame(obj)
    reply = read_frame()
    if 'error' in reply:
        raise RuntimeError(reply['error'])
    return reply.get('value')


class LazyUndefined(StrictUndefined):
    """Stays undefined through attribute and item access, fails when printed, iterated or tested for truth."""

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self


class LvsContext(Context):
    def resolve_or_missing(self, key):
        if key in self.vars:
            return self.vars[key]
        if key in self.parent:
            return self.parent[key]
        reply = ask({'op': 'var', 'name': key})
        if reply is None or not reply.get('found'):
            return missing
        return template_value(reply['value'])


def template_value(value):
    """A variable's value as Ansible reads it: strings with markup are templates themselves."""
    if isinstance(value, str):
        if '{{' in value or '{%' in value or '{#' in value:
            return render_arg(value)
        return value
    if isinstance(value, list):
        return [template_value(v) for v in value]
    if isinstance(value, dict):
        return {k: template_value(v) for k, v in value.items()}
    return value


class JsonNames(ast.NodeTransformer):
    """JSON's true/false/null read as Python's constants, as Ansible reads rendered text back."""

    def visit_Name(self, node):
        if node.id in ('true', 'false', 'null'):
            return ast.copy_location(ast.Constant({'true': True, 'false': False, 'null': None}[node.id]), node)
        return node


def looks_literal(out):
    return out.startswith(('{', '[')) or out in ('True', 'False')


def eval_concat(nodes):
    nodes = list(nodes)
    if not nodes:
        return ''
    if len(nodes) == 1:
        out = nodes[0]
        if isinstance(out, TextResult):
            return str(out)
        out = text(out)
    else:
        out = ''.join(text(v) for v in nodes)
    if looks_literal(out):
        try:
            return ast.literal_eval(JsonNames().visit(ast.parse(out, mode='eval')))
        except (ValueError, SyntaxError, MemoryError):
            pass
    return out


def text(v):
    if isinstance(v, StrictUndefined):
        v._fail_with_undefined_error()
    return str(v)


class TextResult(str):
    """A text filter's result: never read back as a literal."""


def finalize(v):
    if isinstance(v, StrictUndefined):
        v._fail_with_undefined_error()
    if v is None:
        return ''
    if hasattr(v, '__next__'):
        return list(v)
    return v


TEXT_FILTERS = {'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'string', 'b64encode', 'b64decode', 'comment', 'quote', 'regex_escape'}


class LvsTemplate(NativeTemplate):
    pass


class LvsEnvironment(NativeEnvironment):
    context_class = LvsContext
    template_class = LvsTemplate
    concat = staticmethod(eval_concat)


LvsTemplate.environment_class = LvsEnvironment


env = LvsEnvironment(trim_blocks=True, undefined=LazyUndefined, finalize=finalize)
env.globals['dict'] = dict
JINJA_FILTERS = set(env.filters)
JINJA_TESTS = set(env.tests)


def remote_filter(name):
    def call(value, *args, **kw):
        result = ask({'op': 'filter', 'name': name, 'v': to_json(value), 'a': to_json(list(args)), 'kw': to_json(kw)})
        return TextResult(result) if name in TEXT_FILTERS and isinstance(result, str) else result
    return call


def remote_test(name):
    def call(value, *args, **kw):
        return bool(ask({'op': 'test', 'name': name, 'v': to_json(value), 'a': to_json(list(args)), 'kw': to_json(kw)}))
    return call


def remote_global(name):
    def call(*args, **kw):
        return ask({'op': 'global', 'name': name, 'a': to_json(list(args)), 'kw': to_json(kw)})
    return call


def text_result(fn):
    def call(*args, **kw):
        return TextResult(fn(*args, **kw))
    return call


def setup(msg):
    for name in msg.get('filters', []):
        if name not in JINJA_FILTERS:
            env.filters[name] = remote_filter(name)
    for name in list(env.filters):
        if name in TEXT_FILTERS and name in JINJA_FILTERS:
            env.filters[name] = text_result(env.filters[name])
    for name in list(env.filters):
        for prefix in ('ansible.builtin.', 'ansible.legacy.'):
            env.filters.setdefault(prefix + name, env.filters[name])
    for name in msg.get('tests', []):
        if name not in JINJA_TESTS:
            env.tests[name] = remote_test(name)
    for name in list(env.tests):
        for prefix in ('ansible.builtin.', 'ansible.legacy.'):
            env.tests.setdefault(prefix + name, env.tests[name])
    for name in msg.get('globals', []):
        env.globals[name] = remote_global(name)


cache = {}


ONE_VAR = re.compile(r'^{{\s*(\w+)\s*}}$')


def double_backslashes(src):
    """Backslashes inside {{ }} count once, as a playbook author writes them (Ansible's rule)."""
    if '\\' not in src or '{{' not in src:
        return src
    out = []
    inside = False
    for _, kind, value in env.lex(env.preprocess(src)):
        if kind == 'variable_begin':
            inside = True
        elif kind == 'variable_end':
            inside = False
        elif inside and kind == 'string':
            value = value.replace('\\', '\\\\')
        out.append(value)
    return ''.join(out)


def trailing_newlines(s):
    return len(s) - len(s.rstrip('\n'))


def render_arg(src):
    one = ONE_VAR.match(src)
    if one:
        reply = ask({'op': 'var', 'name': one.group(1)})
        if reply and reply.get('found'):
            value = reply['value']
            if value is None:
                return None
            if isinstance(value, (bool, int, float)):
                return value
    tpl = cache.get(src)
    if tpl is None:
        tpl = cache[src] = env.from_string(double_backslashes(src))
    res = tpl.render()
    if isinstance(res, str):
        missing_nl = trailing_newlines(src) - trailing_newlines(res)
        if missing_nl > 0:
            res += '\n' * missing_nl
    return res


def main():
    while True:
        msg = read_frame()
        op = msg['op']
        if op == 'setup':
            setup(msg)
            write_frame({'op': 'ok'})
            continue
        try:
            if op == 'render':
                value = render_arg(msg['src'])
            else:
                raise ValueError('unknown op ' + op)
            write_frame({'op': 'done', 'value': to_json(value)})
        except Exception as e:  # every failure goes back to lvsplay with its kind
            write_frame({'op': 'error', 'kind': type(e).__name__, 'msg': str(e).split('\n')[0]})


main()
