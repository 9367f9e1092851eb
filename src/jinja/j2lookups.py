# The parts of lookups that Python does exactly as Ansible 2.14 (lvsplay finds files and parses
# options; these requests do the rest): `varnames` matches names with Python's re, `csvfile` reads
# CSV/TSV rows with Python's csv module, and `ini` reads
# INI and Java properties files by Python's own configparser: one parser for all terms of a lookup (a later file adds to and overrides the
# earlier ones), option names lower-cased unless case_sensitive, values by key or by regex (re.match).
# lvsplay finds the files and parses the options; each step here is one term: its file and key.
import codecs
import configparser
import csv
import io
import re


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
