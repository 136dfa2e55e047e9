# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Registry account settings (GetAccountSetting, PutAccountSetting): named values that always exist.

The table below is the one place that knows the settings. Its values come from the ECR model's
documentation of PutAccountSetting.value ("Valid value for basic scan type: AWS_NATIVE. Valid values
for registry policy scope: V2. Valid values for blob mounting: ENABLED or DISABLED"); a unit test
compares them with the installed botocore's text. The older values (CLAIR, V1) are still read from
registries that have them, but the service does not let you put them: moving off them is one way.
"""

from collections import namedtuple

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource

RESULT_KEY = "account_setting"

# settable: the values PutAccountSetting takes; legacy: values a registry may report that cannot be
# put back once left.
Setting = namedtuple("Setting", ["settable", "legacy"])
SETTINGS = {
    "BASIC_SCAN_TYPE_VERSION": Setting(("AWS_NATIVE",), ("CLAIR",)),
    "REGISTRY_POLICY_SCOPE": Setting(("V2",), ("V1",)),
    "BLOB_MOUNTING": Setting(("ENABLED", "DISABLED"), ()),
}
# The release whose ECR model first had Get/PutAccountSetting (a setting's name and value are plain
# strings in the model: a newer setting needs no newer botocore).
ACCOUNT_SETTINGS_BOTOCORE = "1.34.154"
NAMES = list(SETTINGS)


def known_values(name):
    return SETTINGS[name].settable + SETTINGS[name].legacy


# Validate


def check_value(where, name, value):
    """A value the setting can have (settable or legacy); whether it can be put depends on the
    current value (see check_change)."""
    if name not in SETTINGS:
        raise ParameterError(f"{where}: {name!r} is not an account setting; the settings are {', '.join(NAMES)}.")
    if not isinstance(value, str) or value not in known_values(name):
        raise ParameterError(f"{where}: {value!r} is not a value of {name}; it takes {' or '.join(SETTINGS[name].settable)}.")
    return value


def check_change(where, name, current, value):
    """Refuse going back to a legacy value: the service does not let you (before any write)."""
    if value != current and value in SETTINGS[name].legacy:
        raise ParameterError(
            f"{where}: the registry's {name} is {current}; the service cannot set {value} again (it takes only "
            f"{' or '.join(SETTINGS[name].settable)}): the change from {value} to {current} is one way."
        )


def one_way_warning(name, current, value):
    """The sentence that says a change cannot be undone, or None."""
    if current in SETTINGS[name].legacy and value != current:
        return f"{name}: changed from {current} to {value}; the service does not let you set {current} again."
    return None


def validate(params):
    return {"name": params["name"], "value": check_value("value", params["name"], params["value"])}


# Read and write


def read_setting(client, name):
    return ecr.get_account_setting(client, name)


def read(client, request):
    return {"value": read_setting(client, request["name"])}


def put_action(name, value):
    def put(client):
        return ecr.put_account_setting(client, name, value)

    return Action(f"set the account setting {name} to {value}", put)


def plan(request, current, context):
    name, value = request["name"], request["value"]
    check_change("value", name, current["value"], value)
    before = {"name": name, "value": current["value"]}
    if value == current["value"]:
        return Plan(before, before)
    warning = one_way_warning(name, current["value"], value)
    action = put_action(name, value)
    return Plan(before, {"name": name, "value": value},
                [action._replace(apply=lambda client: {"name": name, "value": action.apply(client)})], warnings=[warning] if warning else [])


def botocore_requirements(params):
    return [(ACCOUNT_SETTINGS_BOTOCORE, "to manage account settings")]


RESOURCE = Resource(RESULT_KEY, validate, read, plan, botocore_requirements=botocore_requirements)
