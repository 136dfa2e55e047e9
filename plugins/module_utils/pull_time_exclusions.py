# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pull time update exclusions: the IAM principals whose pulls do not update an image's last
pull time (so that a scanner or a backup job does not keep images "in use").

A set of principal ARNs, each registered and deregistered on its own: a write never sends a list
built from a read, so concurrent writers cannot undo each other and nothing needs verifying.
"""

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource

RESULT_KEY = "pull_time_update_exclusions"
# The first botocore whose ECR model has Register/Deregister/ListPullTimeUpdateExclusions.
EXCLUSIONS_BOTOCORE = "1.41.0"
RULE = "the ARN of an IAM role or user (arn:aws:iam::ACCOUNT:role/NAME or arn:aws:iam::ACCOUNT:user/NAME)"


def max_exclusions():
    return service_model.limit("PullTimeUpdateExclusionList", "max", 100)


def check_arns(where, arns):
    """Principal ARNs: IAM roles and users, each given once, at most the registry's limit."""
    if len(arns) > max_exclusions():
        raise ParameterError(f"{where}: {len(arns)} principals given; a registry excludes at most {max_exclusions()}.")
    meta = service_model.shape_metadata("PrincipalArn")
    for index, arn in enumerate(arns):
        validators.check_string(f"{where}[{index}]", arn, meta.get("max"), 0, meta.get("pattern"), RULE)
        validators.check_arn(f"{where}[{index}]", arn, "iam", ("role/", "user/"), RULE)
    validators.check_unique(where, arns)
    return list(arns)


def desired_arns(current, given, state, purge):
    """The set the task leaves: given added (or removed when absent); with purge, only given."""
    if state == "absent":
        return [arn for arn in current if arn not in given]
    if purge:
        return list(given)
    return list(current) + [arn for arn in given if arn not in current]


def check_count(where, arns):
    if len(arns) > max_exclusions():
        raise ParameterError(f"{where}: the registry would exclude {len(arns)} principals; it excludes at most {max_exclusions()}.")


def write_actions(current, desired):
    """One register per principal added, one deregister per principal removed; each returns the set after it."""
    actions, after = [], list(current)
    for arn in [arn for arn in current if arn not in desired]:
        after = [there for there in after if there != arn]
        actions.append(Action(f"deregister the pull time update exclusion of {arn}", _write(ecr.deregister_pull_time_update_exclusion, arn, sorted(after))))
    for arn in [arn for arn in desired if arn not in current]:
        after = after + [arn]
        actions.append(Action(f"register a pull time update exclusion for {arn}", _write(ecr.register_pull_time_update_exclusion, arn, sorted(after))))
    return actions


def _write(call, arn, after):
    def apply(client):
        call(client, arn)
        return after

    return apply


def validate(params):
    return {
        "state": params["state"],
        "arns": check_arns("principal_arns", params["principal_arns"]),
        "purge": params["purge_principal_arns"],
    }


def read(client, request):
    return sorted(ecr.list_pull_time_update_exclusions(client))


def plan(request, current, context):
    desired = desired_arns(current, request["arns"], request["state"], request["purge"])
    check_count("principal_arns", desired)
    actions = write_actions(current, desired)
    return Plan(current, sorted(desired) if actions else current, actions)


def botocore_requirements(params):
    return [(EXCLUSIONS_BOTOCORE, "to manage pull time update exclusions")]


RESOURCE = Resource(RESULT_KEY, validate, read, plan, botocore_requirements=botocore_requirements)
