# Jinja2 configured as Ansible 2.14 configures it, for lvsplay's engine process: trim_blocks, an
# Undefined that stays lazy through attribute access and fails when printed, iterated or tested
# (with the access path for the message), None printed as '', task arguments concatenated and read
# back as Python literals the way 2.14 does with jinja2_native off, backslashes in {{ }} strings
# counted once. Variables, and the filters/tests/lookups that are lvsplay's, are asked of lvsplay.
import ast
import datetime
import re
from collections.abc import Iterator, Mapping, MappingView, Sequence

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2.environment import TemplateExpression
from jinja2.nativetypes import NativeEnvironment, NativeTemplate
from jinja2.parser import Parser
from jinja2.runtime import Context
from jinja2.utils import missing

import j2cache
from j2plugins import TextResult, install, of_the_moment
from wire import TAINTED, WANT, LvsError, ask, compiling, outside, to_json as wire_json


def to_json(value):
    return wire_json(value, LazyUndefined)


class UndefinedVar(UndefinedError):
    """An undefined value was used: names the access path ('cfg.vipp') and the keys it could have meant."""

    def __init__(self, message, path, candidates, jinja):
        super().__init__(message)
        self.path = path
        self.candidates = candidates
        self.jinja = jinja  # Jinja2's own words ("'x' is undefined"), which Ansible's messages quote


# id(value) -> the access path it was reached by, for the names in undefined errors (one request at a
# time: sidecar.py empties it before each)
PATHS = {}


def remember(value, path):
    if isinstance(value, (Mapping, list, tuple, str)):  # strings too: an attribute of a string is a common mistake
        PATHS[id(value)] = path
    return value


class LazyUndefined(StrictUndefined):
    """Stays undefined through attribute and item access, fails when printed, iterated or tested for truth."""

    def _fail_with_undefined_error(self, *args, **kwargs):
        obj = self._undefined_obj
        if obj is missing:
            path, candidates, detail = self._undefined_name, None, ''
        else:
            key = self._undefined_name
            base = PATHS.get(id(obj))  # unknown for a container made inside the expression (map's items)
            path = (('%s.%s' if isinstance(key, str) else '%s[%r]') % (base, key)) if base else str(key)
            candidates = [str(k) for k in obj.keys()] if isinstance(obj, Mapping) else []
            detail = self._undefined_message
        raise UndefinedVar(detail, path, candidates, self._undefined_message)

    # StrictUndefined binds these to its own method object: point them at ours
    __iter__ = __str__ = __len__ = __eq__ = __ne__ = __bool__ = __hash__ = __contains__ = _fail_with_undefined_error
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _fail_with_undefined_error
    __lt__ = __le__ = __gt__ = __ge__ = __int__ = __float__ = __call__ = __mod__ = __rmod__ = _fail_with_undefined_error

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __repr__(self):  # as Ansible's AnsibleUndefined ('%r' | format(x), scripts look for it)
        return 'AnsibleUndefined(hint={0!r}, obj={1!r}, name={2!r})'.format(self._undefined_hint, self._undefined_obj, self._undefined_name)


# the variables of the renders in progress, answered up front (one frame per render; innermost last)
PREFETCHED = []


class prefetched:
    """The variables of a render: `given` when lvsplay sent them with the request (it knows the names
    from an earlier render of the same string, or from the precheck), else asked for at once; popped
    when the render ends (a context manager). `want`: the names the render may read as attributes
    (wire.WANT)."""

    __slots__ = ('names', 'given', 'want')

    def __init__(self, names, given=None, want=()):
        self.names = names
        self.given = given
        self.want = want

    def __enter__(self):
        PREFETCHED.append(self.given if self.given is not None else ask({'op': 'vars', 'names': self.names}) if self.names else {})
        WANT.append(self.want)

    def __exit__(self, *exc):
        PREFETCHED.pop()
        WANT.pop()


def answered(reply):
    """A variable's answer as sent with the request: one lvsplay marked as host data taints the render's result (wire.TAINTED)."""
    if reply.get('tainted'):
        TAINTED[0] += 1
    return reply


IDENTIFIER = re.compile(r'^[A-Za-z_][A-Za-z0-9_]{0,63}$')
WANT_MAX = 64


def wanted(code):
    """The identifiers among a compiled template's string constants (its attribute and key names among them), at most WANT_MAX."""
    out = []
    todo = [code]
    while todo and len(out) < WANT_MAX:
        c = todo.pop()
        for k in c.co_consts:
            if isinstance(k, str):
                if IDENTIFIER.match(k) and k not in out:
                    out.append(k)
            elif hasattr(k, 'co_consts'):
                todo.append(k)
    return tuple(out[:WANT_MAX])


