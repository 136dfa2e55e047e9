"""Policy documents the way ECR hands them back.

ECR stores policy texts (registry policy, a template's repository and lifecycle policies) parsed
and returns them re-serialised by Jackson's DefaultPrettyPrinter: 2-space indent per object level,
`"Key" : value`, arrays inline as `[ a, b ]`, objects inside arrays as `[ {` ... `}, {` ... `} ]`,
key order kept. A client that compares the text it sent with the text it gets back as strings
therefore always sees a difference, as it would against AWS.
"""

import json

from .errors import invalid_parameter


def parse(text, field, reason, required_key):
    """Parse a policy text into a dict; reject what ECR rejects (not JSON, not an object, no `required_key`)."""
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        raise invalid_parameter(field, reason) from None
    if not isinstance(document, dict) or required_key not in document:
        raise invalid_parameter(field, reason)
    return document


def _reject_constant(name):
    # Python accepts NaN/Infinity, Jackson (and so ECR) does not.
    raise ValueError(name)


def pretty(value):
    """Serialise `value` exactly as Jackson's DefaultPrettyPrinter does."""
    return _write(value, 0)


def _write(value, level):
    if isinstance(value, dict):
        if not value:
            return "{ }"
        inner = "  " * (level + 1)
        entries = [f"{inner}{_string(key)} : {_write(item, level + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(entries) + "\n" + "  " * level + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        # Arrays do not add an indentation level in Jackson: only objects do.
        return "[ " + ", ".join(_write(item, level) for item in value) + " ]"
    if isinstance(value, str):
        return _string(value)
    return json.dumps(value)


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(text):
    """Jackson's escaping: quotes, backslash, control characters (upper-case hex); UTF-8 kept as is."""
    out = []
    for char in text:
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
