# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checks every module shares: JSON documents, their text as sent, lengths, tags, ARNs.

Each check raises ParameterError naming the option, the value and the rule; none makes an API call.
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn

from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

# No policy or lifecycle document needs more; a bound keeps a hostile document from exhausting the
# stack of the module (or of the code that compares documents).
MAX_DEPTH = 32
ACCOUNT_ID = re.compile(r"[0-9]{12}")
# Tags on AWS resources (Tagging best practices): 50 per resource; keys 1-128 and values 0-256
# characters; the aws: prefix is reserved for AWS.
MAX_TAGS = 50
TAG_KEY_MAX, TAG_VALUE_MAX = 128, 256
RESERVED_TAG_PREFIX = "aws:"


def show(value, limit=80):
    """A value for a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def type_name(value):
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def depth(value):
    """How deeply `value` nests lists and objects (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, (list, tuple)):
            level += 1
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            stack.extend((child, level) for child in item)
    return deepest


def check_depth(option, value):
    if depth(value) > MAX_DEPTH:
        raise ParameterError(f"{option}: nests lists and objects more than {MAX_DEPTH} levels deep; no valid document does.")


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")  # Python accepts NaN and Infinity, the service does not


def _object_without_duplicates(pairs):
    keys = [key for key, _value in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"key {duplicates[0]!r} appears more than once in one object")
    return dict(pairs)


def parse_json(option, value):
    """A JSON text parsed strictly (no NaN, no duplicate keys, bounded depth), or the value itself
    when it is already parsed."""
    if isinstance(value, str):
        try:
            value = json.loads(value, parse_constant=_reject_constant, object_pairs_hook=_object_without_duplicates)
        except RecursionError:
            raise ParameterError(f"{option}: nests lists and objects more than {MAX_DEPTH} levels deep; no valid document does.") from None
        except ValueError as e:
            raise ParameterError(f"{option}: not valid JSON ({e}).") from None
    check_depth(option, value)
    return value


def parse_json_object(option, value, empty_is_none=False):
    """A JSON object (dict) from a dict or JSON text. With `empty_is_none`, "" and {} mean None."""
    if empty_is_none and value in ("", None):
        return None
    document = parse_json(option, value)
    if not isinstance(document, dict):
        raise ParameterError(f"{option}: must be a JSON object, got {type_name(document)}.")
    return (document or None) if empty_is_none else document


def document_text(document):
    """The text sent for a JSON document: compact and UTF-8. The API's length limits count this text,
    so the module measures what it sends with this one function."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def check_text_length(option, document, maximum, minimum=0, what="document"):
    length = len(document_text(document))
    if length > maximum:
        raise ParameterError(
            f"{option}: the {what} is {length} characters long as sent (compact JSON); the API takes at most {maximum}."
        )
    if length < minimum:
        raise ParameterError(f"{option}: the {what} is {length} characters long as sent (compact JSON); the API takes at least {minimum}.")


def check_string(option, value, maximum=None, minimum=0, pattern=None, rule=None):
    """A string option: type, length and (re.fullmatch) pattern; `rule` says in words what it must be."""
    if not isinstance(value, str):
        raise ParameterError(f"{option}: {show(value)} is a {type_name(value)}; give a string{f' ({rule})' if rule else ''}.")
    if len(value) < minimum or (maximum is not None and len(value) > maximum):
        bounds = f"{minimum}-{maximum}" if maximum is not None else f"at least {minimum}"
        raise ParameterError(f"{option}: {show(value)} is not {rule or 'valid'}: it is {len(value)} characters long, not {bounds}.")
    if pattern is not None and not re.fullmatch(pattern, value):
        raise ParameterError(f"{option}: {show(value)} is not {rule or f'of the form {pattern}'}.")
    return value


def check_unique(option, values, key=lambda value: value):
    """Refuse a list that names the same thing twice; `key` says what "the same" is."""
    seen = set()
    for index, value in enumerate(values):
        identity = key(value)
        if identity in seen:
            raise ParameterError(f"{option}[{index}]: {show(value)} is given more than once; each must be unique.")
        seen.add(identity)


def check_tags(option, tags):
    """Resource tags as {key: value} strings: at most 50, no reserved aws: keys, bounded lengths."""
    if not isinstance(tags, dict):
        raise ParameterError(f"{option}: {show(tags)} is a {type_name(tags)}; give a dict of tag keys and values.")
    if len(tags) > MAX_TAGS:
        raise ParameterError(f"{option}: {len(tags)} tags given; a resource holds at most {MAX_TAGS}.")
    result = {}
    for key, value in tags.items():
        if value is None or isinstance(value, (bool, dict, list)):
            raise ParameterError(f"{option}.{key}: {show(value)} is not a tag value; give a string.")
        key, value = str(key), str(value)
        if not 1 <= len(key) <= TAG_KEY_MAX:
            raise ParameterError(f"{option}: the tag key {show(key)} is {len(key)} characters long; tag keys are 1-{TAG_KEY_MAX}.")
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            raise ParameterError(f"{option}: the tag key {show(key)} starts with {RESERVED_TAG_PREFIX!r}, which AWS reserves for its own tags.")
        if len(value) > TAG_VALUE_MAX:
            raise ParameterError(f"{option}.{key}: the value is {len(value)} characters long; tag values are at most {TAG_VALUE_MAX}.")
        result[key] = value
    return result


def parse_arn(value):
    """The parts of an ARN (amazon.aws's parse_aws_arn: partition, service, region, account_id,
    resource, resource_type, resource_id), or None when `value` is not one."""
    if not isinstance(value, str) or not value.startswith("arn:"):
        return None
    return parse_aws_arn(value)


def check_arn(option, value, service, resource_prefixes, rule):
    """An ARN of `service` whose resource starts with one of `resource_prefixes`; `rule` names it."""
    parts = parse_arn(value)
    if parts is None or parts["service"] != service or not parts["resource"].startswith(tuple(resource_prefixes)):
        raise ParameterError(f"{option}: {show(value)} is not {rule}.")
    return value


def check_arn_account(option, arn, account):
    """A resource the registry uses through its own permissions must be in the registry's account."""
    parts = parse_arn(arn)
    if account and parts and parts["account_id"] != account:
        raise ParameterError(f"{option}: {arn!r} is in account {parts['account_id']}; it must be in the registry's account {account}.")


def check_arn_region(option, arn, region):
    parts = parse_arn(arn)
    if region and parts and parts["region"] and parts["region"] != region:
        raise ParameterError(f"{option}: {arn!r} is in region {parts['region']}; it must be in the registry's region {region}.")
