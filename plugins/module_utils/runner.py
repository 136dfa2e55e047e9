# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one flow every module follows, written once:

validate (no API call) -> read current (one call) -> plan -> apply unless check mode -> result + diff.

A resource file supplies a Resource: three functions and the name of its result key. `changed`
comes from the plan (what differs), never from "an API was called". Writes go through
verified_write.apply: a plan with `verify` is read back and merged again if a concurrent writer
undid it, and a create that finds its item there is resolved by reading again.
"""

from collections import namedtuple

from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import AnsibleEcrError
from ansible_collections.ecrkit.registry.plugins.module_utils.ecr import ecr_client
from ansible_collections.ecrkit.registry.plugins.module_utils import verified_write


class ParameterError(Exception):
    """Bad input, found before any write. The message names the option, the value and the rule."""


# One write. `apply(client)` makes the call(s) and returns the resource as it now is (result shape,
# None once deleted); `description` says in words what the write does.
Action = namedtuple("Action", ["description", "apply"])


class Plan:
    """What a run would do: the resource before and after (result shape) and the writes between."""

    def __init__(self, before, after, actions=None, extra=None, warnings=None, verify=None):
        self.before = before
        self.after = after
        self.actions = actions or []
        self.extra = extra or {}  # more result keys, e.g. registry_id
        self.warnings = warnings or []
        # For a merge (keeps what the task does not own): verify(current) -> what the task declared
        # and a fresh read lacks, or None. See verified_write.
        self.verify = verify

    @property
    def changed(self):
        return bool(self.actions)


# validate(params) -> request: raises ParameterError; makes no API call.
# read(client, request) -> current: one read.
# plan(request, current, context) -> Plan: pure; may raise ParameterError for rules that need the
#   current state (e.g. the caller's account). context carries the module's region.
# finish (optional): finish(client, request, plan, after, check_mode) -> (extra result keys, failure
#   message or None); a read-only step after the writes, also run in check mode. It may add to
#   plan.warnings.
# botocore_requirements (optional): botocore_requirements(params) -> [(version, reason)], for the
#   newer API fields this task's options use; checked first.
# precheck (optional): precheck(client, request, plan) -> None; for a plan with writes only (check mode too),
#   before any write: rules that need one more read, which a no-op must not pay. Raises ParameterError.
Resource = namedtuple(
    "Resource", ["result_key", "validate", "read", "plan", "finish", "botocore_requirements", "precheck"], defaults=[None, None, None]
)


def run(module, resource):
    """Run one task for `resource` and exit the module."""
    for version, reason in resource.botocore_requirements(module.params) if resource.botocore_requirements else []:
        module.require_botocore_at_least(version, reason=reason)
    try:
        request = resource.validate(module.params)
    except ParameterError as e:
        module.fail_json(msg=str(e))

    context = {"region": module.region}
    try:
        client = ecr_client(module)
        current = resource.read(client, request)
        plan = resource.plan(request, current, context)
        if plan.actions and resource.precheck:
            resource.precheck(client, request, plan)
        after = plan.after
        if not module.check_mode and plan.actions:
            after, notes = verified_write.apply(
                client, plan, lambda: resource.read(client, request), lambda fresh: resource.plan(request, fresh, context)
            )
            plan.warnings.extend(notes)
        finished, failure = resource.finish(client, request, plan, after, module.check_mode) if resource.finish else ({}, None)
    except ParameterError as e:
        module.fail_json(msg=str(e))
    except verified_write.WriteFailed as e:
        # Something was written: say so, with the state before and as it now is.
        module.fail_json(msg=e.message, **result_of(module, resource, plan, e.after, {}), **e.result)
    except AnsibleEcrError as e:
        module.fail_json_aws_error(e)

    result = result_of(module, resource, plan, after, finished)
    if failure:
        module.fail_json(msg=failure, **result)
    module.exit_json(**result)


def result_of(module, resource, plan, after, finished):
    """The task's result (and its warnings) for `plan`, with the resource as it is `after` the writes."""
    for warning in plan.warnings:
        module.warn(warning)
    result = dict(changed=plan.changed, **plan.extra, **finished)
    result[resource.result_key] = after
    result["actions"] = [action.description for action in plan.actions]
    if module._diff:
        result["diff"] = {"before": {resource.result_key: plan.before}, "after": {resource.result_key: after}}
    return result
