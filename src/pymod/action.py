# Runs Ansible action plugins (Python, controller side), each for one host and task, as Ansible's
# task executor runs them (TaskExecutor._execute of 2.14): ansible-core's own objects (Task,
# PlayContext, DataLoader, Templar, the plugin loaders) around a connection whose exec_command,
# put_file and fetch_file are lvsplay's connection to the host (src/pymod/action.ts answers them).
# The plugin's own logic, the remote tmp dir, module building (AnsiballZ), interpreter discovery and
# the module run are ansible-core's, unchanged.
#
# One server per lvsplay run (python3 action.py SOCKET): ansible-core imported once, then a forked
# child per plugin run (as Ansible forks its workers), each on its own connection to SOCKET.
# Protocol on a connection: JSON lines. In: first the request, then one answer per question. Out:
#   {"ask": "exec", "cmd": "...", "stdin": "<base64>|null", "become": bool} -> {"value": {"rc", "stdout", "stderr"}}
#   {"ask": "var", "name": "x"} -> {"value": {"found": bool, "value": ...}}      (the task's variables, as written)
#   {"ask": "names"} -> {"value": [...]}
#   {"ask": "get", "ref": N, "key": "k"} / {"ask": "keys", "ref": N}            (a mapping lvsplay lends, e.g. hostvars)
#   {"log": "..."}                                                            (what Ansible's display printed)
#   {"done": {...result...}, "diff": bool}                                    (the last line)
# An answer {"error": "..."} raises AnsibleError in the plugin.
import base64
import json
import os
import select
import signal
import socket
import sys
import traceback

PROTO = [None, None]  # the connection's reader and writer (in a forked child)


def send(obj):
    PROTO[1].write((json.dumps(obj, default=str) + '\n').encode())
    PROTO[1].flush()


class Log:
    """sys.stdout and sys.stderr of a plugin's run: what Ansible's display writes goes to lvsplay."""

    def write(self, text):
        if text:
            send({'log': text})
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def from_wire(d):
    if len(d) == 1:
        if '__lvs_float' in d:
            return float(d['__lvs_float'])
        if '__lvs_ref' in d:
            return LentMapping(d['__lvs_ref'])
        if '__lvs_unsafe' in d:  # data from a host: never a template (Ansible's AnsibleUnsafeText)
            from ansible.utils.unsafe_proxy import wrap_var
            return wrap_var(d['__lvs_unsafe'])
    return d


def receive():
    line = PROTO[0].readline()
    if not line:  # lvsplay is gone
        os._exit(1)
    return json.loads(line, object_hook=from_wire)


class AskFailed(Exception):
    pass


TRACE = os.environ.get('LVSPLAY_ACTION_TRACE')


def ask(obj):
    if TRACE:
        import time
        t0 = time.perf_counter()
        sys.__stderr__.write('[action %.3f] asks %s\n' % (t0, json.dumps(obj)[:160]))
    send(obj)
    reply = receive()
    if TRACE:
        sys.__stderr__.write('[action %.3f] answered in %.1f ms\n' % (time.perf_counter(), (time.perf_counter() - t0) * 1000))
    if 'error' in reply:
        raise AskFailed(reply['error'])
    return reply.get('value')


