"""Account settings: three named values per registry (account and region), read and put one at a time.

The values PutAccountSetting takes are the ones the API reference lists today: AWS_NATIVE for the
basic scan type version, V2 for the registry policy scope, ENABLED or DISABLED for blob mounting.
GetAccountSetting can still answer the older CLAIR and V1, which a registry keeps until it moves
on but can no longer be put back; tests seed them through POST /_control/account_settings.
Defaults are in state.DEFAULT_ACCOUNT_SETTINGS.
"""

from .errors import invalid_parameter

PUTTABLE_VALUES = {"BASIC_SCAN_TYPE_VERSION": ("AWS_NATIVE",), "REGISTRY_POLICY_SCOPE": ("V2",), "BLOB_MOUNTING": ("ENABLED", "DISABLED")}
# Everything GetAccountSetting may answer, the values no longer puttable included.
READABLE_VALUES = {"BASIC_SCAN_TYPE_VERSION": ("AWS_NATIVE", "CLAIR"), "REGISTRY_POLICY_SCOPE": ("V1", "V2"), "BLOB_MOUNTING": ("ENABLED", "DISABLED")}

# Registry policy scope V1: "Amazon ECR only enforces the following permissions at the private registry
# level. If any additional actions are added to the registry policy, an error will occur." (user guide,
# "Private registry permissions"), which also notes that `ecr:*` may be added. IAM action names are
# case-insensitive.
V1_ACTIONS = frozenset({"ecr:replicateimage", "ecr:batchimportupstreamimage", "ecr:createrepository", "ecr:*"})


def get_setting(ctx, params):
    name = _known_name(params["name"])
    _registry_id, registry = ctx.registry()
    return {"name": name, "value": registry.account_settings[name]}


def put_setting(ctx, params):
    name, value = _known_name(params["name"]), params["value"]
    if value not in PUTTABLE_VALUES[name]:
        # The reference does not say which error; ECR's own checks answer InvalidParameterException (assumed).
        raise invalid_parameter("value", f"Invalid value {value} for account setting {name}; valid: {', '.join(PUTTABLE_VALUES[name])}")
    _registry_id, registry = ctx.registry()
    registry.account_settings[name] = value
    return {"name": name, "value": value}


def check_registry_policy_scope(registry, document):
    """Refuse a registry policy the registry's policy scope does not allow (only V1 restricts).

    The guide says "an error will occur" without naming it: InvalidParameterException with the
    message of any other invalid registry policy is assumed. A NotAction statement grants every
    action but the ones it names, so under V1 it is refused too (assumed).
    """
    if registry.account_settings["REGISTRY_POLICY_SCOPE"] != "V1":
        return
    statements = document.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        statement = statement if isinstance(statement, dict) else {}
        actions = statement.get("Action", [])
        actions = actions if isinstance(actions, list) else [actions]
        refused = [action for action in actions if not isinstance(action, str) or action.lower() not in V1_ACTIONS]
        if refused or "NotAction" in statement:
            raise invalid_parameter(
                "policyText",
                "Invalid registry policy provided: with registry policy scope V1 a registry policy can only grant "
                "ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository",
            )


def _known_name(name):
    if name not in PUTTABLE_VALUES:
        # As for values: the reference names no error for an unknown setting; InvalidParameterException assumed.
        raise invalid_parameter("name", f"Invalid account setting name {name}; valid: {', '.join(PUTTABLE_VALUES)}")
    return name


HANDLERS = {
    "GetAccountSetting": get_setting,
    "PutAccountSetting": put_setting,
}
