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


def plan(request, current, context):
    before = current["policy"] if current else None
    after = desired_policy(request, before)
    extra = {"registry_id": current["registry_id"] if current else None}
    actions = []

    if after is None and before is not None:
        actions.append(Action("delete the registry policy", delete))
    elif after is not None and (before is None or ecr.policies_differ(before, after)):

        def put(client):
            response = ecr.put_registry_policy(client, json.dumps(after))
            extra["registry_id"] = response["registryId"]  # known here even when there was no policy
            return json.loads(response["policyText"])

        actions.append(Action("put the registry policy", put))
    elif after is not None:
        after = before  # equal in meaning: report what the registry holds

    merge = request["statements"] is not None and (request["state"] == "absent" or not request["purge_statements"])
    verify = verify_statements(request) if merge else None
    return Plan(before, after, actions, extra=extra, warnings=open_statement_warnings(after), verify=verify)


def verify_statements(request):
    """verify(current) for a merge by Sid (see verified_write): the statements the task declared,
    equal in meaning, or gone for state=absent."""

    def verify(current):
        by_sid = {statement.get("Sid"): statement for statement in statement_list((current or {}).get("policy") or {})}
        given = request["statements"]
        if request["state"] == "absent":
            back = [statement["Sid"] for statement in given if statement["Sid"] in by_sid]
            return f"registry policy statements {back} are there again" if back else None
        missing = [
            statement["Sid"]
            for statement in given
            if statement["Sid"] not in by_sid or ecr.policies_differ({"Statement": [by_sid[statement["Sid"]]]}, {"Statement": [statement]})
        ]
        return f"registry policy statements {missing} are missing or changed" if missing else None

    return verify


def delete(client):
    ecr.delete_registry_policy(client)
    return None


RESOURCE = Resource(RESULT_KEY, validate, read, plan)
