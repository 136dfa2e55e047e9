# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IAM policy grammar as ECR's resource policies (registry, repository) take it.

A misspelt key (`Efect`, `Conditon`) is not ignored by us: IAM would refuse it, or worse, a
statement that lost its Condition to a typo would grant more than meant. So every element is
checked: its name, its type, and the form of effects, actions and principals.
"""

import re

from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.validators import show
from ansible_collections.ecrkit.registry.plugins.module_utils.validators import type_name

DEFAULT_VERSION = "2012-10-17"
VERSIONS = ("2012-10-17", "2008-10-17")
DOCUMENT_KEYS = ("Version", "Id", "Statement")
STATEMENT_KEYS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition")
EFFECTS = ("Allow", "Deny")
# IAM: a Sid is made of ASCII letters and digits.
SID_PATTERN = re.compile(r"[A-Za-z0-9]+")
# An ECR action, wildcards allowed (ecr:*, ecr:Batch*); the service prefix is case-insensitive.
ECR_ACTION = re.compile(r"(?i:ecr):[A-Za-z0-9*?]+")
# The principal forms a resource policy takes (IAM JSON policy reference, Principal).
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
AWS_PRINCIPAL = re.compile(
    r"\*|[0-9]{12}"
    r"|arn:aws[a-z-]*:iam::[0-9]{12}:(root|(role|user)/[\w+=,.@/-]+)"
    r"|arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[\w+=,.@-]+/[\w+=,.@-]+"
)
SERVICE_PRINCIPAL = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?")
RESOURCE = re.compile(r"\*|arn:.+")


def statement_list(document):
    """A policy's statements as a list: the grammar allows a single statement object."""
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def string_list(where, value, what):
    """An element that is a string or a non-empty list of strings, as a list."""
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(item, str) for item in values):
        raise ParameterError(f"{where}: {show(value)} is not {what}: give a string or a non-empty list of strings.")
    return values


def check_actions(where, value):
    for action in string_list(where, value, "a list of actions"):
        if not ECR_ACTION.fullmatch(action):
            raise ParameterError(
                f"{where}: {action!r} is not an Amazon ECR action; ECR policies take actions of the ecr: namespace only "
                "(e.g. ecr:ReplicateImage, ecr:CreateRepository, ecr:*)."
            )


def check_principal(where, value):
    if value == "*":
        return
    if not isinstance(value, dict) or not value:
        raise ParameterError(f"{where}: {show(value)} is not a principal: give \"*\" or a dict such as {{'AWS': ACCOUNT_ID_OR_ARN}}.")
    for kind, names in value.items():
        if kind not in PRINCIPAL_TYPES:
            raise ParameterError(f"{where}: {kind!r} is not a principal type; use one of {', '.join(PRINCIPAL_TYPES)}.")
        for name in string_list(f"{where}.{kind}", names, "a list of principals"):
            if kind == "AWS" and not AWS_PRINCIPAL.fullmatch(name):
                raise ParameterError(
                    f"{where}.AWS: {name!r} is not an AWS principal: give a 12-digit account ID, an account's "
                    "arn:aws:iam::ACCOUNT:root, an IAM role or user ARN (arn:aws:iam::ACCOUNT:role/NAME), or \"*\"."
                )
            if kind == "Service" and not SERVICE_PRINCIPAL.fullmatch(name):
                raise ParameterError(f"{where}.Service: {name!r} is not a service principal (e.g. ecr.amazonaws.com).")


def check_condition(where, value):
    """Condition: {operator: {key: value or values}}."""
    if not isinstance(value, dict):
        raise ParameterError(f"{where}: {show(value)} is not a Condition block: give {{OPERATOR: {{KEY: VALUE}}}}.")
    for operator, block in value.items():
        if not isinstance(block, dict) or not block:
            raise ParameterError(f"{where}.{operator}: {show(block)} is not a condition: give {{KEY: VALUE}}.")
        for key, item in block.items():
            items = item if isinstance(item, list) else [item]
            if not items or not all(isinstance(one, (str, bool, int, float)) for one in items):
                raise ParameterError(f"{where}.{operator}.{key}: {show(item)} is not a condition value: give a string or a list of strings.")


