# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry permissions policy: a singleton per account and region.

Managed whole (`policy`) or by statement (`statements`, keyed by Sid) so that several teams can
each own their statements of one policy.
"""

import json
import re

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource

RESULT_KEY = "registry_policy"
DEFAULT_VERSION = "2012-10-17"
# PutRegistryPolicy: policyText is at most 10,240 characters.
MAX_POLICY_LENGTH = 10240
# IAM: a Sid is made of ASCII letters and digits.
SID_PATTERN = re.compile(r"^[A-Za-z0-9]+$")


# Validate


def parse_policy(option, value):
    """A policy document as a dict, from the dict or JSON text the user gave."""
    if isinstance(value, dict):
        document = value
    else:
        try:
            document = json.loads(value)
        except ValueError as e:
            raise ParameterError(f"{option}: not valid JSON ({e}).") from e
    if not isinstance(document, dict):
        raise ParameterError(f"{option}: a policy document must be a JSON object, got {type(document).__name__}.")
    if "Statement" not in document:
        raise ParameterError(f"{option}: a policy document needs a 'Statement' element.")
    length = len(json.dumps(document))
    if length > MAX_POLICY_LENGTH:
        raise ParameterError(f"{option}: the policy is {length} characters long; the registry policy is limited to {MAX_POLICY_LENGTH}.")
    for index, statement in enumerate(statement_list(document)):
        check_statement(f"{option}.Statement[{index}]", statement, need_sid=False)
    return document


def check_statement(where, statement, need_sid):
    if not isinstance(statement, dict):
        raise ParameterError(f"{where}: a statement must be a dict, got {statement!r}.")
    sid = statement.get("Sid")
    if sid is not None or need_sid:
        if not isinstance(sid, str) or not SID_PATTERN.match(sid):
            raise ParameterError(f"{where}.Sid: {sid!r} is not a valid Sid (letters and digits only, required here).")
    effect = statement.get("Effect")
    if effect is not None or not need_sid:
        if effect not in ("Allow", "Deny"):
            raise ParameterError(f"{where}.Effect: {effect!r} must be 'Allow' or 'Deny'.")


def validate(params):
    state = params["state"]
    request = {"state": state, "policy": None, "statements": None, "purge_statements": params["purge_statements"]}
    if params.get("policy") is not None:
        if state == "absent":
            raise ParameterError(
                "policy: cannot be used with state=absent. Omit it to delete the whole policy, or list the statements to remove."
            )
        request["policy"] = parse_policy("policy", params["policy"])
    if params.get("statements") is not None:
        seen = set()
        for index, statement in enumerate(params["statements"]):
            where = f"statements[{index}]"
            if state == "present":
                check_statement(where, statement, need_sid=True)
                if "Effect" not in statement:
                    raise ParameterError(f"{where}.Effect: required, 'Allow' or 'Deny'.")
            else:
                check_statement(where, {"Sid": statement.get("Sid")}, need_sid=True)
            if statement["Sid"] in seen:
                raise ParameterError(f"{where}.Sid: {statement['Sid']!r} is used by more than one statement; a Sid must be unique.")
            seen.add(statement["Sid"])
        request["statements"] = params["statements"]
    return request


# Read


def read(client, request):
    """{registry_id, policy} or None when the registry has no policy."""
    current = ecr.get_registry_policy(client)
    if current is None:
        return None
    return {"registry_id": current["registryId"], "policy": json.loads(current["policyText"])}


# Compare and plan


def statement_list(document):
    """A policy's statements as a list: the grammar allows a single statement object."""
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def merge_statements(current, given, purge):
    """Statements after putting `given` (keyed by Sid) into `current`: replaced in place, new ones
    appended, the others kept unless `purge`."""
    if purge:
        return list(given)
    by_sid = {statement["Sid"]: statement for statement in given}
    merged = [by_sid.get(statement.get("Sid"), statement) for statement in current]
    placed = {statement.get("Sid") for statement in current}
    return merged + [statement for statement in given if statement["Sid"] not in placed]


