# The parts of lookups that Python does exactly as Ansible 2.14 (lvsplay finds files and parses
# options; these requests do the rest): `varnames` matches names with Python's re, `csvfile` reads
# CSV/TSV rows with Python's csv module, and `ini` reads
# INI and Java properties files by Python's own configparser: one parser for all terms of a lookup (a later file adds to and overrides the
# earlier ones), option names lower-cased unless case_sensitive, values by key or by regex (re.match).
# lvsplay finds the files and parses the options; each step here is one term: its file and key.
import codecs
import os
import configparser
import csv
import io
import re

from j2plugins import ResolvingDict


class LookupFailure(Exception):
    """A lookup failure with Ansible's message (lvsplay reports it as the lookup's error) and the
    class of the exception Ansible's lookup raises (its failed result names it)."""

    def __init__(self, msg, cls='AnsibleError'):
        super().__init__(msg)
        self.cls = cls


def ini(msg):
    cp = configparser.ConfigParser(allow_no_value=bool(msg.get('allow_no_value')))
    if msg.get('case_sensitive'):
        cp.optionxform = str
    out = []
    for step in msg['steps']:
        with open(step['path'], 'rb') as f:
            data = f.read()
        try:
            text = data.decode(step['encoding'], 'surrogateescape')
        except LookupError as e:  # an unknown encoding
            raise LookupFailure(str(e), type(e).__name__)
        if step['properties']:
            text = '[java_properties]\n' + text
        try:
            cp.read_file(io.StringIO(text))
        except configparser.DuplicateOptionError as e:
            raise LookupFailure("Duplicate option in '%s': %s" % (step['file'], e), 'AnsibleLookupError')
        except configparser.Error as e:  # Ansible does not catch these: configparser's own message and class
            raise LookupFailure(str(e), 'configparser.' + type(e).__name__)
        section = step['section']
        try:
            if step['re']:
                out.extend(v for k, v in cp.items(section) if re.match(step['key'], k))
                continue
            try:
                value = cp.get(section, step['key'])
            except configparser.NoOptionError:
                value = step['default']
        except configparser.NoSectionError:
            raise LookupFailure("No section '%s' in %s" % (section, step['file']), 'AnsibleLookupError')
        if value is not None:
            out.append(value)
    return out


def varnames(msg):
    """The names (in lvsplay's order) each pattern finds with re.search, pattern by pattern."""
    out = []
    for term in msg['terms']:
        try:
            name = re.compile(term)
        except Exception as e:
            raise LookupFailure('Unable to use "%s" as a search parameter: %s' % (term, e))
        out.extend(n for n in msg['names'] if name.search(n))
    return out


def csvfile(msg):
    """Each term's column of the first row whose first column is its key (else its default), as
    Ansible's read_csv: any failure, a file not found included (it opens the name None), is
    'csvfile: <Python's message>'."""
    out = []
    for step in msg['steps']:
        var = step['default']
        try:
            path = step['path']
            f = open(path.encode('utf-8', 'surrogateescape') if path is not None else b'None', 'rb')
            delimiter = step['delimiter'] if isinstance(step['delimiter'], str) else str(step['delimiter'])
            for row in csv.reader(codecs.getreader(step['encoding'])(f), dialect=csv.excel, delimiter=delimiter):
                if len(row) and row[0] == step['key']:
                    var = row[int(step['col'])]
                    break
        except Exception as e:
            raise LookupFailure('csvfile: %s' % e)
        if var is not None:
            out.extend(var if isinstance(var, list) else [var])
    return out


