"""The registry's signing configuration (managed signing with AWS Signer): put whole, read, deleted.

Until one is put there is none: Get and Delete answer SigningConfigurationNotFoundException. A put
with an empty rule list is a configuration all the same (the model allows zero rules). The rule and
filter limits (10 rules, 1 to 100 filters) and the profile ARN pattern are the model's, enforced by
validation.py.
"""

from .errors import EcrError


def get_signing_configuration(ctx, params):
    registry_id, registry = ctx.registry()
    return {"registryId": registry_id, "signingConfiguration": _existing(registry_id, registry)}


def put_signing_configuration(ctx, params):
    _registry_id, registry = ctx.registry()
    registry.signing_configuration = {"rules": params["signingConfiguration"]["rules"]}
    return {"signingConfiguration": registry.signing_configuration}


def delete_signing_configuration(ctx, params):
    registry_id, registry = ctx.registry()
    configuration = _existing(registry_id, registry)
    registry.signing_configuration = None
    return {"registryId": registry_id, "signingConfiguration": configuration}


def _existing(registry_id, registry):
    if registry.signing_configuration is None:
        raise EcrError(
            "SigningConfigurationNotFoundException",
            f"Signing configuration does not exist in the registry with id '{registry_id}'",
        )
    return registry.signing_configuration


HANDLERS = {
    "GetSigningConfiguration": get_signing_configuration,
    "PutSigningConfiguration": put_signing_configuration,
    "DeleteSigningConfiguration": delete_signing_configuration,
}
