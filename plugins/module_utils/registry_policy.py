# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry permissions policy: a singleton per account and region.

Managed whole (`policy`) or by statement (`statements`, keyed by Sid) so that several teams can
each own their statements of one policy.
"""

import json

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import policy_document
from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.policy_document import statement_list
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource

RESULT_KEY = "registry_policy"
DEFAULT_VERSION = policy_document.DEFAULT_VERSION
# ECR user guide (private registry permissions): under the account setting REGISTRY_POLICY_SCOPE V1
# a registry policy grants only these actions (or ecr:*, which V1 reads as them); V2 lets it name
# every ECR action.
V1_ACTIONS = ("ecr:ReplicateImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository")
V1_WILDCARD = "ecr:*"
SCOPE_SETTING = "REGISTRY_POLICY_SCOPE"


def max_policy_length():
    """PutRegistryPolicy's policyText limit, as the installed botocore's model states it."""
    return service_model.limit("RegistryPolicyText", "max", 10240)


# Validate


def parse_policy(option, value):
    """(policy document as a dict, warnings), from the dict or JSON text the user gave."""
    document = validators.parse_json(option, value)
    if not isinstance(document, dict):
        raise ParameterError(f"{option}: a policy document must be a JSON object, got {validators.type_name(document)}.")
    document, warnings = policy_document.check_document(option, document)
    check_policy_length(option, document)
    return document, warnings


def check_policy_length(option, document, what="policy"):
    validators.check_text_length(option, document, max_policy_length(), what=what)


def validate(params):
    state = params["state"]
    request = {"state": state, "policy": None, "statements": None, "purge_statements": params["purge_statements"], "warnings": []}
    if params.get("policy") is not None:
        if state == "absent":
            raise ParameterError(
                "policy: cannot be used with state=absent. Omit it to delete the whole policy, or list the statements to remove."
            )
        request["policy"], request["warnings"] = parse_policy("policy", params["policy"])
    if params.get("statements") is not None:
        validators.check_depth("statements", params["statements"])
        seen = set()
        for index, statement in enumerate(params["statements"]):
            where = f"statements[{index}]"
            if state == "present":
                policy_document.check_statement(where, statement, need_sid=True)
            else:
                policy_document.check_statement(where, {"Sid": statement.get("Sid")}, need_sid=True, partial=True)
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
        return None  # the service has no empty policy: no statement left means no policy
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


def policy_warnings(document):
    """Every warning a valid policy deserves."""
    return open_statement_warnings(document) + policy_document.statement_warnings(document, "registry policy")


def write_actions(before, after, extra=None):
    """(after, actions) for turning policy `before` into `after` (None: no policy). Equal in
    meaning: no write, and `after` is what the registry holds. A put records the registry ID in
    `extra`, when given."""
    if after is None and before is not None:
        return None, [Action("delete the registry policy", delete)]
    if after is None or (before is not None and not ecr.policies_differ(before, after)):
        return before, []

    def put(client):
        response = ecr.put_registry_policy(client, validators.document_text(after))
        if extra is not None:
            extra["registry_id"] = response["registryId"]  # known here even when there was no policy
        return json.loads(response["policyText"])

    return after, [Action("put the registry policy", put)]


def plan(request, current, context):
    before = current["policy"] if current else None
    after = desired_policy(request, before)
    if after is not None and request["statements"] is not None:
        # Statements merged into the registry's may outgrow what one statement list did.
        check_policy_length("statements", after, what="resulting policy (the registry's statements with these)")
    extra = {"registry_id": current["registry_id"] if current else None}
    after, actions = write_actions(before, after, extra)
    merge = request["statements"] is not None and (request["state"] == "absent" or not request["purge_statements"])
    verify = verify_statements(request["statements"], absent=request["state"] == "absent") if merge else None
    return Plan(before, after, actions, extra=extra, warnings=request.get("warnings", []) + policy_warnings(after), verify=verify)


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


# REGISTRY_POLICY_SCOPE: checked on the write path only, so a no-op pays no read for it.


def actions_beyond_v1(document):
    """The actions of `document` that V1 does not let a registry policy name, sorted. Another
    wildcard than ecr:*, and any NotAction, count: they reach beyond those three."""
    allowed = {action.lower() for action in V1_ACTIONS + (V1_WILDCARD,)}
    beyond = set()
    for statement in statement_list(document or {}):
        for key in ("Action", "NotAction"):
            values = statement.get(key, [])
            for action in [values] if isinstance(values, str) else values:
                if key == "NotAction" or action.lower() not in allowed:
                    beyond.add(action if key == "Action" else f"NotAction {action}")
    return sorted(beyond)


def check_scope(where, document, scope):
    """Refuse a policy that needs V2 on a registry whose scope is V1, naming the actions."""
    beyond = actions_beyond_v1(document)
    if scope == "V1" and beyond:
        raise ParameterError(
            f"{where}: the registry's account setting {SCOPE_SETTING} is V1, under which a registry policy may name only "
            f"{', '.join(V1_ACTIONS)}; this policy also names {', '.join(beyond)}. Set {SCOPE_SETTING} to V2 first "
            "(ecrkit.registry.ecr_account_setting, or account_settings in ecrkit.registry.ecr_registry; it cannot be set back), "
            "or leave those actions out."
        )


def needs_scope_check(document):
    """Whether writing `document` depends on the registry's scope (one more read)."""
    return document is not None and bool(actions_beyond_v1(document))


def precheck(client, request, plan):
    if needs_scope_check(plan.after):
        check_scope("policy" if request["policy"] is not None else "statements", plan.after, ecr.get_account_setting(client, SCOPE_SETTING))


RESOURCE = Resource(RESULT_KEY, validate, read, plan, precheck=precheck)
