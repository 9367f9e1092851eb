#!/usr/bin/python3
# Oracle for the templating corpus: renders each case with Ansible 2.14's own Templar, as task
# arguments are rendered (strings -> ansible_eval_concat, native types where 2.14 keeps them).
# stdin: {"basedir": DIR, "vars": {...}, "cases": ["...", ...]}; stdout: [{"type": T, "json": J}, ...]
import json
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar


def tag(v):
    if isinstance(v, bool):
        t = 'bool'
    elif isinstance(v, int):
        t = 'int'
    elif isinstance(v, float):
        t = 'float'
    elif isinstance(v, str):
        t = 'str'
    elif v is None:
        t = 'none'
    elif isinstance(v, (list, tuple)):
        t = 'list'
    elif isinstance(v, dict):
        t = 'dict'
    else:
        t = type(v).__name__
    try:
        j = json.dumps(v, ensure_ascii=False)
    except TypeError:
        j = str(v)
    return {'type': t, 'json': j}


def main():
    # a float with a whole value comes tagged (JSON's 2.0 reads as an int in JS)
    req = json.load(sys.stdin, object_hook=lambda d: float(d['__lvs_float']) if len(d) == 1 and '__lvs_float' in d else d)
    loader = DataLoader()
    loader.set_basedir(req['basedir'])
    out = []
    for case in req['cases']:
        templar = Templar(loader=loader, variables=dict(req['vars']))
        try:
            out.append(tag(templar.template(case)))
        except Exception as e:  # every failure is one kind of result: an error
            out.append({'type': 'error', 'json': '%s: %s' % (type(e).__name__, str(e).split('\n')[0])})
    json.dump(out, sys.stdout)


main()
