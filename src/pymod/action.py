# Runs one Ansible action plugin (Python, controller side) for one host and task, as Ansible's task
# executor runs it (TaskExecutor._execute of 2.14): ansible-core's own objects (Task, PlayContext,
# DataLoader, Templar, the plugin loaders) around a connection whose exec_command, put_file and
# fetch_file are lvsplay's connection to the host (src/pymod/action.ts answers them). The plugin's
# own logic, the remote tmp dir, module building (AnsiballZ), interpreter discovery and the module
# run are ansible-core's, unchanged.
#
# Protocol: JSON lines. In on stdin: first the request, then one answer per question. Out on the
# protocol descriptor (what stdout was; stdout itself goes to stderr, where Ansible's display writes):
#   {"ask": "exec", "cmd": "...", "stdin": "<base64>|null", "become": bool} -> {"value": {"rc", "stdout", "stderr"}}
#   {"ask": "var", "name": "x"} -> {"value": {"found": bool, "value": ...}}      (the task's variables, rendered by lvsplay)
#   {"ask": "names"} -> {"value": [...]}
#   {"ask": "get", "ref": N, "key": "k"} / {"ask": "keys", "ref": N}            (a mapping lvsplay lends, e.g. hostvars)
#   {"done": {...result...}}                                                  (the last line)
# An answer {"error": "..."} raises AnsibleError in the plugin.
import base64
import json
import os
import sys
import traceback

PROTO = os.fdopen(os.dup(1), 'w')
os.dup2(2, 1)  # Ansible's display writes to stdout: that goes to stderr (lvsplay reads it for warnings)
sys.stdout = sys.stderr


def send(obj):
    PROTO.write(json.dumps(obj, default=str) + '\n')
    PROTO.flush()


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
    line = sys.stdin.readline()
    if not line:  # lvsplay is gone
        os._exit(1)
    return json.loads(line, object_hook=from_wire)


class AskFailed(Exception):
    pass


def ask(obj):
    send(obj)
    reply = receive()
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
    """The task's variables, each asked of lvsplay (rendered there) when the plugin reads it."""

    def __init__(self):
        super().__init__()
        self._all = None

    def _fetch(self, key):
        got = ask({'ask': 'var', 'name': key})
        if got and got.get('found'):
            return (got.get('value'),)
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


def main():
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
    task_vars = TaskVars()
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
    send({'done': to_wire(result), 'diff': bool(task.diff)})


try:
    main()
except Exception as e:  # ansible-core cannot be imported or set up: lvsplay reports it
    send({'fatal': '%s: %s' % (type(e).__name__, e)})
