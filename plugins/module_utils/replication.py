# -*- coding: utf-8 -*-

# Copyright: Contributors to the ecrkit.registry project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The registry replication configuration: a singleton per account and region.

A rule is identified by what it replicates where: its set of destinations and its set of filters.
Order means nothing to the service, so rules, destinations and filters compare as sets. The one
rule setting outside that identity, delete replication, is updated in place and kept when omitted.
"""

import re

from ansible_collections.ecrkit.registry.plugins.module_utils import ecr
from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils import service_model
from ansible_collections.ecrkit.registry.plugins.module_utils import validators
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Action
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Plan
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import Resource

RESULT_KEY = "replication_configuration"
# Service quota (ECR user guide): unique destinations across all rules. The model does not say it.
MAX_DESTINATIONS = 25
REGISTRY_ID_PATTERN = re.compile(r"^[0-9]{12}$")


def max_rules():
    """Rules per configuration, as the installed botocore's model states it (25 today; it was 10)."""
    return service_model.limit("ReplicationRuleList", "max", 25)


def max_filters():
    return service_model.limit("RepositoryFilterList", "max", 100)


def filter_rule():
    """(min, max, pattern) of a repository filter, from the service model (PutReplicationConfiguration)."""
    meta = service_model.shape_metadata("RepositoryFilterValue")
    return meta.get("min", 2), meta.get("max", 256), meta.get("pattern", r"^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$")


def region_rule():
    meta = service_model.shape_metadata("Region")
    return meta.get("min", 2), meta.get("max", 25), meta.get("pattern", r"[0-9a-z-]{2,25}")


# botocore learnt ReplicationRule.deleteReplication in this release.
DELETE_REPLICATION_BOTOCORE = "1.44.4"
FILTER_TYPE = "PREFIX_MATCH"

# Validate


def check_filter(where, value):
    """A filter as its prefix string: the string itself, or a result's {filter, filter_type} dict."""
    if isinstance(value, dict):
        unknown = set(value) - {"filter", "filter_type"}
        if unknown:
            raise ParameterError(f"{where}: unknown keys {', '.join(sorted(unknown))}; a filter dict takes filter and filter_type.")
        if value.get("filter_type", FILTER_TYPE) != FILTER_TYPE:
            raise ParameterError(f"{where}.filter_type: {value['filter_type']!r} is not supported; replication filters are {FILTER_TYPE}.")
        value = value.get("filter")
    filter_min, filter_max, filter_pattern = filter_rule()
    return validators.check_string(
        where, value, filter_max, filter_min, filter_pattern,
        f"a repository name prefix ({filter_min}-{filter_max} characters: lowercase letters, digits, and . _ - / between them)",
    )


def check_destinations(where, destinations):
    if not destinations:
        raise ParameterError(f"{where}: a rule needs at least one destination.")
    region_min, region_max, region_pattern = region_rule()
    for d_index, destination in enumerate(destinations):
        region, registry_id = destination.get("region"), destination.get("registry_id")
        validators.check_string(
            f"{where}[{d_index}].region", region, region_max, region_min, region_pattern,
            f"a region name ({region_min}-{region_max} of a-z, 0-9 and -)",
        )
        if registry_id is not None and not REGISTRY_ID_PATTERN.match(str(registry_id)):
            raise ParameterError(f"{where}[{d_index}].registry_id: {registry_id!r} is not an account ID (12 digits).")
    validators.check_unique(where, destinations, key=destination_key)
    return destinations


def check_filters(where, given_filters):
    """The filters as prefix strings (each a string, or a result's {filter, filter_type} dict)."""
    if len(given_filters) > max_filters():
        raise ParameterError(f"{where}: {len(given_filters)} filters given; a rule takes at most {max_filters()}.")
    filters = [check_filter(f"{where}[{f_index}]", value) for f_index, value in enumerate(given_filters)]
    validators.check_unique(where, filters)
    return filters


# One row per option of a rule: the argument spec of ecr_replication's rules[] and of ecr_registry's
# config.replication.rules[], the checks of the options as given, and the API member of each in the
# result shape (where a filter is {filter, filter_type} and a destination has its registry_id).
DESTINATION_SPEC = dict(region=dict(type="str", required=True), registry_id=dict(type="str"))
RULE_TABLE = [
    field_table.field(
        "destinations", "destinations", dict(type="list", elements="dict", required=True, options=DESTINATION_SPEC), default=[],
        check=check_destinations,
        encode=lambda destinations: [{"region": d["region"], "registryId": d["registry_id"]} for d in destinations],
        decode=lambda destinations: [{"region": d["region"], "registry_id": d["registryId"]} for d in destinations],
    ),
    field_table.field(
        "repository_filters", "repositoryFilters", dict(type="list", elements="raw"), default=[], check=check_filters,
        # No filter replicates every repository, and is sent without filters.
        encode=lambda filters: [{"filter": f["filter"], "filterType": f["filter_type"]} for f in filters] or field_table.OMIT,
        decode=lambda filters: [{"filter": f["filter"], "filter_type": f["filterType"]} for f in filters],
    ),
    field_table.field("delete_replication", ("deleteReplication", "enabled"), dict(type="bool"), botocore=DELETE_REPLICATION_BOTOCORE),
]
RULE_SPEC = field_table.argument_spec(RULE_TABLE)


