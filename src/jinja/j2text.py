# Template files for lvsplay's Jinja2 engine, as the template module renders them: text (no reading
# back), the #jinja2: header's options (trim/lstrip_blocks, delimiters, newline_sequence), include/
# import/extends over the template's search path, and the template line of an error.
import traceback

from jinja2 import FileSystemLoader

from j2env import LazyUndefined, LvsTextEnvironment, compiled, env, finalize, literal, prefetched


# Jinja2's option names for the delimiters lvsplay's header parser reports by short name (tplfile.ts)
DELIMITERS = {
    'variableStart': 'variable_start_string', 'variableEnd': 'variable_end_string',
    'blockStart': 'block_start_string', 'blockEnd': 'block_end_string',
    'commentStart': 'comment_start_string', 'commentEnd': 'comment_end_string',
}
text_envs = {}


def text_env_key(msg):
    """The environment options a template file is rendered with (its #jinja2: header's), as a key."""
    opts = {'trim_blocks': bool(msg.get('trimBlocks', True)), 'lstrip_blocks': bool(msg.get('lstripBlocks', False))}
    if msg.get('newline') and msg['newline'] != '\n':  # ('\n': Jinja2's own default, the same environment)
        opts['newline_sequence'] = msg['newline']
    if msg.get('keepTrailingNewline'):
        opts['keep_trailing_newline'] = True
    for k, v in (msg.get('tags') or {}).items():
        if k in DELIMITERS:
            opts[DELIMITERS[k]] = v
    return tuple(sorted(opts.items()))


def text_env(key):
    tenv = text_envs.get(key)
    if tenv is None:
        tenv = text_envs[key] = LvsTextEnvironment(undefined=LazyUndefined, finalize=finalize, **dict(key))
        # the same filters, tests and globals as the task-argument environment
        tenv.filters = env.filters
        tenv.tests = env.tests
        tenv.globals = env.globals
    return tenv


loaders = {}
text_cache = {}


def render_text(msg):
    """A template file's text; include/import/extends search msg['paths'] (one loader per search path)."""
    env_key = text_env_key(msg)
    tenv = text_env(env_key)
    paths = tuple(msg.get('paths') or [])
    loader = loaders.get(paths)
    if loader is None:
        loader = loaders[paths] = FileSystemLoader(list(paths))
    tenv.loader = loader
    tpl, names, want = text_template(tenv, env_key, msg['src'])
    msg['learned'] = names  # the names it reads, for lvsplay to send with its next render (sidecar.serve)
    with prefetched(names, given=msg.get('vars'), want=want):
        out = tpl.render()
    # lookup('template') with convert_data (its default): text that looks like a list, dict or bool
    # becomes one, as Ansible's concat of a templated string does
    return literal(out) if msg.get('convertData') else out


def text_template(tenv, env_key, src):
    """A template file's text compiled in its environment: (template, names, wanted), once per process."""
    key = (id(tenv), src)
    entry = text_cache.get(key)
    if entry is None:
        if len(text_cache) > 500:
            text_cache.clear()
        entry = text_cache[key] = compiled(tenv, src, 't%r' % (env_key,))
    return entry


def precompile(src):
    """Compiles a template file's text as render_text would with the default options (kept by j2cache)."""
    env_key = text_env_key({})
    text_template(text_env(env_key), env_key, src)


def template_line(e):
    """The template line a runtime error happened on (Jinja2 puts template frames into the traceback)."""
    line = getattr(e, 'lineno', None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(e.__traceback__)):
        if frame.filename == '<template>':
            return frame.lineno
    return None