def check_statement(where, statement, need_sid, partial=False):
    """One statement. `need_sid`: statements managed by Sid. `partial`: only a Sid is needed (to
    name a statement to remove)."""
    if not isinstance(statement, dict):
        raise ParameterError(f"{where}: a statement must be a dict, got {type_name(statement)} {show(statement)}.")
    unknown = [key for key in statement if key not in STATEMENT_KEYS]
    if unknown:
        raise ParameterError(
            f"{where}: {unknown[0]!r} is not a policy statement element; a statement takes {', '.join(STATEMENT_KEYS)}."
        )
    sid = statement.get("Sid")
    if sid is not None or need_sid:
        if not isinstance(sid, str) or not SID_PATTERN.fullmatch(sid):
            raise ParameterError(f"{where}.Sid: {show(sid)} is not a valid Sid (letters and digits only{', required here' if need_sid else ''}).")
    if partial:
        return
    effect = statement.get("Effect")
    if effect not in EFFECTS:
        raise ParameterError(f"{where}.Effect: {'required' if effect is None else show(effect)}; it must be 'Allow' or 'Deny'.")
    for one, other, required in (("Principal", "NotPrincipal", True), ("Action", "NotAction", True), ("Resource", "NotResource", False)):
        if one in statement and other in statement:
            raise ParameterError(f"{where}: has both {one} and {other}; a statement takes one of them.")
        if required and one not in statement and other not in statement:
            raise ParameterError(f"{where}.{one}: required ({one} or {other}) in a statement of a resource policy.")
    for key in ("Principal", "NotPrincipal"):
        if key in statement:
            check_principal(f"{where}.{key}", statement[key])
    for key in ("Action", "NotAction"):
        if key in statement:
            check_actions(f"{where}.{key}", statement[key])
    for key in ("Resource", "NotResource"):
        if key in statement:
            for resource in string_list(f"{where}.{key}", statement[key], "a list of resources"):
                if not RESOURCE.fullmatch(resource):
                    raise ParameterError(f"{where}.{key}: {resource!r} is not a resource: give an ARN or \"*\".")
    if "Condition" in statement:
        check_condition(f"{where}.Condition", statement["Condition"])


def version_warning(option):
    return f"{option}: no Version given; using {DEFAULT_VERSION!r}, the current policy language."


def check_document_elements(option, document):
    """The document's own elements (not its statements): known names, a known Version."""
    if not isinstance(document, dict):
        raise ParameterError(f"{option}: a policy document must be a JSON object, got {type_name(document)}.")
    unknown = [key for key in document if key not in DOCUMENT_KEYS]
    if unknown:
        raise ParameterError(f"{option}: {unknown[0]!r} is not a policy element; a policy takes {', '.join(DOCUMENT_KEYS)}.")
    if "Version" in document and document["Version"] not in VERSIONS:
        raise ParameterError(f"{option}.Version: {show(document['Version'])} must be one of {', '.join(VERSIONS)}.")


def check_document(option, document, default_version=True):
    """A whole policy document (a dict). Returns the document, with the default Version added when
    it has none and `default_version`, and the warnings it deserves."""
    warnings = []
    check_document_elements(option, document)
    if "Version" not in document and default_version:
        warnings.append(version_warning(option))
        document = dict(Version=DEFAULT_VERSION, **document)
    if "Statement" not in document:
        raise ParameterError(f"{option}: a policy document needs a 'Statement' element.")
    statements = document["Statement"]
    if not isinstance(statements, (list, dict)):
        raise ParameterError(f"{option}.Statement: {show(statements)} is a {type_name(statements)}; give a list of statements.")
    if not statements:
        raise ParameterError(f"{option}.Statement: empty; a policy needs at least one statement.")
    sids = set()
    for index, statement in enumerate(statement_list(document)):
        where = f"{option}.Statement[{index}]"
        check_statement(where, statement, need_sid=False)
        sid = statement.get("Sid")
        if sid is not None and sid in sids:
            raise ParameterError(f"{where}.Sid: {sid!r} is used by more than one statement; a Sid must be unique in a policy.")
        sids.add(sid)
    return document, warnings


def statement_warnings(document, what):
    """Statements that are valid but rarely mean what their author wants."""
    warnings = []
    for index, statement in enumerate(statement_list(document or {})):
        if statement.get("Effect") == "Allow" and "NotPrincipal" in statement:
            name = statement.get("Sid") or f"Statement[{index}]"
            warnings.append(
                f"{what} statement {name} uses NotPrincipal with Allow: it allows every principal except those named, "
                "including anonymous ones. Name the principals to allow in Principal instead."
            )
    return warnings
