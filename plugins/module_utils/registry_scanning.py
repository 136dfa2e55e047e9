# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry scanning configuration: a scan type and at most two rules, one per scan frequency.

A registry that was never configured scans BASIC with no rules (every image is scanned by hand).
The configuration is put whole. Rules compare as a set and their filters as sets; a rule is named by
its scan frequency (the service's rules are at most two, and a frequency given twice would only
split its filters), which is the key ecr_registry's states use.
"""

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource

RESULT_KEY = "scanning_configuration"
DEFAULT_SCAN_TYPE = "BASIC"
# API reference, RegistryScanningRule.scanFrequency: "When the ENHANCED scan type is specified, the
# supported scan frequencies are CONTINUOUS_SCAN and SCAN_ON_PUSH. When the BASIC scan type is
# specified, the SCAN_ON_PUSH scan frequency is supported." MANUAL is what a repository no rule
# matches gets.
FREQUENCIES = {"BASIC": ("SCAN_ON_PUSH",), "ENHANCED": ("CONTINUOUS_SCAN", "SCAN_ON_PUSH")}

RULE_TABLE = [
    field_table.enum("scan_frequency", "scanFrequency", ("SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"), "ScanFrequency", required=True),
    field_table.wildcard_filters(
        "repository_filters", "repositoryFilters", "WILDCARD", "ScanningRepositoryFilterValue", "ScanningRepositoryFilterList", required=True
    ),
]
TABLE = [
    field_table.enum("scan_type", "scanType", ("BASIC", "ENHANCED"), "ScanType"),
    field_table.item_list("rules", "rules", RULE_TABLE, "RegistryScanningRuleList", "rules"),
]
ARGUMENT_SPEC = field_table.argument_spec(TABLE)
EMPTY = {"scan_type": DEFAULT_SCAN_TYPE, "rules": []}


# Validate


def check_rules(where, rules):
    """Rules (checked by the table) with one rule per scan frequency."""
    seen = set()
    for index, rule in enumerate(rules):
        if rule["scan_frequency"] in seen:
            raise ParameterError(
                f"{where}[{index}].scan_frequency: {rule['scan_frequency']} has a rule already; give each scan frequency one rule "
                "with all its repository filters."
            )
        seen.add(rule["scan_frequency"])
    return rules


def check_frequencies(where, configuration):
    """Each rule's frequency is one the scan type supports (the service refuses the others)."""
    supported = FREQUENCIES[configuration["scan_type"]]
    for index, rule in enumerate(configuration["rules"]):
        if rule["scan_frequency"] not in supported:
            raise ParameterError(
                f"{field_table.join(where, 'rules')}[{index}].scan_frequency: {rule['scan_frequency']} is not supported with scan_type "
                f"{configuration['scan_type']}; it supports {' and '.join(supported)}."
            )


def check_configuration(where, params):
    """The whole configuration: omitted scan_type is BASIC, omitted rules none."""
    configuration = field_table.check(TABLE, where, params)
    configuration["scan_type"] = configuration["scan_type"] or DEFAULT_SCAN_TYPE
    check_rules(field_table.join(where, "rules"), configuration["rules"])
    check_frequencies(where, configuration)
    return configuration


def validate(params):
    if params["state"] == "absent":
        given = [option for option in ARGUMENT_SPEC if params.get(option) is not None]
        if given:
            raise ParameterError(f"{given[0]}: state=absent returns the registry to BASIC scanning with no rules; it takes no {given[0]}.")
        return {"configuration": dict(EMPTY)}
    return {"configuration": check_configuration("", params)}


# Read and write


def from_api(member):
    configuration = field_table.from_api(TABLE, member)
    configuration["scan_type"] = configuration["scan_type"] or DEFAULT_SCAN_TYPE
    return configuration


def read_configuration(client):
    """(configuration, registry ID)."""
    response = ecr.get_registry_scanning_configuration(client)
    return from_api(response["scanningConfiguration"]), response["registryId"]


def read(client, request):
    configuration, registry_id = read_configuration(client)
    return {"registry_id": registry_id, "configuration": configuration}


def same(configuration, other):
    return field_table.same(TABLE, configuration, other)


def describe(configuration):
    rules = ", ".join(f"{rule['scan_frequency']} for {' '.join(rule['repository_filters']) or 'no repository'}" for rule in configuration["rules"])
    return f"put the registry scanning configuration: {configuration['scan_type']}{f', {rules}' if rules else ', no rules'}"


def put_actions(current, desired):
    """None, or the one put that makes `current` into `desired`."""
    if same(current, desired):
        return []

    def put(client):
        return from_api(ecr.put_registry_scanning_configuration(client, field_table.to_api(TABLE, desired)))

    return [Action(describe(desired), put)]


def plan(request, current, context):
    desired = request["configuration"]
    actions = put_actions(current["configuration"], desired)
    before = current["configuration"]
    # The whole configuration is the task's: nothing of another writer's to verify.
    return Plan(before, desired if actions else before, actions, extra={"registry_id": current["registry_id"]})


RESOURCE = Resource(RESULT_KEY, validate, read, plan)


# ecr_registry's `scanning` section: merged and replaced set the rule of each declared scan_frequency.


def merge(current, declared, state):
    """The configuration after laying `declared` ({scan_type or None, rules}) over `current`."""
    if state == "deleted":  # the rules given, where they are there exactly
        return {"scan_type": current["scan_type"], "rules": [rule for rule in current["rules"] if not any(
            field_table.same(RULE_TABLE, rule, given) for given in declared["rules"])]}
    by_frequency = {rule["scan_frequency"]: rule for rule in current["rules"]}
    if state == "overridden":
        return {"scan_type": declared["scan_type"] or DEFAULT_SCAN_TYPE, "rules": declared["rules"]}
    for rule in declared["rules"]:  # merged and replaced: a rule's only field is its filter set
        by_frequency[rule["scan_frequency"]] = rule
    return {"scan_type": declared["scan_type"] or current["scan_type"], "rules": list(by_frequency.values())}