def botocore_requirements(params):
    """(version, reason) for the newer API fields the task uses."""
    return sorted({need for rule in params.get("rules") or [] for need in field_table.botocore_requirements(RULE_TABLE, rule, "rules[]")})


def validate_rule(where, rule):
    """The rule with its filters as prefix strings; `where` names it in errors (e.g. rules[0])."""
    return field_table.check(RULE_TABLE, where, rule)


def validate_rules(option, rules):
    if len(rules) > max_rules():
        raise ParameterError(f"{option}: {len(rules)} rules given; a registry holds at most {max_rules()} replication rules.")
    checked = [validate_rule(f"{option}[{index}]", rule) for index, rule in enumerate(rules)]
    check_destination_count(option, checked)
    return checked


def region_warnings(option, rules):
    """Destination regions botocore does not know: a typo, or a region newer than botocore."""
    return [
        warning
        for index, rule in enumerate(rules)
        for d_index, destination in enumerate(rule["destinations"])
        for warning in service_model.region_warning(f"{option}[{index}].destinations[{d_index}].region", destination["region"])
    ]


def validate(params):
    rules = params.get("rules")
    warnings = []
    if rules is not None:
        rules = validate_rules("rules", rules)
        warnings = region_warnings("rules", rules)
    return {"state": params["state"], "rules": rules, "purge_rules": params["purge_rules"], "warnings": warnings}


def check_destination_count(option, rules, what="given"):
    destinations = {destination_key(d) for rule in rules for d in rule["destinations"]}
    if len(destinations) > MAX_DESTINATIONS:
        raise ParameterError(
            f"{option}: the {what} rules name {len(destinations)} unique destinations; "
            f"a registry replicates to at most {MAX_DESTINATIONS}."
        )


# Read


def read(client, request):
    """{registry_id, rules} with the rules in the result shape."""
    registry = ecr.describe_registry(client)
    return {
        "registry_id": registry["registryId"],
        "rules": [rule_from_api(rule) for rule in registry["replicationConfiguration"].get("rules", [])],
    }


# Canonical forms: the result shape (snake_case) is the one form we compare and return.


def rule_from_api(rule):
    """A rule in the result shape; delete_replication only where the service reports it (an older
    botocore does not)."""
    result = field_table.from_api(RULE_TABLE, rule)
    if result["delete_replication"] is None:
        del result["delete_replication"]
    return result


def rule_to_api(rule):
    return field_table.to_api(RULE_TABLE, rule)


def rule_from_params(rule, account):
    """A rule as the user gave it, in the result shape; destinations default to this account."""
    result = {
        "destinations": [{"region": d["region"], "registry_id": d.get("registry_id") or account} for d in rule["destinations"]],
        "repository_filters": [{"filter": value, "filter_type": "PREFIX_MATCH"} for value in rule.get("repository_filters") or []],
    }
    if rule.get("delete_replication") is not None:
        result["delete_replication"] = rule["delete_replication"]
    return result


def destination_key(destination):
    return (destination["region"], destination.get("registry_id"))


def rule_key(rule):
    """What makes a rule itself: where it replicates and what; order-free."""
    return (
        frozenset(destination_key(d) for d in rule["destinations"]),
        frozenset((f["filter"], f["filter_type"]) for f in rule["repository_filters"]),
    )


def rule_state(rule):
    """A rule with its settings, for comparison. An absent delete_replication means disabled."""
    return (rule_key(rule), bool(rule.get("delete_replication")))


# Plan


def apply_rule(current, given):
    """`given` laid over the current rule with the same identity: an omitted setting is kept."""
    merged = dict(current)
    if given.get("delete_replication") is not None:
        merged["delete_replication"] = given["delete_replication"]
    return merged