class LvsContext(Context):
    def resolve_or_missing(self, key):
        if key in self.vars:
            return self.vars[key]
        reply = PREFETCHED[-1].get(key) if PREFETCHED else None
        if key in self.parent:
            # a global (now, range, lookup, ...): a variable of the same name shadows it, as in
            # Jinja2 and Ansible; asked only when the render's prefetch says there is one
            if reply is None or not (reply.get('found') or reply.get('deferred')):
                return self.parent[key]
        if reply is None or reply.get('deferred'):
            reply = ask({'op': 'var', 'name': key})
        if reply is None or not answered(reply).get('found'):
            return missing
        # lvsplay renders a variable's own templates before it answers (lazily, with its taint bookkeeping)
        return remember(reply['value'], key)


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
    return literal(out)


def literal(out):
    """Rendered text that looks like a list, dict or bool as that value (Ansible's eval concat), else the text."""
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


def fail_on_undefined(v):
    """An undefined value anywhere inside what is printed fails, as Ansible's finalize does
    (`{{ things | map(attribute='name') }}` with an item lacking 'name')."""
    if isinstance(v, Mapping):
        for x in v.values():
            fail_on_undefined(x)
    elif isinstance(v, Sequence) and not isinstance(v, (str, bytes)):
        for x in v:
            fail_on_undefined(x)
    elif isinstance(v, StrictUndefined):
        v._fail_with_undefined_error()


def unroll(v):
    """As Ansible's _unroll_iterator: an iterator, a dict view (`d.items()`) or a range printed is a list."""
    return list(v) if isinstance(v, (Iterator, MappingView, range)) else v


def finalize(v):
    if v is None:
        return ''
    v = unroll(v)
    fail_on_undefined(v)
    return v


class LvsTemplate(NativeTemplate):
    pass


class PathsKept:
    """Environment mixin: remembers how each container was reached, for the names in undefined errors;
    compiles with wire.COMPILING set (filters and tests that must run at render time refuse)."""

    def compile(self, *args, **kwargs):
        with compiling():
            return super().compile(*args, **kwargs)

    def getattr(self, obj, attribute):
        return self.reached(obj, attribute, super().getattr(obj, attribute))

    def getitem(self, obj, argument):
        return self.reached(obj, argument, super().getitem(obj, argument))

    @staticmethod
    def reached(obj, key, value):
        base = PATHS.get(id(obj))
        if base is not None and isinstance(key, (str, int)):
            remember(value, '%s.%s' % (base, key) if isinstance(key, str) else '%s[%d]' % (base, key))
        return value


class LvsEnvironment(PathsKept, NativeEnvironment):
    """Task arguments and expressions: values keep their Python types until concat decides."""

    context_class = LvsContext
    template_class = LvsTemplate
    concat = staticmethod(eval_concat)


LvsTemplate.environment_class = LvsEnvironment


class LvsTextEnvironment(PathsKept, Environment):
    """Template files: text, as the template module renders them (no reading back)."""

    context_class = LvsContext

    # include, import and extends read the controller's files: a render that loads one is not a
    # function of its text and variables alone (wire.outside: never reused)
    def get_template(self, *args, **kwargs):
        outside()
        return super().get_template(*args, **kwargs)

    def select_template(self, *args, **kwargs):
        outside()
        return super().select_template(*args, **kwargs)


env = LvsEnvironment(trim_blocks=True, undefined=LazyUndefined, finalize=finalize)
env.globals['dict'] = dict


def now(utc=False, fmt=None):
    """Ansible's `now()`: the controller's time (UTC with utc=True), a datetime or strftime(fmt) text."""
    t = datetime.datetime.utcnow() if utc else datetime.datetime.now()
    return t.strftime(fmt) if fmt else t


env.globals['now'] = of_the_moment(now)


def setup(msg):
    install(env, msg, to_json)


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


def render_arg(src, given=None):
    one = ONE_VAR.match(src)
    if one:
        name = one.group(1)
        if given is None:  # its variable, as the render below would ask for it
            given = ask({'op': 'vars', 'names': [name]})
        reply = given.get(name)
        if reply is None or reply.get('deferred'):
            reply = ask({'op': 'var', 'name': name})
        if reply and answered(reply).get('found'):
            value = reply['value']
            if value is None:
                return None
            if isinstance(value, (bool, int, float)):
                return value
    tpl, names, want = arg_template(src)
    with prefetched(names, given, want):
        res = tpl.render()
    if isinstance(res, str):
        missing_nl = trailing_newlines(src) - trailing_newlines(res)
        if missing_nl > 0:
            res += '\n' * missing_nl
    return res


expr_cache = {}


def eval_expr(expr, given=None):
    entry = expr_cache.get(expr)
    if entry is None:
        if len(expr_cache) > 5000:
            expr_cache.clear()
        names, code = j2cache.get(('e', expr)) or compile_expression(expr)
        tpl = LvsTemplate.from_code(env, code, env.make_globals(None))
        entry = expr_cache[expr] = (TemplateExpression(tpl, False), names, wanted(code))
    fn, names, want = entry
    with prefetched(names, given, want):
        return fn()