def to_wire(v):
    """A result as lvsplay reads it: a float with a whole value tagged (JSON's 2.0 is 2 in JS)."""
    if isinstance(v, dict):
        return dict((str(k), to_wire(x)) for k, x in v.items())
    if isinstance(v, (list, tuple, set)):
        return [to_wire(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, int):
        return v
    if isinstance(v, float):
        return {'__lvs_float': v} if v.is_integer() else v
    if isinstance(v, bytes):
        return v.decode('utf-8', 'replace')
    return v if isinstance(v, str) else str(v)


class LazyDict(dict):
    """A dict whose keys are asked of lvsplay when first read (Ansible's code checks isinstance(dict))."""

    def _fetch(self, key):
        raise NotImplementedError

    def _names(self):
        raise NotImplementedError

    _deleted = frozenset()

    def _has(self, key):
        if dict.__contains__(self, key):
            return True
        if key in self._deleted:
            return False
        got = self._fetch(key)
        if got is None:
            return False
        dict.__setitem__(self, key, got[0])
        return True

    def __contains__(self, key):
        return isinstance(key, str) and self._has(key)

    def __getitem__(self, key):
        if not (isinstance(key, str) and self._has(key)):
            raise KeyError(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __setitem__(self, key, value):
        self._deleted = self._deleted - {key}
        dict.__setitem__(self, key, value)

    def __delitem__(self, key):
        if key not in self:
            raise KeyError(key)
        self._deleted = self._deleted | {key}
        dict.__delitem__(self, key)

    def _listed(self):
        """The names: lvsplay's, less those deleted, and those set here."""
        names = [k for k in self._names() if k not in self._deleted]
        return names + [k for k in dict.keys(self) if k not in set(names)]

    def keys(self):
        return self._listed()

    def __iter__(self):
        return iter(self._listed())

    def __len__(self):
        return len(self._listed())

    def items(self):
        return [(k, self[k]) for k in self._listed() if k in self]

    def values(self):
        return [v for _, v in self.items()]

    def copy(self):
        return dict(self.items())


class TaskVars(LazyDict):
    """The task's variables, each asked of lvsplay when the plugin reads it. `discovered`: the
    interpreters an earlier item of the same loop discovered (Ansible's loop shares its task_vars,
    whose ansible_facts the discovery fills in)."""

    def __init__(self, discovered=None):
        super().__init__()
        self._all = None
        self._discovered = discovered or {}

    def _fetch(self, key):
        got = ask({'ask': 'var', 'name': key})
        if got and got.get('found'):
            value = got.get('value')
            if key == 'ansible_facts' and self._discovered and isinstance(value, dict):
                for k, v in self._discovered.items():
                    value[k] = v
            return (value,)
        if key == 'ansible_playbook_python':  # Ansible's magic variable: the controller's python, this one
            return (sys.executable,)
        return None

    def _names(self):
        if self._all is None:
            self._all = ask({'ask': 'names'}) or []
            if 'ansible_playbook_python' not in self._all:
                self._all.append('ansible_playbook_python')
        return self._all


class LentMapping(LazyDict):
    """A mapping lvsplay lends by reference (hostvars), read key by key."""

    def __init__(self, ref):
        super().__init__()
        self._ref = ref
        self._all = None

    def _fetch(self, key):
        got = ask({'ask': 'get', 'ref': self._ref, 'key': key})
        return (got.get('value'),) if got and got.get('found') else None

    def _names(self):
        if self._all is None:
            self._all = ask({'ask': 'keys', 'ref': self._ref}) or []
        return self._all


def run_one():
    """One plugin run, in a forked child, on the connection in PROTO."""
    req = receive()
    from ansible import constants as C
    from ansible.errors import AnsibleActionFail, AnsibleActionSkip, AnsibleConnectionFailure, AnsibleError
    from ansible.parsing.dataloader import DataLoader
    from ansible.playbook.play_context import PlayContext
    from ansible.playbook.task import Task
    from ansible.plugins import loader as plugins
    from ansible.plugins.connection import ConnectionBase
    from ansible.template import Templar

    class LvsplayTask(Task):
        """The task: its search path for files/templates is lvsplay's (the role's, the task file's, the playbook's)."""

        def get_search_path(self):
            return list(req['search_path'])

    class BecomeAsked:
        """The task's become plugin for what the action asks of it (become_user, ...); the command it
        would wrap is run by lvsplay's own become (sudo/su with lvsplay's password handling)."""

        def __init__(self, plugin):
            self._plugin = plugin
            self.wanted = False

        def __getattr__(self, name):
            return getattr(self._plugin, name)

        def build_become_command(self, cmd, shell):
            self.wanted = True
            return cmd

    class LvsplayConnection(ConnectionBase):
        """lvsplay's connection to the host (ssh2 or local), answered by lvsplay."""

        has_pipelining = True
        transport = req['transport']

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cwd = None

        def _connect(self):
            self._connected = True
            return self

        def get_option(self, name, hostvars=None):
            if name == 'pipelining':
                return bool(req.get('pipelining', True))
            if name in ('ssh_args', 'ssh_common_args', 'ssh_extra_args') and req['transport'] == 'ssh':
                return (req.get('ssh') or {}).get(name) or ''
            raise KeyError(name)

        def exec_command(self, cmd, in_data=None, sudoable=True):
            become = bool(self.become is not None and self.become.wanted)
            if self.become is not None:
                self.become.wanted = False
            stdin = base64.b64encode(in_data if isinstance(in_data, bytes) else (in_data or '').encode()).decode() if in_data else None
            try:
                r = ask({'ask': 'exec', 'cmd': cmd, 'stdin': stdin, 'become': become})
            except AskFailed as e:
                raise AnsibleConnectionFailure(str(e))
            return r['rc'], base64.b64decode(r['stdout']), base64.b64decode(r['stderr'])

        def put_file(self, in_path, out_path):
            with open(in_path, 'rb') as f:
                data = f.read()
            rc, out, err = self.exec_command('cat > %s' % self._shell.quote(out_path), in_data=data, sudoable=False)
            if rc != 0:
                raise AnsibleError('failed to transfer file to %s:\n%s\n%s' % (out_path, out.decode(errors='replace'), err.decode(errors='replace')))

        def fetch_file(self, in_path, out_path):
            rc, out, err = self.exec_command('base64 < %s' % self._shell.quote(in_path), sudoable=False)
            if rc != 0:
                raise AnsibleError('failed to transfer file from %s:\n%s' % (in_path, err.decode(errors='replace')))
            with open(out_path, 'wb') as f:
                f.write(base64.b64decode(out))

        def close(self):
            self._connected = False

    for d in req.get('action_dirs') or []:
        plugins.action_loader.add_directory(d)
    for d in req.get('library_dirs') or []:
        plugins.module_loader.add_directory(d)
    for d in req.get('module_utils_dirs') or []:
        plugins.module_utils_loader.add_directory(d)

    loader = DataLoader()
    loader.set_basedir(req['basedir'])
    task_vars = TaskVars(req.get('discovered'))
    templar = Templar(loader=loader, variables=task_vars)

    task = LvsplayTask()
    task.action = req['action']
    task.args = req['args']
    task.check_mode = bool(req['check'])
    task.diff = bool(req['diff'])
    task.no_log = bool(req.get('no_log'))
    task.async_val = int(req.get('async') or 0)
    task.environment = req.get('environment') or []
    if req.get('delegate_to'):
        task.delegate_to = req['delegate_to']
        task_vars['ansible_delegated_vars'] = req['delegated_vars']
    if req.get('collections'):
        task.collections = req['collections']

    pc = PlayContext()
    pc.check_mode = task.check_mode
    pc.diff = task.diff
    pc.no_log = task.no_log
    from ansible.utils.display import Display
    Display().verbosity = int(req.get('verbosity') or 0)
    Display().columns = 1 << 30  # a warning on one line: lvsplay prints it as Ansible wraps it
    pc.remote_addr = req.get('remote_addr')
    pc.remote_user = req.get('remote_user')
    pc.port = req.get('port')
    pc.private_key_file = req.get('private_key_file')
    pc.connection = req['transport']
    pc.executable = C.DEFAULT_EXECUTABLE
    pc.pipelining = bool(req.get('pipelining', True))

    shell = plugins.shell_loader.get('sh')
    shell.set_options(var_options={}, direct={})
    conn = LvsplayConnection(pc, None, shell=shell)
    become = req.get('become')
    if become:
        plugin = plugins.become_loader.get(become.get('method') or 'sudo')
        plugin.set_options(direct={'become_user': become.get('user') or 'root'})
        conn.set_become_plugin(BecomeAsked(plugin))

    result = None
    handler = None
    try:
        handler = plugins.action_loader.get(req['action'], task=task, connection=conn, play_context=pc, loader=loader, templar=templar, shared_loader_obj=plugins)
        if handler is None:
            raise AnsibleError("the action plugin '%s' was not found" % req['action'])
        try:
            result = handler.run(task_vars=task_vars)
        except (AnsibleActionFail, AnsibleActionSkip) as e:
            result = e.result
        except AnsibleConnectionFailure as e:
            result = dict(unreachable=True, msg=str(e))
        finally:
            handler.cleanup()
    except AnsibleError as e:
        result = dict(failed=True, msg=str(e))
    except Exception as e:
        result = dict(failed=True, msg='Unexpected failure during module execution: %s' % e, exception=traceback.format_exc(), stdout='')
    # a plugin may turn its task's diff on (ansible.utils.fact_diff): Ansible's callback then shows it
    discovered = {}
    if handler is not None and getattr(handler, '_discovered_interpreter_key', None):
        discovered[handler._discovered_interpreter_key] = str(handler._discovered_interpreter)
    send({'done': to_wire(result), 'diff': bool(task.diff), 'discovered': discovered})


def serve(path):
    """Import ansible-core, listen on `path`, say so on stdout; then a forked child per connection."""
    try:
        # what every run needs, imported once (the children inherit it)
        import ansible.plugins.action  # noqa: F401
        import ansible.plugins.loader  # noqa: F401
        import ansible.playbook.task  # noqa: F401
        import ansible.playbook.play_context  # noqa: F401
        import ansible.template  # noqa: F401
        import ansible.executor.module_common  # noqa: F401
    except Exception as e:  # ansible-core cannot be imported: lvsplay reports it
        print(json.dumps({'fatal': '%s: %s' % (type(e).__name__, e)}), flush=True)
        return
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the kernel
    print(json.dumps({'ready': True}), flush=True)
    os.dup2(2, 1)  # what a plugin's subprocess prints on stdout: lvsplay's stderr
    lifeline = sys.stdin.fileno()  # lvsplay holds its other end: end of file when lvsplay is gone, however it ended
    while True:
        ready = select.select([server, lifeline], [], [])[0]
        if lifeline in ready and not os.read(lifeline, 4096):
            import shutil
            shutil.rmtree(os.path.dirname(path), ignore_errors=True)  # lvsplay's private dir (its exit handler did not run if it was killed)
            os._exit(0)
        if server not in ready:
            continue
        conn, _ = server.accept()
        if os.fork() == 0:
            server.close()
            PROTO[0] = conn.makefile('rb')
            PROTO[1] = conn.makefile('wb')
            sys.stdout = sys.stderr = Log()
            try:
                run_one()
            except Exception as e:
                send({'fatal': '%s: %s' % (type(e).__name__, e)})
            os._exit(0)
        conn.close()


serve(sys.argv[1])
