# The filters, tests and globals of lvsplay's Jinja2 engine besides Jinja2's own: most are
# lvsplay's (TypeScript), called back over the wire; the few whose results carry Python types that
# JSON loses (floats with integral values, tuples) are here. Jinja2's built-ins win a name clash, except where
# Ansible replaces them (random, unique: here).
import math
import ntpath
import functools
from collections.abc import Hashable, Iterator, Mapping, MappingView
import datetime
import os
import re
import string
import time
import uuid
import warnings
from urllib.parse import unquote_plus, urlparse
from random import Random, SystemRandom

from jinja2 import Undefined, pass_environment
from jinja2.filters import do_unique

from wire import COMPILING, NotWhileCompiling, ask, installed, outside

# filters whose result is text: never read back as a Python literal by the task-argument concat
TEXT_FILTERS = {'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'string', 'b64encode', 'b64decode', 'comment', 'quote', 'regex_escape'}


class FilterFailure(Exception):
    """A filter's own failure (Ansible's AnsibleFilterError): its text is the task's msg."""


class FilterTypeFailure(FilterFailure):
    """A filter given a value of the wrong type (Ansible's AnsibleFilterTypeError, a TypeError): when
    the value was undefined, Ansible reports an undefined variable (its templar reads the type's name)."""


def type_of(v):
    """type(v) as Ansible's messages print it; an undefined value is Ansible's AnsibleUndefined."""
    return "<class 'ansible.template.AnsibleUndefined'>" if isinstance(v, Undefined) else type(v)


class TextResult(str):
    """A text filter's result: never read back as a literal."""


def f_log(x, base=math.e):
    return math.log10(x) if base == 10 else math.log(x, base)


def f_pow(x, y):
    return math.pow(x, y)


def f_root(x, base=2):
    return math.sqrt(x) if base == 2 else math.pow(x, 1.0 / float(base))


def at_render(fn):
    """Called when the template renders, never while Jinja2 compiles it: Jinja2 calls a filter or test
    on constants at compile time and writes the result into the code ('{{ 1000000 | random }}') unless
    the call fails. Ansible compiles at every render; lvsplay keeps compiled code between runs
    (j2cache), where such a result would be the same at every run."""
    def call(*args, **kw):
        if COMPILING[0]:
            raise NotWhileCompiling(fn.__name__)
        return fn(*args, **kw)
    return functools.update_wrapper(call, fn)


def of_the_moment(fn):
    """A filter, test or global whose result is not a function of its arguments (time, randomness, the
    controller's files or environment): computed at every render, never reused (wire.outside)."""
    def call(*args, **kw):
        outside()
        return fn(*args, **kw)
    return at_render(functools.update_wrapper(call, fn))


def f_random(end, start=None, step=None, seed=None):
    # Ansible's random (it replaces Jinja2's): an int is the end of a range, a sequence is chosen from
    r = SystemRandom() if seed is None else Random(seed)
    if isinstance(end, int):
        return r.randrange(start or 0, end, step or 1)
    if hasattr(end, '__iter__'):
        if start or step:
            raise FilterFailure('start and step can only be used with integer values')
        return r.choice(end)
    raise FilterFailure('random can only be used on sequences and integers')


@pass_environment
def f_unique(environment, a, case_sensitive=None, attribute=None):
    # Ansible's unique (it replaces Jinja2's): Jinja2's, else (unhashable items) first occurrences kept
    try:
        return list(do_unique(environment, a, case_sensitive=bool(case_sensitive), attribute=attribute))
    except Exception:
        if case_sensitive is False or attribute:
            raise FilterFailure("Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied")
    out = []
    for x in a:
        if x not in out:
            out.append(x)
    return out


# Ansible's set filters: on two hashable values (strings, tuples) Python's set of them; otherwise
# the first occurrences, in order, of the items of a that are (not) in b — compared as Python
# compares (1 == 1.0 == True).
@pass_environment
def f_intersect(environment, a, b):
    if isinstance(a, Hashable) and isinstance(b, Hashable):
        return set(a) & set(b)
    return f_unique(environment, [x for x in a if x in b], True)


@pass_environment
def f_difference(environment, a, b):
    if isinstance(a, Hashable) and isinstance(b, Hashable):
        return set(a) - set(b)
    return f_unique(environment, [x for x in a if x not in b], True)


@pass_environment
def f_union(environment, a, b):
    if isinstance(a, Hashable) and isinstance(b, Hashable):
        return set(a) | set(b)
    return f_unique(environment, a + b, True)


@pass_environment
def f_symmetric_difference(environment, a, b):
    if isinstance(a, Hashable) and isinstance(b, Hashable):
        return set(a) ^ set(b)
    both = f_intersect(environment, a, b)
    return [x for x in f_union(environment, a, b) if x not in both]


@pass_environment
def f_extract(environment, item, container, morekeys=None):
    # Ansible's extract: Jinja2's item lookup key by key, so a missing key is undefined (default()
    # works) and hostvars are read lazily, never sent whole
    keys = [item] if morekeys is None else [item] + morekeys if isinstance(morekeys, list) else [item, morekeys]
    value = container
    for key in keys:
        value = environment.getitem(value, key)
    return value


# password_hash as Ansible 2.14 computes it where passlib is absent (Debian's default): the C
# library's crypt(3) through Python's crypt module. name -> (crypt id, salt size, implicit rounds, exact salt size)
CRYPT_ALGOS = {
    'md5_crypt': ('1', 8, None, False),
    'bcrypt': ('2b', 22, 12, True),
    'sha256_crypt': ('5', 16, 535000, False),
    'sha512_crypt': ('6', 16, 656000, False),
}
CRYPT_NAMES = {'md5': 'md5_crypt', 'blowfish': 'bcrypt', 'sha256': 'sha256_crypt', 'sha512': 'sha512_crypt'}
SALT_CHARS = string.ascii_letters + string.digits + './'


def f_password_hash(password, hashtype='sha512', salt=None, salt_size=None, rounds=None, ident=None):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        try:
            import crypt
        except ImportError as e:
            raise FilterFailure('Unable to encrypt nor hash, either crypt or passlib must be installed. %s' % e)
    algorithm = CRYPT_NAMES.get(hashtype, hashtype)
    if algorithm not in CRYPT_ALGOS:
        raise FilterFailure("crypt.crypt does not support '%s' algorithm" % algorithm)
    crypt_id, size, implicit_rounds, exact = CRYPT_ALGOS[algorithm]
    salt = salt or ''.join(SystemRandom().choice(SALT_CHARS) for _ in range(salt_size or size))
    if re.search(r'[^./0-9A-Za-z]', salt):
        raise FilterFailure('invalid characters in salt')
    if (exact and len(salt) != size) or (not exact and len(salt) > size):
        raise FilterFailure('invalid salt size')
    if rounds == implicit_rounds:
        rounds = None  # as passlib: the implicit number of rounds is not written
    ident = crypt_id if not ident else ident if algorithm == 'bcrypt' else None
    setting = ('$%s' % ident if ident else '') + ('$rounds=%d' % rounds if rounds else '') + '$' + salt
    try:
        result = crypt.crypt(to_str(password), setting)
    except OSError:
        result = None
    if not result:
        raise FilterFailure("crypt.crypt does not support '%s' algorithm" % algorithm)
    return result


def to_str(v):
    return v if isinstance(v, str) else str(v)


# Ansible filters whose results carry Python types JSON cannot (floats with integral values, tuples),
# those by which Ansible replaces Jinja2's own (random, unique), and those that need Jinja2's lookup (extract)
def f_bool(a):
    """Ansible 2.14's `bool` filter (to_bool): None and booleans as they are; 'yes', 'on', '1', 'true' (any case) and 1 are true, all else false."""
    if a is None or isinstance(a, bool):
        return a
    if isinstance(a, str):
        a = a.lower()
    return a in ('yes', 'on', '1', 'true', 1)


def f_strftime(string_format, second=None, utc=False):
    """Ansible's strftime: the controller's time (or epoch `second`), local or UTC."""
    if second is not None:
        try:
            second = float(second)
        except Exception:
            raise FilterFailure('Invalid value for epoch value (%s)' % second)
    return time.strftime(string_format, (time.gmtime if utc else time.localtime)(second))


def f_regex_escape(value, re_type='python'):
    """Ansible's regex_escape: Python's re.escape, or the POSIX basic specials escaped."""
    value = to_str(value)
    if re_type == 'python':
        return TextResult(re.escape(value))
    if re_type == 'posix_basic':
        return TextResult(re.sub(r'([].[^*$])', r'\\\1', value))
    if re_type == 'posix_extended':
        raise FilterFailure('Regex type (%s) not yet implemented' % re_type)
    raise FilterFailure('Invalid regex type (%s)' % re_type)


def f_shuffle(mylist, seed=None):
    """Ansible's shuffle (randomize_list): Python's own shuffle, seeded as Ansible seeds it; what is no sequence comes back as it is."""
    try:
        mylist = list(mylist)
        if seed:
            Random(seed).shuffle(mylist)
        else:
            SystemRandom().shuffle(mylist)
    except Exception:
        pass
    return mylist


def f_to_uuid(string, namespace='361E6D51-FAEC-444A-9079-341386DA8E2E'):
    """Ansible's to_uuid: uuid5 in Ansible's namespace (or the one given)."""
    ns = namespace
    if not isinstance(ns, uuid.UUID):
        try:
            ns = uuid.UUID(namespace)
        except (AttributeError, ValueError) as e:
            raise FilterFailure("Invalid value '%s' for 'namespace': %s" % (namespace, e))
    return str(uuid.uuid5(ns, to_str(string)))


def f_mandatory(a, msg=None):
    """Ansible's mandatory: an undefined value fails with its name (or the message given)."""
    if isinstance(a, Undefined):
        if msg is not None:
            raise FilterFailure(str(msg))
        name = "'%s' " % a._undefined_name if a._undefined_name is not None else ''
        raise FilterFailure('Mandatory variable %s not defined.' % name)
    return a


def f_subelements(obj, subelements, skip_missing=False):
    """Ansible's subelements filter: (element, subvalue) tuples, with its messages."""
    if isinstance(obj, Mapping):
        elements = list(obj.values())
    elif isinstance(obj, list):
        elements = obj[:]
    else:
        raise FilterFailure('obj must be a list of dicts or a nested dict')
    if isinstance(subelements, list):
        keys = subelements[:]
    elif isinstance(subelements, str):
        keys = subelements.split('.')
    else:
        raise FilterTypeFailure('subelements must be a list or a string')
    out = []
    for element in elements:
        values = element
        for key in keys:
            try:
                values = values[key]
            except KeyError:
                if skip_missing:
                    values = []
                    break
                raise FilterFailure('could not find %r key in iterated item %r' % (key, values))
            except TypeError:
                raise FilterTypeFailure("the key %s should point to a dictionary, got '%s'" % (key, values))
        if not isinstance(values, list):
            raise FilterTypeFailure('the key %r should point to a list, got %r' % (key, values))
        out.extend((element, value) for value in values)
    return out


def f_dict2items(mydict, key_name='key', value_name='value'):
    """Ansible's dict2items, with its message."""
    if not isinstance(mydict, Mapping):
        raise FilterTypeFailure('dict2items requires a dictionary, got %s instead.' % type_of(mydict))
    return [{key_name: key, value_name: mydict[key]} for key in mydict]


def f_items2dict(mylist, key_name='key', value_name='value'):
    """Ansible's items2dict, with its messages."""
    if not isinstance(mylist, (list, tuple)):
        raise FilterTypeFailure('items2dict requires a list, got %s instead.' % type_of(mylist))
    try:
        return dict((item[key_name], item[value_name]) for item in mylist)
    except KeyError:
        raise FilterTypeFailure("items2dict requires each dictionary in the list to contain the keys '%s' and '%s', got %s instead." % (key_name, value_name, mylist))
    except TypeError:
        raise FilterTypeFailure('items2dict requires a list of dictionaries, got %s instead.' % mylist)


def f_path_join(paths):
    """Ansible's path_join: os.path.join of a string or of a sequence's members."""
    if isinstance(paths, str):
        return os.path.join(paths)
    if isinstance(paths, (list, tuple)):
        return os.path.join(*paths)
    raise FilterTypeFailure('|path_join expects string or sequence, got %s instead.' % type_of(paths))


def f_to_datetime(string, format='%Y-%m-%d %H:%M:%S'):
    """Ansible's to_datetime: a datetime (compared, subtracted: a timedelta) parsed with strptime."""
    return datetime.datetime.strptime(string, format)


def unicode_wrap(fn):
    """As Ansible's unicode_wrap: the function's text result as text, anything else as it is."""
    def call(*args, **kw):
        out = fn(*args, **kw)
        return out.decode('utf-8', 'surrogateescape') if isinstance(out, bytes) else out
    return functools.update_wrapper(call, fn)


def t_subset(a, b):
    return set(a) <= set(b)


def t_superset(a, b):
    return set(a) >= set(b)


def t_nan(x):
    try:
        return math.isnan(x)
    except TypeError:
        return False


def t_uri(value, schemes=None):
    """Ansible's uri test: what urlparse reads, with one of `schemes` if given."""
    try:
        x = urlparse(value)
        return all([x.scheme is not None, x.path is not None, not schemes or x.scheme in schemes])
    except Exception:
        return False


def t_url(value, schemes=None):
    if not t_uri(value, schemes):
        return False
    try:
        x = urlparse(value)
        return bool(x.netloc or x.scheme == 'file')
    except Exception:
        return False


def t_urn(value):
    return t_uri(value, ['urn'])


# Ansible 2.14's tests that Python answers (the paths ones read the controller's file system: of the moment)
PYTHON_TESTS = {'subset': t_subset, 'issubset': t_subset, 'superset': t_superset, 'issuperset': t_superset, 'nan': t_nan, 'isnan': t_nan,
                'uri': t_uri, 'url': t_url, 'urn': t_urn, 'link_exists': of_the_moment(os.path.lexists),
                'same_file': of_the_moment(os.path.samefile), 'is_same_file': of_the_moment(os.path.samefile)}

try:  # PyYAML, as Ansible's to_yaml/to_nice_yaml dump (python3-yaml; without it lvsplay's own JS filters serve)
    import yaml

    class YamlDumper(yaml.SafeDumper):
        """Ansible's AnsibleDumper for what reaches a filter: text subclasses as text, any mapping (hostvars) as a dict, an undefined value fails."""

    YamlDumper.add_multi_representer(str, yaml.representer.SafeRepresenter.represent_str)
    YamlDumper.add_multi_representer(Mapping, lambda d, m: d.represent_dict(dict(m)))
    YamlDumper.add_multi_representer(Undefined, lambda d, u: u._fail_with_undefined_error())
except ImportError:
    yaml = None


def f_to_yaml(a, *args, **kw):
    """Ansible's to_yaml: yaml.dump, flow style for collections of scalars unless default_flow_style says otherwise."""
    default_flow_style = kw.pop('default_flow_style', None)
    return TextResult(yaml.dump(a, Dumper=YamlDumper, allow_unicode=True, default_flow_style=default_flow_style, **kw))


def f_to_nice_yaml(a, indent=4, *args, **kw):
    """Ansible's to_nice_yaml: yaml.dump in block style, `indent` spaces (a list under its key is not indented, as PyYAML writes it)."""
    return TextResult(yaml.dump(a, Dumper=YamlDumper, indent=indent, allow_unicode=True, default_flow_style=False, **kw))


PYTHON_FILTERS = {'urldecode': unquote_plus, 'expandvars': of_the_moment(unicode_wrap(os.path.expandvars)), 'win_basename': unicode_wrap(ntpath.basename),
                  'win_dirname': unicode_wrap(ntpath.dirname), 'win_splitdrive': unicode_wrap(ntpath.splitdrive), 'path_join': f_path_join, 'dict2items': f_dict2items, 'items2dict': f_items2dict, 'subelements': f_subelements, 'mandatory': f_mandatory, 'to_uuid': f_to_uuid, 'shuffle': of_the_moment(f_shuffle), 'regex_escape': f_regex_escape, 'strftime': of_the_moment(f_strftime), 'to_datetime': f_to_datetime, 'bool': f_bool, 'log': f_log, 'pow': f_pow, 'root': f_root, 'splitext': os.path.splitext, 'random': of_the_moment(f_random), 'unique': f_unique, 'intersect': f_intersect, 'difference': f_difference, 'union': f_union, 'symmetric_difference': f_symmetric_difference, 'extract': f_extract, 'password_hash': of_the_moment(f_password_hash)}
if yaml is not None:
    PYTHON_FILTERS.update(to_yaml=f_to_yaml, to_nice_yaml=f_to_nice_yaml)


def remote_filter(name, to_json):
    @at_render  # lvsplay's filters: their code is not in j2cache's fingerprint
    def call(value, *args, **kw):
        if name == 'type_debug' and isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
            return type(value).__name__  # now() and its arithmetic: Python values lvsplay's side never sees
        result = ask({'op': 'filter', 'name': name, 'v': to_json(value), 'a': to_json(list(args)), 'kw': to_json(kw)})
        return TextResult(result) if name in TEXT_FILTERS and isinstance(result, str) else result
    return call


def remote_test(name, to_json):
    @at_render
    def call(value, *args, **kw):
        return bool(ask({'op': 'test', 'name': name, 'v': to_json(value), 'a': to_json(list(args)), 'kw': to_json(kw)}))
    return call


def remote_global(name, to_json):
    def call(*args, **kw):
        return ask({'op': 'global', 'name': name, 'a': to_json(list(args)), 'kw': to_json(kw)})
    return call


def text_result(fn):
    def call(*args, **kw):
        return TextResult(fn(*args, **kw))
    return call


def unrolling(fn):
    """As Ansible's JinjaPluginIntercept: a filter or test whose result is an iterator (Jinja2's map, select...) gives a list."""
    def call(*args, **kw):
        ret = fn(*args, **kw)
        return list(ret) if isinstance(ret, (Iterator, MappingView, range)) else ret
    return functools.update_wrapper(call, fn)  # keeps Jinja2's pass_context/pass_environment marks


def named(name, fn):
    """A filter whose failures say which filter failed (lvsplay's message names it; Ansible's msg does not)."""
    def call(*args, **kw):
        try:
            return fn(*args, **kw)
        except FilterFailure as e:
            e.filter = name
            raise
    return functools.update_wrapper(call, fn)


def core_errors(fn):
    """An ansible-core filter whose AnsibleError is its own failure (its text the task's msg, a type
    error's as Ansible's templar reads it), as lvsplay's own filters report theirs."""
    def call(*args, **kw):
        try:
            return fn(*args, **kw)
        except FilterFailure:
            raise
        except Exception as e:
            if any(c.__name__ == 'AnsibleError' for c in type(e).__mro__):
                raise (FilterTypeFailure if isinstance(e, TypeError) else FilterFailure)(str(e)) from e
            raise
    return functools.update_wrapper(call, fn)


class ResolvingDict(dict):
    """A dict that may add a missing key when it is first asked for: _resolve(key) says whether the
    key is (now) there; membership, [] and get() all go through it."""

    def _resolve(self, key):
        return dict.__contains__(self, key)

    def __contains__(self, key):
        return self._resolve(key)

    def __getitem__(self, key):
        if not self._resolve(key):
            raise KeyError(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        return dict.__getitem__(self, key) if self._resolve(key) else default


class CoreFallback(ResolvingDict):
    """A filter or test table that also offers ansible-core's (an installed collection's, such as
    community.general.json_query or ansible.utils.ipaddr, and the short names ansible-core redirects,
    such as json_query) for the names lvsplay and Jinja2 do not have: looked up when a template
    names one (Jinja2 asks the table with get() when it compiles, [] when it renders), imported on
    first use (ansible-core is optional: without it the name stays unknown)."""

    def __init__(self, base, kind):
        super().__init__(base)
        self._kind = kind
        self._missing = set()

    def _resolve(self, name):
        if dict.__contains__(self, name):
            return True
        if name in self._missing or not isinstance(name, str):
            return False
        fn = None
        try:
            from ansible.plugins import loader
            plugin = (loader.filter_loader if self._kind == 'filter' else loader.test_loader).get(name)
            fn = getattr(plugin, 'j2_function', None) if plugin is not None else None
        except Exception:  # no ansible-core, or a broken plugin: an unknown name, as before
            fn = None
        if fn is None:
            self._missing.add(name)
            return False
        dict.__setitem__(self, name, from_install(named(name, core_errors(fn)) if self._kind == 'filter' else fn))
        return True


def from_install(fn):
    """A filter or test of ansible-core or an installed collection: its code is in no fingerprint of
    lvsplay's, so it runs at render time (never folded into code j2cache keeps) and its results are
    not kept between runs (wire.installed)."""
    def call(*args, **kw):
        installed()
        return fn(*args, **kw)
    return at_render(functools.update_wrapper(call, fn))


def install(env, msg, to_json):
    """lvsplay's filters, tests and globals (names in msg) into env, where Jinja2 has none of its own."""
    jinja_filters = set(env.filters)
    jinja_tests = set(env.tests)
    for name in jinja_filters:
        env.filters[name] = unrolling(env.filters[name])
    for name in msg.get('filters', []):
        if name not in jinja_filters:
            env.filters[name] = remote_filter(name, to_json)
    env.filters.update((name, named(name, fn)) for name, fn in PYTHON_FILTERS.items())
    for name in list(env.filters):
        if name in TEXT_FILTERS and name in jinja_filters:
            env.filters[name] = text_result(env.filters[name])
    for name in list(env.filters):
        for prefix in ('ansible.builtin.', 'ansible.legacy.'):
            env.filters.setdefault(prefix + name, env.filters[name])
    for name in msg.get('tests', []):
        if name not in jinja_tests:
            env.tests[name] = remote_test(name, to_json)
    env.tests.update(PYTHON_TESTS)
    for name in list(env.tests):
        for prefix in ('ansible.builtin.', 'ansible.legacy.'):
            env.tests.setdefault(prefix + name, env.tests[name])
    for name in msg.get('globals', []):
        env.globals[name] = remote_global(name, to_json)
    env.filters = CoreFallback(env.filters, 'filter')
    env.tests = CoreFallback(env.tests, 'test')