def parse_expression(expr):
    """An expression's tree; a syntax error is Jinja2's own."""
    try:
        parser = Parser(env, expr, state='variable')
        node = parser.parse_expression()
        if not parser.stream.eos:
            raise TemplateSyntaxError('chunk after expression', parser.stream.current.lineno, None, None)
    except TemplateSyntaxError:
        env.compile_expression(expr)  # raises the error as Jinja2 words it
        raise
    node.set_environment(env)
    return node


def expression_names(node):
    """The names an expression reads, as '{{ (expr) }}' reads them (the tree as the parse of that text is)."""
    return used_names(env, nodes.Template([nodes.Output([node], lineno=1)], lineno=1).set_environment(env))


def compile_expression(expr, node=None, names=None):
    """What Environment.compile_expression compiles (an assignment of the expression's value), as
    code that j2cache keeps; a syntax error is Jinja2's own, as is a filter or test it does not know."""
    if node is None:
        node = parse_expression(expr)
    if names is None:
        names = expression_names(node)
    body = [nodes.Assign(nodes.Name('result', 'store'), node, lineno=1)]
    entry = (names, env.compile(nodes.Template(body, lineno=1)))
    j2cache.put(('e', expr), entry)
    return entry


# Jinja2's statements that declare nothing (a template made of these and expressions reads every name
# it loads from its context), and the names its scoped statements provide
PLAIN_STATEMENTS = (nodes.Output, nodes.If)
SPECIAL_NAMES = frozenset(('loop', 'caller', 'super', 'self', 'varargs', 'kwargs'))


def used_names(tenv, src):
    """The variables a template reads from its context (Jinja2's own analysis), the names of globals
    too: a variable of that name shadows the global. `src`: the text or its parsed tree. A template
    of output and `if` only, loading no special name, reads exactly the names it loads: those,
    without Jinja2's analysis (it runs the code generator over the tree: most of a compile)."""
    try:
        tree = tenv.parse(src) if isinstance(src, str) else src
        loads = {n.name for n in tree.find_all(nodes.Name) if n.ctx == 'load'}
        shadowable = {n for n in loads if n in tenv.globals}
        if loads.isdisjoint(SPECIAL_NAMES) and all(isinstance(n, PLAIN_STATEMENTS) for n in tree.find_all(nodes.Stmt)) and all(n.ctx == 'load' for n in tree.find_all(nodes.Name)):
            return sorted(loads)
        return sorted(meta.find_undeclared_variables(tree) | shadowable)
    except TemplateSyntaxError:
        return []


# task-argument strings the precheck parsed (check): their tree and names, for their compile (once)
PARSED = {}


def compiled(tenv, src, kind):
    """The template, the names it reads and those it may read as attributes (wanted): compiled once per
    user (j2cache), parsed once here (or by its check)."""
    key = (kind, src)
    entry = j2cache.get(key)
    if entry is None:
        tree, names = (PARSED.pop(src, None) if tenv is env and kind == 'a' else None) or (None, None)
        if tree is None:
            tree = tenv.parse(src)
            names = used_names(tenv, tree)
        entry = (names, tenv.compile(tree))
        j2cache.put(key, entry)
    names, code = entry
    return tenv.template_class.from_code(tenv, code, tenv.make_globals(None)), names, wanted(code)


def arg_template(src):
    """A task argument's string compiled: (template, names, wanted), once per process."""
    entry = cache.get(src)
    if entry is None:
        if len(cache) > 5000:
            cache.clear()
        entry = cache[src] = compiled(env, double_backslashes(src), 'a')
    return entry


def precompile(src):
    """Compiles a task argument's string that parsed, as its first render would (kept by j2cache), if it is not yet."""
    if not ONE_VAR.match(src):
        arg_template(src)


def check(src, is_expr, whole=False):
    """Parses `src` (Jinja2's error if it does not) and returns the names its render will read: lvsplay
    sends their values with the string's first render (one question fewer). `whole`: a template
    file's text, parsed only (its render learns its names)."""
    key = ('c' + ('e' if is_expr else 'f' if whole else 'a'), src)
    names = j2cache.get(key)
    if names is not None:
        return names  # parsed in an earlier run
    if whole:
        env.parse(double_backslashes(src))
        names = []
    elif is_expr:
        entry = j2cache.get(('e', src))
        if entry is None:
            node = parse_expression(src)
            names = expression_names(node)
            try:
                compile_expression(src, node, names)  # for its render too
            except TemplateSyntaxError:
                pass  # a filter or test no one provides: not a syntax error; its render fails the task, as in Ansible
        else:
            names = entry[0]
    else:
        text = double_backslashes(src)
        tree = env.parse(text)
        names = used_names(env, tree)
        if len(PARSED) > 5000:
            PARSED.clear()
        PARSED[text] = (tree, names)  # for its compile (compiled)
    j2cache.put(key, names)
    return names