def merge_rules(current_rules, given, keep_settings, keep_undeclared):
    """The rules after laying `given` (result shape) over `current_rules` by identity. A declared
    rule keeps its omitted settings with `keep_settings` (else it is taken whole); rules not
    declared stay with `keep_undeclared`; new rules are appended."""
    by_key = {rule_key(rule): rule for rule in given}

    def declared(rule):
        return apply_rule(rule, by_key[rule_key(rule)]) if keep_settings else by_key[rule_key(rule)]

    kept = [declared(rule) if rule_key(rule) in by_key else rule for rule in current_rules if keep_undeclared or rule_key(rule) in by_key]
    present = {rule_key(rule) for rule in kept}
    added = []
    for rule in given:
        if rule_key(rule) not in present:
            present.add(rule_key(rule))
            added.append(rule)
    return kept + added


def remove_rules(current_rules, given):
    keys = {rule_key(rule) for rule in given}
    return [rule for rule in current_rules if rule_key(rule) not in keys]


def desired_rules(request, current_rules, account):
    given = [rule_from_params(rule, account) for rule in request["rules"] or []]
    if request["state"] == "absent":
        return remove_rules(current_rules, given) if request["rules"] is not None else []
    return merge_rules(current_rules, given, keep_settings=True, keep_undeclared=not request["purge_rules"])


def check_not_source(option, rules, account, region):
    """The service rejects replicating a registry into itself; say so before any write."""
    for index, rule in enumerate(rules):
        for d_index, destination in enumerate(rule["destinations"]):
            if destination["region"] == region and (destination.get("registry_id") or account) == account:
                raise ParameterError(
                    f"{option}[{index}].destinations[{d_index}]: region {region!r} in registry {account} is the source registry "
                    "itself; a registry cannot replicate to itself. Name another region or another account's registry_id."
                )


def check_result(option, rules, before_rules, hint="Remove some, or use purge_rules=true to replace them."):
    """The quotas, on the rules the registry would hold."""
    if len(rules) > max_rules():
        raise ParameterError(
            f"{option}: the result would hold {len(rules)} replication rules ({len(before_rules)} in the registry now); "
            f"a registry holds at most {max_rules()}. {hint}"
        )
    check_destination_count(option, rules, what="resulting")


def same_rules(rules, other_rules):
    return len(rules) == len(other_rules) and {rule_state(rule) for rule in rules} == {rule_state(rule) for rule in other_rules}


def put_actions(before_rules, rules):
    """The write that turns `before_rules` into `rules`: none, or one PutReplicationConfiguration."""
    if same_rules(rules, before_rules):
        return []

    def put(client):
        return {"rules": [rule_from_api(rule) for rule in ecr.put_replication_configuration(client, [rule_to_api(r) for r in rules])["rules"]]}

    return [Action("put the replication configuration" if rules else "clear the replication configuration", put)]


def plan(request, current, context):
    account = current["registry_id"]
    if request["state"] == "present":
        check_not_source("rules", request["rules"] or [], account, context["region"])
    before_rules = current["rules"]
    rules = desired_rules(request, before_rules, account)
    check_result("rules", rules, before_rules)
    before = {"rules": before_rules}
    actions = put_actions(before_rules, rules)
    merge = request["rules"] is not None and (request["state"] == "absent" or not request["purge_rules"])
    verify = verify_rules([rule_from_params(rule, account) for rule in request["rules"]], absent=request["state"] == "absent") if merge else None
    return Plan(before, {"rules": rules} if actions else before, actions, extra={"registry_id": account},
                warnings=request.get("warnings", []), verify=verify)


def describe_rule(rule):
    destinations = ", ".join(f"{d['region']} ({d['registry_id']})" for d in rule["destinations"])
    filters = ", ".join(f["filter"] for f in rule["repository_filters"])
    return f"[to {destinations}{f' for {filters}' if filters else ''}]"


def verify_rules(given, absent=False, keep_settings=True):
    """verify(current) for a merge that keeps other rules (see verified_write; `current` as `read`
    returns it): the rules `given` (result shape) with their settings, or gone when `absent`.
    With `keep_settings` a setting a rule omits is not checked (merge_rules keeps it)."""

    def verify(current):
        by_key = {rule_key(rule): rule for rule in current["rules"]}
        if absent:
            back = [describe_rule(rule) for rule in given if rule_key(rule) in by_key]
            return f"replication rules {' '.join(back)} are there again" if back else None

        def differs(rule, there):
            return rule_state(apply_rule(there, rule) if keep_settings else rule) != rule_state(there)

        missing = [describe_rule(rule) for rule in given if rule_key(rule) not in by_key or differs(rule, by_key[rule_key(rule)])]
        return f"replication rules {' '.join(missing)} are missing or changed" if missing else None

    return verify


RESOURCE = Resource(RESULT_KEY, validate, read, plan, botocore_requirements=botocore_requirements)
