# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A resource's options as one declarative table: one row (Field) per option.

A row names the option and its API member (a path for a member inside a structure), and says how a
value is specified (argument spec), checked, sent, read back and compared, how an update clears it,
and which botocore release first knew it. What a resource would otherwise repeat per field is
derived from its rows:

- argument_spec(table): the module's argument spec, and that of ecr_registry's section items;
- check(table, where, params): the values checked and completed with defaults (no API call); errors
  name where.option and the rule;
- defaults(table): the resource as the service creates it when nothing is given;
- to_api(table, value, current) / from_api(table, member): the API shape from and to the result
  shape; an update clears what `current` has and `value` has not;
- same(table, value, other) and changed(table, value, other): comparison by meaning (sets where
  order means nothing, policies by amazon.aws's compare_policies);
- botocore_requirements(table, params): (version, reason) for the members the task sets;
- in_place(table): the options an update changes (the others need a delete and a create).

Constraints (lengths, patterns, list sizes) come from the installed botocore's ECR model where it
states them; choices are written in the row (the docs must show them) and a unit test compares them
with the model's enums.
"""

import copy
from collections import namedtuple

from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

# option: the option's name; api: the member's name, or a tuple path into structures. spec: its
# argument spec. default: the value when neither given nor returned. check(where, value) -> value.
# encode(value) -> API value (OMIT: not sent); decode(API value) -> value. canon(value) -> hashable;
# equal(value, other) -> bool when meaning needs more than canon. clear: the API value an update
# sends to remove it (None: never sent unset). shape: the model shape whose enum or constraints the
# row follows. botocore: the release that first knew the member, or botocore(value) -> [(version,
# reason)] when it depends on the value (None: every release we support). items: the table of a
# list's items. in_place: whether an update changes it (else changing it means a delete and a create).
Field = namedtuple(
    "Field", ["option", "api", "spec", "default", "check", "encode", "decode", "canon", "shape", "botocore", "items", "clear", "equal", "in_place"],
    defaults=[None, None, None, True],
)
OMIT = object()


def _same(value):
    return value


def _taken(where, value):
    return value


def field(option, api, spec, default=None, check=None, encode=_same, decode=_same, canon=_same, equal=None, clear=None, botocore=None, shape=None,
          in_place=True):
    """A row of any kind; the constructors below are the common ones."""
    return Field(option, api, spec, default, check or _taken, encode, decode, canon, shape, botocore, None, clear, equal, in_place)


def _choice(choices):
    def check(where, value):
        if value not in choices:
            raise ParameterError(f"{where}: {validators.show(value)} is not one of {', '.join(choices)}.")
        return value

    return check


def enum(option, api, choices, shape, required=False, default=None, botocore=None):
    """A string with fixed choices (the model's enum `shape`)."""
    spec = dict(type="str", choices=list(choices))
    if required:
        spec["required"] = True
    return Field(option, api, spec, default, _choice(choices), _same, _same, _same, shape, botocore)


def string(option, api, shape, rule, check=None, required=False, botocore=None):
    """A string with the model's length and pattern for `shape`; `check(where, value)` adds more."""

    def checked(where, value):
        meta = service_model.shape_metadata(shape)
        value = validators.check_string(where, value, meta.get("max"), meta.get("min", 0), meta.get("pattern"), rule)
        return check(where, value) if check else value

    spec = dict(type="str", required=True) if required else dict(type="str")
    return Field(option, api, spec, None, checked, _same, _same, _same, shape, botocore)


def wildcard_filters(option, api, filter_type, shape, list_shape, required=False, botocore=None, omit_empty=False):
    """Repository filters given as strings, sent as [{filter, filterType}]; a set when compared.
    `omit_empty`: an empty list is not sent (the API takes none, or at least one)."""

    def check(where, values):
        maximum = service_model.limit(list_shape, "max", 100)
        if len(values) > maximum:
            raise ParameterError(f"{where}: {len(values)} filters given; at most {maximum}.")
        meta = service_model.shape_metadata(shape)
        rule = f"a repository name filter ({meta.get('min', 1)}-{meta.get('max', 256)} of a-z, 0-9, . _ - / and the wildcard *)"
        checked = [
            validators.check_string(f"{where}[{index}]", value, meta.get("max"), meta.get("min", 1), meta.get("pattern"), rule)
            for index, value in enumerate(values)
        ]
        validators.check_unique(where, checked)
        return checked

    spec = dict(type="list", elements="str", required=True) if required else dict(type="list", elements="str")
    return Field(
        option, api, spec, [], check,
        lambda values: [{"filter": value, "filterType": filter_type} for value in values] if values or not omit_empty else OMIT,
        lambda filters: [item["filter"] for item in filters],
        frozenset, shape, botocore,
    )


def item_list(option, api, table, list_shape, what, botocore=None):
    """A list of items with their own table; a set of items when compared (order means nothing)."""

    def check_items(where, items):
        maximum = service_model.limit(list_shape, "max", None)
        if maximum is not None and len(items) > maximum:
            raise ParameterError(f"{where}: {len(items)} {what} given; at most {maximum}.")
        checked = [check(table, f"{where}[{index}]", item) for index, item in enumerate(items)]
        validators.check_unique(where, checked, key=lambda item: canonical(table, item))
        return checked

    return Field(
        option, api, dict(type="list", elements="dict", options=argument_spec(table)), [], check_items,
        lambda items: [to_api(table, item) for item in items],
        lambda items: [from_api(table, item) for item in items],
        lambda items: frozenset(canonical(table, item) for item in items), list_shape, botocore, table,
    )


# What a table gives


def argument_spec(table):
    return {field.option: dict(field.spec) for field in table}


def join(where, option):
    return f"{where}.{option}" if where else option


def check(table, where, params):
    """{option: value} for every row: given values checked, the rest at their defaults. `where`
    names the item in errors ("" at a module's top level)."""
    if not isinstance(params, dict):
        raise ParameterError(f"{where}: {validators.show(params)} is a {validators.type_name(params)}; give a dict.")
    checked = {}
    for field in table:
        value = params.get(field.option)
        if value is None:
            if field.spec.get("required"):
                raise ParameterError(f"{join(where, field.option)}: required.")
            checked[field.option] = field.default
        else:
            checked[field.option] = field.check(join(where, field.option), value)
    return checked


def _path(api):
    return api if isinstance(api, tuple) else (api,)


def _get(member, api):
    for key in _path(api):
        member = (member or {}).get(key)
    return member


def _put(request, api, value):
    *parents, key = _path(api)
    for parent in parents:
        request = request.setdefault(parent, {})
    request[key] = value


def defaults(table):
    return {field.option: copy.deepcopy(field.default) for field in table}


def to_api(table, value, current=None):
    """The API request for `value`; with `current` (an update), what it has and `value` has not is
    sent as the row's `clear` value, so it is removed whatever the service does with a left-out member."""
    request = {}
    for field in table:
        given = value.get(field.option)
        if given is None:
            if current is not None and field.clear is not None and current.get(field.option) is not None:
                _put(request, field.api, field.clear)
            continue
        encoded = field.encode(given)
        if encoded is not OMIT:
            _put(request, field.api, encoded)
    return request


def from_api(table, member):
    """The result shape of an API member: what the service leaves out is at its default."""
    result = {}
    for field in table:
        raw = _get(member, field.api)
        result[field.option] = field.decode(raw) if raw is not None else copy.deepcopy(field.default)
    return result


def canonical(table, value):
    return tuple(None if value.get(field.option) is None else field.canon(value[field.option]) for field in table)


def equal(field, value, other):
    if field.equal is not None:
        return field.equal(value, other)
    if value is None or other is None:
        return value is None and other is None
    return field.canon(value) == field.canon(other)


def changed(table, value, other):
    """The options whose values differ in meaning, in table order."""
    return [field.option for field in table if not equal(field, value.get(field.option), other.get(field.option))]


def same(table, value, other):
    return not changed(table, value, other)


def in_place(table):
    return tuple(field.option for field in table if field.in_place)


def botocore_requirements(table, params, where=""):
    """(version, reason) for each row with a `botocore` release that `params` sets."""
    needs = []
    for field in table:
        value = params.get(field.option)
        if value is None:
            continue
        if callable(field.botocore):
            needs += field.botocore(value)
        elif field.botocore:
            needs.append((field.botocore, f"to set {join(where, field.option)}"))
        if field.items and isinstance(value, list):
            needs += [need for item in value if isinstance(item, dict) for need in botocore_requirements(field.items, item, f"{join(where, field.option)}[]")]
    return sorted(set(needs))
