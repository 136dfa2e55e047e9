"""Pull time update exclusions: IAM principals whose image pulls ECR does not record as pull times.

A registry holds at most 100 (the model's PullTimeUpdateExclusionList limit; past it,
LimitExceededException). Registering one twice is ExclusionAlreadyExistsException, deregistering
one that is not there ExclusionNotFoundException. The list is of ARN strings, paged by
maxResults/nextToken (100 by default, as the reference says).
"""

from . import paging
from .errors import EcrError
from .state import now

MAX_EXCLUSIONS = 100


def register_exclusion(ctx, params):
    registry_id, registry = ctx.registry()
    arn = params["principalArn"]
    if arn in registry.pull_time_exclusions:
        raise EcrError(
            "ExclusionAlreadyExistsException",
            f"The pull time update exclusion for '{arn}' already exists in the registry with id '{registry_id}'",
        )
    if len(registry.pull_time_exclusions) >= MAX_EXCLUSIONS:
        raise EcrError(
            "LimitExceededException",
            f"The registry with id '{registry_id}' already has the maximum of {MAX_EXCLUSIONS} pull time update exclusions",
        )
    registry.pull_time_exclusions[arn] = now()
    return {"principalArn": arn, "createdAt": registry.pull_time_exclusions[arn]}


def deregister_exclusion(ctx, params):
    registry_id, registry = ctx.registry()
    arn = params["principalArn"]
    if arn not in registry.pull_time_exclusions:
        raise EcrError(
            "ExclusionNotFoundException",
            f"The pull time update exclusion for '{arn}' does not exist in the registry with id '{registry_id}'",
        )
    del registry.pull_time_exclusions[arn]
    return {"principalArn": arn}


def list_exclusions(ctx, params):
    _registry_id, registry = ctx.registry()
    chunk, next_token = paging.page(list(registry.pull_time_exclusions), lambda arn: arn, params, ctx.page_size)
    result = {"pullTimeUpdateExclusions": chunk}
    if next_token:
        result["nextToken"] = next_token
    return result


HANDLERS = {
    "RegisterPullTimeUpdateExclusion": register_exclusion,
    "DeregisterPullTimeUpdateExclusion": deregister_exclusion,
    "ListPullTimeUpdateExclusions": list_exclusions,
}
