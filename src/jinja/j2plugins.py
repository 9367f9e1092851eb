# The filters, tests and globals of lvsplay's Jinja2 engine besides Jinja2's own: most are
# lvsplay's (TypeScript), called back over the wire; the few whose results carry Python types that
# JSON loses (floats with integral values, tuples) are here. Jinja2's built-ins win a name clash, except where
# Ansible replaces them (random, unique: here).
import math
import datetime
import os
import re
import string
import warnings
from random import Random, SystemRandom

from jinja2 import pass_environment
from jinja2.exceptions import FilterArgumentError
from jinja2.filters import do_unique

from wire import ask

# filters whose result is text: never read back as a Python literal by the task-argument concat
TEXT_FILTERS = {'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'string', 'b64encode', 'b64decode', 'comment', 'quote', 'regex_escape'}


class TextResult(str):
    """A text filter's result: never read back as a literal."""


def f_log(x, base=math.e):
    return math.log10(x) if base == 10 else math.log(x, base)


def f_pow(x, y):
    return math.pow(x, y)


def f_root(x, base=2):
    return math.sqrt(x) if base == 2 else math.pow(x, 1.0 / float(base))


def f_random(end, start=None, step=None, seed=None):
    # Ansible's random (it replaces Jinja2's): an int is the end of a range, a sequence is chosen from
    r = SystemRandom() if seed is None else Random(seed)
    if isinstance(end, int):
        return r.randrange(start or 0, end, step or 1)
    if hasattr(end, '__iter__'):
        if start or step:
            raise FilterArgumentError('start and step can only be used with integer values')
        return r.choice(end)
    raise FilterArgumentError('random can only be used on sequences and integers')


@pass_environment
def f_unique(environment, a, case_sensitive=None, attribute=None):
    # Ansible's unique (it replaces Jinja2's): Jinja2's, else (unhashable items) first occurrences kept
    try:
        return list(do_unique(environment, a, case_sensitive=bool(case_sensitive), attribute=attribute))
    except Exception:
        if case_sensitive is False or attribute:
            raise FilterArgumentError("Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied")
    out = []
    for x in a:
        if x not in out:
            out.append(x)
    return out


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
            raise FilterArgumentError('Unable to encrypt nor hash, either crypt or passlib must be installed. %s' % e)
    algorithm = CRYPT_NAMES.get(hashtype, hashtype)
    if algorithm not in CRYPT_ALGOS:
        raise FilterArgumentError("crypt.crypt does not support '%s' algorithm" % algorithm)
    crypt_id, size, implicit_rounds, exact = CRYPT_ALGOS[algorithm]
    salt = salt or ''.join(SystemRandom().choice(SALT_CHARS) for _ in range(salt_size or size))
    if re.search(r'[^./0-9A-Za-z]', salt):
        raise FilterArgumentError('invalid characters in salt')
    if (exact and len(salt) != size) or (not exact and len(salt) > size):
        raise FilterArgumentError('invalid salt size')
    if rounds == implicit_rounds:
        rounds = None  # as passlib: the implicit number of rounds is not written
    ident = crypt_id if not ident else ident if algorithm == 'bcrypt' else None
    setting = ('$%s' % ident if ident else '') + ('$rounds=%d' % rounds if rounds else '') + '$' + salt
    try:
        result = crypt.crypt(to_str(password), setting)
    except OSError:
        result = None
    if not result:
        raise FilterArgumentError("crypt.crypt does not support '%s' algorithm" % algorithm)
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


PYTHON_FILTERS = {'bool': f_bool, 'log': f_log, 'pow': f_pow, 'root': f_root, 'splitext': os.path.splitext, 'random': f_random, 'unique': f_unique, 'extract': f_extract, 'password_hash': f_password_hash}


def remote_filter(name, to_json):
    def call(value, *args, **kw):
        if name == 'type_debug' and isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
            return type(value).__name__  # now() and its arithmetic: Python values lvsplay's side never sees
        result = ask({'op': 'filter', 'name': name, 'v': to_json(value), 'a': to_json(list(args)), 'kw': to_json(kw)})
        return TextResult(result) if name in TEXT_FILTERS and isinstance(result, str) else result
    return call


def remote_test(name, to_json):
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


def install(env, msg, to_json):
    """lvsplay's filters, tests and globals (names in msg) into env, where Jinja2 has none of its own."""
    jinja_filters = set(env.filters)
    jinja_tests = set(env.tests)
    for name in msg.get('filters', []):
        if name not in jinja_filters:
            env.filters[name] = remote_filter(name, to_json)
    env.filters.update(PYTHON_FILTERS)
    for name in list(env.filters):
        if name in TEXT_FILTERS and name in jinja_filters:
            env.filters[name] = text_result(env.filters[name])
    for name in list(env.filters):
        for prefix in ('ansible.builtin.', 'ansible.legacy.'):
            env.filters.setdefault(prefix + name, env.filters[name])
    for name in msg.get('tests', []):
        if name not in jinja_tests:
            env.tests[name] = remote_test(name, to_json)
    for name in list(env.tests):
        for prefix in ('ansible.builtin.', 'ansible.legacy.'):
            env.tests.setdefault(prefix + name, env.tests[name])
    for name in msg.get('globals', []):
        env.globals[name] = remote_global(name, to_json)