def merge_statement_fields(current, given):
    """Statements after laying each given statement's elements over the current one with its Sid:
    elements it omits are kept; new Sids are appended."""
    by_sid = {statement["Sid"]: statement for statement in current if statement.get("Sid")}
    return merge_statements(current, [dict(by_sid.get(statement["Sid"], {}), **statement) for statement in given], purge=False)


def remove_statements(current, sids):
    return [statement for statement in current if statement.get("Sid") not in sids]


def desired_policy(request, current_policy):
    """The whole policy the user wants, or None for no policy."""
    if request["policy"] is not None:
        return request["policy"]
    if request["statements"] is None:
        return None  # state=absent alone: delete the policy
    base = current_policy or {"Version": DEFAULT_VERSION, "Statement": []}
    current_statements = statement_list(base)
    if request["state"] == "present":
        statements = merge_statements(current_statements, request["statements"], request["purge_statements"])
    else:
        statements = remove_statements(current_statements, {statement["Sid"] for statement in request["statements"]})
        if not statements:
            return None
    return dict(base, Statement=statements)


def open_statement_warnings(document):
    """Statements that let any AWS principal in, with nothing to narrow it down."""
    warnings = []
    for index, statement in enumerate(statement_list(document or {})):
        principal = statement.get("Principal")
        if isinstance(principal, dict):
            principal = principal.get("AWS")
        principals = principal if isinstance(principal, list) else [principal]
        if statement.get("Effect") == "Allow" and "*" in principals and not statement.get("Condition"):
            name = statement.get("Sid") or f"Statement[{index}]"
            warnings.append(
                f"registry policy statement {name} allows any principal ('*') with no Condition: every AWS account gets "
                "these actions on this registry. Add a Condition (e.g. aws:PrincipalOrgID) unless that is intended."
            )
    return warnings


def write_actions(before, after, extra=None):
    """(after, actions) for turning policy `before` into `after` (None: no policy). Equal in
    meaning: no write, and `after` is what the registry holds. A put records the registry ID in
    `extra`, when given."""
    if after is None and before is not None:
        return None, [Action("delete the registry policy", delete)]
    if after is None or (before is not None and not ecr.policies_differ(before, after)):
        return before, []

    def put(client):
        response = ecr.put_registry_policy(client, json.dumps(after))
        if extra is not None:
            extra["registry_id"] = response["registryId"]  # known here even when there was no policy
        return json.loads(response["policyText"])

    return after, [Action("put the registry policy", put)]


def plan(request, current, context):
    before = current["policy"] if current else None
    extra = {"registry_id": current["registry_id"] if current else None}
    after, actions = write_actions(before, desired_policy(request, before), extra)
    merge = request["statements"] is not None and (request["state"] == "absent" or not request["purge_statements"])
    verify = verify_statements(request["statements"], absent=request["state"] == "absent") if merge else None
    return Plan(before, after, actions, extra=extra, warnings=open_statement_warnings(after), verify=verify)


def verify_statements(given, absent=False, keep_elements=False):
    """verify(current) for a merge by Sid (see verified_write; `current` as `read` returns it): the
    statements `given`, equal in meaning, or gone when `absent`. With `keep_elements` a statement
    was laid over the current one (merge_statement_fields): only the elements it gives count."""

    def verify(current):
        by_sid = {statement.get("Sid"): statement for statement in statement_list((current or {}).get("policy") or {})}
        if absent:
            back = [statement["Sid"] for statement in given if statement["Sid"] in by_sid]
            return f"registry policy statements {back} are there again" if back else None

        def differs(statement, there):
            wanted = dict(there, **statement) if keep_elements else statement
            return ecr.policies_differ({"Statement": [there]}, {"Statement": [wanted]})

        missing = [statement["Sid"] for statement in given if statement["Sid"] not in by_sid or differs(statement, by_sid[statement["Sid"]])]
        return f"registry policy statements {missing} are missing or changed" if missing else None

    return verify


def delete(client):
    ecr.delete_registry_policy(client)
    return None


RESOURCE = Resource(RESULT_KEY, validate, read, plan)
