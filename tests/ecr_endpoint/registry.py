"""Registry-level singletons: the replication configuration and the registry policy.

Both exist once per account and region. PutReplicationConfiguration replaces the whole rule
list (an empty list removes replication); the registry policy is put, read and deleted whole.
Under the older registry policy scope V1, a registry policy may only grant the few actions that
scope enforces (account_settings.check_registry_policy_scope).
"""

from . import account_settings, policy_text
from .errors import EcrError, invalid_parameter

MAX_UNIQUE_DESTINATIONS = 25


def describe_registry(ctx, params):
    registry_id, registry = ctx.registry()
    return {"registryId": registry_id, "replicationConfiguration": {"rules": registry.replication_rules}}


def put_replication_configuration(ctx, params):
    rules = params["replicationConfiguration"]["rules"]
    registry_id, registry = ctx.registry()
    destinations = {(dest["region"], dest["registryId"]) for rule in rules for dest in rule["destinations"]}
    if (ctx.region, registry_id) in destinations:
        raise invalid_parameter("replicationConfiguration", "Replication destination cannot be the same as the source registry")
    if len(destinations) > MAX_UNIQUE_DESTINATIONS:
        raise invalid_parameter(
            "replicationConfiguration",
            f"Replication configuration cannot have more than {MAX_UNIQUE_DESTINATIONS} unique destinations",
        )
    registry.replication_rules = rules
    return {"replicationConfiguration": {"rules": rules}}


def put_registry_policy(ctx, params):
    document = policy_text.parse(params["policyText"], "PolicyText", "Invalid registry policy provided", "Statement")
    registry_id, registry = ctx.registry()
    account_settings.check_registry_policy_scope(registry, document)
    registry.registry_policy = document
    return {"registryId": registry_id, "policyText": policy_text.pretty(document)}


def get_registry_policy(ctx, params):
    registry_id, registry = ctx.registry()
    return {"registryId": registry_id, "policyText": policy_text.pretty(_existing_policy(registry_id, registry))}


def delete_registry_policy(ctx, params):
    registry_id, registry = ctx.registry()
    document = _existing_policy(registry_id, registry)
    registry.registry_policy = None
    return {"registryId": registry_id, "policyText": policy_text.pretty(document)}


def _existing_policy(registry_id, registry):
    if registry.registry_policy is None:
        raise EcrError(
            "RegistryPolicyNotFoundException",
            f"Registry policy does not exist in the registry with id '{registry_id}'",
        )
    return registry.registry_policy


HANDLERS = {
    "DescribeRegistry": describe_registry,
    "PutReplicationConfiguration": put_replication_configuration,
    "PutRegistryPolicy": put_registry_policy,
    "GetRegistryPolicy": get_registry_policy,
    "DeleteRegistryPolicy": delete_registry_policy,
}
