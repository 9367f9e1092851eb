# Builds what Ansible sends to a host to run one of its Python modules (a custom module in a
# role's or playbook's library/, -M, ANSIBLE_LIBRARY), with ansible-core's own builder
# (ansible.executor.module_common.modify_module: the AnsiballZ wrapper with the module and the
# module_utils it imports) — lvsplay does not rebuild Ansible's packaging, it asks ansible-core,
# which must be installed on the controller for such modules (as it is wherever they come from).
#
# Protocol (src/pymod/runner.ts): one JSON object per line on stdin, one per line on stdout.
#   first line out: {"ready": true, "version": "2.14.18", "defaults": {...}} or {"fatal": "..."}
#   request:  {"id": N, "name": "mod", "path": "/abs/mod.py", "args": {...}, "interpreter": "/usr/bin/python3",
#              "module_utils": ["/role/module_utils", ...]}
#   answer:   {"id": N, "data": "<base64>", "style": "new|old|non_native_want_json|binary", "shebang": "#!..."}
#             or {"id": N, "error": "...", "cls": "AnsibleError"}
#   request:  {"id": N, "resolve": ["community.general.ufw", "apt_key", ...], "collections": [...]}
#             (modules lvsplay does not have; short names also in the task's `collections`, when given)
#   answer:   {"id": N, "resolved": {"apt_key": {"path": "...", "fqcn": "...", "action": false, "options": [...]}, "nope": null}}
#             `action`: Ansible runs the name through an action plugin of its own (Python on the
#             controller, which lvsplay cannot run), as TaskExecutor._get_action_handler decides
import base64
import json
import sys


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def resolve(module_loader, action_loader, name, collections=None):
    try:
        ctx = module_loader.find_plugin_with_context(name, collection_list=collections)
    except Exception:  # a tombstoned or broken redirect: not a module lvsplay can run
        return None
    if not ctx.resolved or not ctx.plugin_resolved_path:
        return None
    return {
        "path": ctx.plugin_resolved_path,
        "fqcn": getattr(ctx, "resolved_fqcn", None) or ctx.plugin_resolved_name,
        "action": bool(action_loader.has_plugin(name, collection_list=collections)),
        "options": options_of(ctx.plugin_resolved_path),
    }


def options_of(path):
    """The argument names (and aliases) the module documents, or None when its documentation does not read."""
    try:
        from ansible.plugins.loader import fragment_loader
        from ansible.utils.plugin_docs import get_docstring
        doc = get_docstring(path, fragment_loader)[0] or {}
    except Exception:
        return None
    names = []
    for k, o in (doc.get("options") or {}).items():
        names.append(k)
        names.extend((o or {}).get("aliases") or [])
    return names


def main():
    try:
        from ansible import __version__ as version
        from ansible import constants as C
        from ansible.executor.module_common import modify_module
        from ansible.parsing.dataloader import DataLoader
        from ansible.plugins.loader import action_loader, module_loader, module_utils_loader
        from ansible.template import Templar
    except Exception as e:  # ImportError, or a broken installation
        out({"fatal": "%s: %s" % (type(e).__name__, e)})
        return
    templar = Templar(loader=DataLoader())
    # what Ansible's action base puts in every module's arguments (ActionBase._update_module_args)
    defaults = {
        "_ansible_version": version,
        "_ansible_syslog_facility": C.DEFAULT_SYSLOG_FACILITY,
        "_ansible_selinux_special_fs": list(C.DEFAULT_SELINUX_SPECIAL_FS),
        "_ansible_string_conversion_action": C.STRING_CONVERSION_ACTION,
        "_ansible_debug": bool(C.DEFAULT_DEBUG),
        "_ansible_keep_remote_files": bool(C.DEFAULT_KEEP_REMOTE_FILES),
        "no_target_syslog": bool(C.DEFAULT_NO_TARGET_SYSLOG),
        "compression": C.DEFAULT_MODULE_COMPRESSION,
    }
    out({"ready": True, "version": version, "defaults": defaults})
    added = set()
    for line in sys.stdin:
        if not line.strip():
            continue
        # a float with a whole value comes tagged (JSON's 2.0 is the int 2 in JS): the module gets 2.0, as from Ansible
        req = json.loads(line, object_hook=lambda d: float(d['__lvs_float']) if len(d) == 1 and '__lvs_float' in d else d)
        if "resolve" in req:
            cl = req.get("collections") or None
            out({"id": req["id"], "resolved": dict((n, resolve(module_loader, action_loader, n, cl)) for n in req["resolve"])})
            continue
        try:
            for d in req.get("module_utils") or []:
                if d not in added:
                    module_utils_loader.add_directory(d)
                    added.add(d)
            data, style, shebang = modify_module(
                req["name"],
                req["path"],
                req["args"],
                templar,
                task_vars={"ansible_python_interpreter": req.get("interpreter") or "/usr/bin/python3"},
                module_compression=defaults["compression"],
                become=bool(req.get("become")),
            )
            out({"id": req["id"], "data": base64.b64encode(data).decode("ascii"), "style": style, "shebang": shebang})
        except Exception as e:
            out({"id": req["id"], "error": str(e), "cls": type(e).__name__})


main()
