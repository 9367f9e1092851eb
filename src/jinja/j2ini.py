# The `ini` lookup's reading of INI and Java properties files, done by Python's own configparser as
# Ansible 2.14 does it: one parser for all terms of a lookup (a later file adds to and overrides the
# earlier ones), option names lower-cased unless case_sensitive, values by key or by regex (re.match).
# lvsplay finds the files and parses the options; each step here is one term: its file and key.
import configparser
import io
import re


class IniError(Exception):
    """A lookup failure with Ansible's message (lvsplay reports it as the lookup's error)."""


def lookup(msg):
    cp = configparser.ConfigParser(allow_no_value=bool(msg.get('allow_no_value')))
    if msg.get('case_sensitive'):
        cp.optionxform = str
    out = []
    for step in msg['steps']:
        with open(step['path'], 'rb') as f:
            data = f.read()
        try:
            text = data.decode(step['encoding'], 'surrogateescape')
        except LookupError as e:
            raise IniError(str(e))
        if step['properties']:
            text = '[java_properties]\n' + text
        try:
            cp.read_file(io.StringIO(text))
        except configparser.DuplicateOptionError as e:
            raise IniError("Duplicate option in '%s': %s" % (step['file'], e))
        except configparser.Error as e:  # Ansible does not catch these: configparser's own message
            raise IniError(str(e))
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
            raise IniError("No section '%s' in %s" % (section, step['file']))
        if value is not None:
            out.append(value)
    return out