def url(msg):
    """Each URL's content (its lines with split_lines), fetched with urllib as Ansible's open_url;
    failures in the url lookup's words."""
    import base64
    import netrc
    import ssl
    import urllib.error
    import urllib.parse
    import urllib.request

    o = msg['options']
    handlers = []
    if not o['use_proxy']:
        handlers.append(urllib.request.ProxyHandler({}))
    ctx = ssl.create_default_context(cafile=o['ca_path'] or None)
    if not o['validate_certs']:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    handlers.append(urllib.request.HTTPSHandler(context=ctx))
    follow = str(o['follow_redirects']).lower()
    if follow in ('no', 'none', 'false'):
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, req, fp, code, msg, hdrs, newurl):
                raise urllib.error.HTTPError(req.full_url, code, msg, hdrs, fp)
        handlers.append(NoRedirect())
    out = []
    for term in msg['terms']:
        headers = {str(k): str(v) for k, v in (o['headers'] or {}).items()}
        headers.setdefault('User-Agent', o['http_agent'])
        user, password, up_front = o['username'], o['password'], o['force_basic_auth']
        parsed = urllib.parse.urlparse(term)
        if user is None and o['use_netrc'] and parsed.hostname:
            try:
                found = netrc.netrc(os.environ.get('NETRC')).authenticators(parsed.hostname)
            except (OSError, netrc.NetrcParseError):
                found = None
            if found:  # this URL's host only: sent up front, as open_url does with netrc
                user, password, up_front = found[0], found[2], True
        opener_handlers = list(handlers)
        if user is not None:
            if up_front:
                headers['Authorization'] = 'Basic ' + base64.b64encode(('%s:%s' % (user, password or '')).encode()).decode()
            else:
                mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                mgr.add_password(None, term, user, password or '')
                opener_handlers += [urllib.request.HTTPBasicAuthHandler(mgr), urllib.request.HTTPDigestAuthHandler(mgr)]
        if o['force']:
            headers['cache-control'] = 'no-cache'
        try:
            with urllib.request.build_opener(*opener_handlers).open(urllib.request.Request(term, headers=headers), timeout=o['timeout']) as r:
                data = r.read()
        except urllib.error.HTTPError as e:
            raise LookupFailure('Received HTTP error for %s : %s' % (term, e))
        except urllib.error.URLError as e:
            if isinstance(e.reason, ssl.SSLCertVerificationError):
                raise LookupFailure("Error validating the server's certificate for %s: %s" % (term, e.reason))
            raise LookupFailure('Failed lookup url for %s : %s' % (term, e))
        except (OSError, ValueError) as e:
            raise LookupFailure('Error connecting to %s: %s' % (term, e))
        # as Ansible: the bytes' lines (\n, \r\n, \r only), each as text
        out.extend(line.decode('utf-8', 'surrogateescape') for line in (data.splitlines() if o['split_lines'] else [data]))
    return out


# ansible-core's own lookup plugins, for the names lvsplay has no port of (`config`, a collection's
# such as community.general.random_string): found and run by ansible-core on the controller, as
# Ansible runs them. Imported on first use only (ansible-core is optional). The plugin sees the
# task's variables through a mapping that asks lvsplay for each one it reads (already templated,
# passed as Ansible's unsafe values: the plugin's templar never renders them again).
_ansible = {}


def _core():
    if 'lookup_loader' not in _ansible:
        try:
            from ansible.parsing.dataloader import DataLoader
            from ansible.plugins.loader import lookup_loader
            from ansible.template import Templar
            from ansible.utils.unsafe_proxy import wrap_var
        except Exception:  # no ansible-core here: lvsplay's own lookups only
            _ansible['lookup_loader'] = None
            return None
        _ansible.update(lookup_loader=lookup_loader, DataLoader=DataLoader, Templar=Templar, wrap_var=wrap_var)
    return _ansible if _ansible['lookup_loader'] is not None else None


def ansible_lookup_find(msg):
    """The names ansible-core resolves to a lookup plugin: {name: fqcn or None}."""
    core = _core()
    out = {}
    for name in msg['names']:
        fqcn = None
        if core is not None:
            try:
                ctx = core['lookup_loader'].find_plugin_with_context(name)
                if ctx.resolved and ctx.plugin_resolved_path:
                    fqcn = getattr(ctx, 'resolved_fqcn', None) or ctx.plugin_resolved_name
            except Exception:  # a tombstoned or broken redirect: no plugin lvsplay can run
                fqcn = None
        out[name] = fqcn
    return out


class _AskedVars(ResolvingDict):
    """The task's variables, each asked of lvsplay when the plugin reads it (a dict for the
    isinstance checks of Ansible's code; filled as it is read)."""

    def __init__(self, wrap):
        super().__init__()
        self._wrap = wrap
        self._names = None

    def _resolve(self, key):
        if not dict.__contains__(self, key):
            import wire
            got = wire.ask({'op': 'lkvar', 'name': key})
            if not got or not got.get('found'):
                return False
            dict.__setitem__(self, key, self._wrap(got.get('value')))
        return True

    def _all(self):
        if self._names is None:
            import wire
            self._names = wire.ask({'op': 'lknames'}) or []
        return self._names

    def keys(self):
        return list(self._all())

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())

    def items(self):
        return [(k, dict.__getitem__(self, k)) for k in self._all() if self._resolve(k)]

    def values(self):
        return [v for _, v in self.items()]


def ansible_lookup(msg):
    """Run ansible-core's lookup plugin `name` on the terms with the keyword options; its list."""
    core = _core()
    if core is None:
        raise LookupFailure("lookup plugin (%s) not found" % msg['name'])
    loader = core['DataLoader']()
    if msg.get('basedir'):
        loader.set_basedir(msg['basedir'])
    variables = _AskedVars(core['wrap_var'])
    templar = core['Templar'](loader=loader, variables=variables)
    plugin = core['lookup_loader'].get(msg['name'], loader=loader, templar=templar)
    if plugin is None:
        raise LookupFailure("lookup plugin (%s) not found" % msg['name'])
    try:
        ran = plugin.run(msg['terms'], variables=variables, **msg['kwargs'])
    except LookupFailure:
        raise
    except Exception as e:  # the plugin's own failure: its message and class, as Ansible's templar reports it
        raise LookupFailure(str(e), type(e).__name__)
    return list(ran) if ran is not None else []
