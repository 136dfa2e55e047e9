"""Request validation from botocore's own ECR service model.

AWS checks every request against the constraints of its Smithy/Coral model before the operation
runs, and answers `ValidationException` with "N validation error(s) detected: ..." listing each
violated constraint. botocore ships the same model, so the constraints here are the service's,
not ours: required members, string length and pattern, enums, list length, integer range, booleans.
Values of the wrong JSON type are a `SerializationException`, as in AWS.
Members the model does not know are reported too: AWS ignores them, but a client that sends one
has a bug we want the tests to see.
"""

import re

from .errors import EcrError

# Java regex syntax with no Python equivalent. The ECR model uses none today (all its patterns
# compile as they are); a later botocore may bring them, so translate rather than crash.
_POSIX_CLASSES = {"Alpha": "A-Za-z", "Digit": "0-9", "Alnum": "A-Za-z0-9", "Upper": "A-Z", "Lower": "a-z",
                  "XDigit": "0-9A-Fa-f", "Space": r"\s"}


def compile_pattern(pattern):
    """Compile a model pattern (a Java regex) for re.fullmatch, translating Java-only syntax."""
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile(_translate(pattern))


def _translate(pattern):
    """Rewrite \\p{Alpha}-style classes (inside or outside [...]) and \\z; leave the rest alone."""
    out, in_class, index = [], False, 0
    while index < len(pattern):
        posix = re.match(r"\\p\{(\w+)\}", pattern[index:])
        if posix and posix.group(1) in _POSIX_CLASSES:
            body = _POSIX_CLASSES[posix.group(1)]
            out.append(body if in_class else f"[{body}]")
            index += posix.end()
        elif pattern[index] == "\\":
            pair = pattern[index:index + 2]
            out.append(r"\Z" if pair == r"\z" else pair)
            index += 2
        else:
            in_class = {"[": True, "]": False}.get(pattern[index], in_class)
            out.append(pattern[index])
            index += 1
    return "".join(out)


class Validator:
    """Checks one operation's input against its input shape, recursively."""

    def __init__(self, service_model):
        self._model = service_model
        self._patterns = {}

    def validate(self, operation_name, params):
        shape = self._model.operation_model(operation_name).input_shape
        errors = []
        if shape is not None:
            self._structure(shape, params, "", errors)
        if errors:
            count = len(errors)
            noun = "error" if count == 1 else "errors"
            raise EcrError("ValidationException", f"{count} validation {noun} detected: " + "; ".join(errors))

    def _check(self, shape, value, path, errors):
        kind = shape.type_name
        if kind == "structure":
            self._structure(shape, value, path, errors)
        elif kind == "list":
            self._list(shape, value, path, errors)
        elif kind == "string":
            self._string(shape, value, path, errors)
        elif kind == "integer":
            self._integer(shape, value, path, errors)
        elif kind == "boolean":
            _expect(isinstance(value, bool), value, path, "boolean")
        # The inputs of the operations served hold no other types (maps, blobs, ...).

    def _structure(self, shape, value, path, errors):
        _expect(isinstance(value, dict), value, path, "object")
        for name in shape.required_members:
            if value.get(name) is None:
                errors.append(f"Value null at '{_join(path, name)}' failed to satisfy constraint: Member must not be null")
        for name, member_value in value.items():
            member_path = _join(path, name)
            if name not in shape.members:
                errors.append(
                    f"Value {_show(member_value)} at '{member_path}' failed to satisfy constraint: "
                    f"Member must be a known member of {shape.name}"
                )
            elif member_value is not None:
                self._check(shape.members[name], member_value, member_path, errors)

    def _list(self, shape, value, path, errors):
        _expect(isinstance(value, list), value, path, "array")
        _length(shape, len(value), value, path, errors)
        for index, item in enumerate(value, start=1):
            self._check(shape.member, item, f"{path}.{index}.member", errors)

    def _string(self, shape, value, path, errors):
        _expect(isinstance(value, str), value, path, "string")
        _length(shape, len(value), value, path, errors)
        pattern = shape.metadata.get("pattern")
        if pattern is not None:
            if pattern not in self._patterns:
                self._patterns[pattern] = compile_pattern(pattern)
            if not self._patterns[pattern].fullmatch(value):
                errors.append(_failed(value, path, f"Member must satisfy regular expression pattern: {pattern}"))
        if shape.enum and value not in shape.enum:
            errors.append(_failed(value, path, "Member must satisfy enum value set: [" + ", ".join(shape.enum) + "]"))

    def _integer(self, shape, value, path, errors):
        _expect(isinstance(value, int) and not isinstance(value, bool), value, path, "integer")
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and value < low:
            errors.append(_failed(value, path, f"Member must have value greater than or equal to {low}"))
        if high is not None and value > high:
            errors.append(_failed(value, path, f"Member must have value less than or equal to {high}"))


def _length(shape, size, value, path, errors):
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        errors.append(_failed(value, path, f"Member must have length greater than or equal to {low}"))
    if high is not None and size > high:
        errors.append(_failed(value, path, f"Member must have length less than or equal to {high}"))


def _expect(ok, value, path, json_type):
    if not ok:
        raise EcrError("SerializationException", f"Expected {json_type} at '{path}' but got {_show(value)}")


def _failed(value, path, constraint):
    return f"Value {_show(value)} at '{path}' failed to satisfy constraint: {constraint}"


def _show(value):
    """Render a value the way Coral does in its messages: 'text', '5', '[a, b]'."""
    return f"'{_plain(value)}'"


def _plain(value):
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={_plain(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_plain(item) for item in value) + "]"
    return str(value)


def _join(path, name):
    return f"{path}.{name}" if path else name
