"""Pure logic of replication: canonical forms, set comparison, merges, limits and messages."""

import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils.replication import botocore_requirements
from ansible_collections.ecrkit.registry.plugins.module_utils.replication import plan
from ansible_collections.ecrkit.registry.plugins.module_utils.replication import rule_from_api
from ansible_collections.ecrkit.registry.plugins.module_utils.replication import rule_to_api
from ansible_collections.ecrkit.registry.plugins.module_utils.replication import validate
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

ACCOUNT = "123456789012"
CONTEXT = {"region": "us-east-1"}


def params(rules=None, purge_rules=True, state="present"):
    return {"rules": rules, "purge_rules": purge_rules, "state": state}


def rule(*regions, filters=None, delete_replication=None, registry_id=None):
    given = {"destinations": [{"region": r, "registry_id": registry_id} for r in regions], "repository_filters": filters}
    if delete_replication is not None:
        given["delete_replication"] = delete_replication
    return given


def stored(*regions, filters=(), delete_replication=None):
    """A rule as read from the service, in the result shape."""
    api = {"destinations": [{"region": r, "registryId": ACCOUNT} for r in regions]}
    if filters:
        api["repositoryFilters"] = [{"filter": f, "filterType": "PREFIX_MATCH"} for f in filters]
    if delete_replication is not None:
        api["deleteReplication"] = {"enabled": delete_replication}
    return rule_from_api(api)


def current(*rules):
    return {"registry_id": ACCOUNT, "rules": list(rules)}


def run(given, existing, **kwargs):
    return plan(validate(params(given, **kwargs)), current(*existing), CONTEXT)


def test_api_and_result_shapes_round_trip():
    api = {
        "destinations": [{"region": "us-west-2", "registryId": ACCOUNT}],
        "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX_MATCH"}],
        "deleteReplication": {"enabled": True},
    }
    assert rule_to_api(rule_from_api(api)) == api
    assert rule_to_api(rule_from_api({"destinations": []})) == {"destinations": []}


def test_order_of_rules_destinations_and_filters_is_not_a_change():
    existing = [stored("us-west-2", "eu-west-1", filters=("a1", "b1")), stored("ap-south-1")]
    outcome = run([rule("ap-south-1"), rule("eu-west-1", "us-west-2", filters=["b1", "a1"])], existing)
    assert not outcome.changed
    assert outcome.after == {"rules": existing}


def test_destination_registry_defaults_to_this_account():
    outcome = run([rule("us-west-2")], [])
    assert outcome.after["rules"][0]["destinations"] == [{"region": "us-west-2", "registry_id": ACCOUNT}]


def test_purge_replaces_and_no_purge_adds():
    west, south = stored("us-west-2"), stored("ap-south-1")
    assert run([rule("ap-south-1")], [west]).after == {"rules": [south]}
    assert run([rule("ap-south-1")], [west], purge_rules=False).after == {"rules": [west, south]}
    assert not run([rule("us-west-2")], [west, south], purge_rules=False).changed


def test_absent_removes_listed_rules_or_all():
    west, south = stored("us-west-2"), stored("ap-south-1")
    assert run([rule("us-west-2")], [west, south], state="absent").after == {"rules": [south]}
    cleared = run(None, [west, south], state="absent")
    assert cleared.after == {"rules": []} and [a.description for a in cleared.actions] == ["clear the replication configuration"]
    assert not run(None, [], state="absent").changed


def test_delete_replication_updates_in_place_and_is_kept_when_omitted():
    existing = [stored("us-west-2", delete_replication=True)]
    assert not run([rule("us-west-2")], existing).changed
    flipped = run([rule("us-west-2", delete_replication=False)], existing)
    assert flipped.changed and flipped.after["rules"][0]["delete_replication"] is False
    assert not run([rule("us-west-2", delete_replication=False)], [stored("us-west-2")]).changed


def test_source_destination_is_rejected_with_the_rule_index():
    with pytest.raises(ParameterError) as error:
        run([rule("us-west-2"), rule("us-east-1")], [])
    assert "rules[1].destinations[0]: region 'us-east-1' in registry 123456789012 is the source registry" in str(error.value)
    # The same region in another account is a valid destination.
    assert run([rule("us-east-1", registry_id="210987654321")], []).changed


def test_merged_result_is_held_to_the_limits():
    existing = [stored("us-west-2", filters=(f"team{i}",)) for i in range(25)]
    with pytest.raises(ParameterError) as error:
        run([rule("eu-west-1")], existing, purge_rules=False)
    assert "the result would hold 26 replication rules (25 in the registry now)" in str(error.value)


@pytest.mark.parametrize(
    "rules, message",
    [
        ([rule("us-west-2")] * 26, "rules: 26 rules given; a registry holds at most 25"),
        ([{"destinations": [{"region": "us-west-2", "registry_id": str(100000000000 + i)} for i in range(26)]}], "26 unique destinations"),
        ([{"destinations": []}], "rules[0].destinations: a rule needs at least one destination"),
        ([rule("us west")], "rules[0].destinations[0].region: 'us west' is not a region name"),
        ([rule("us-west-2", registry_id="1234567890123")], "registry_id: '1234567890123' is not an account ID"),
        ([rule("us-west-2", filters=["ok", "Bad"])], "rules[0].repository_filters[1]: 'Bad' is not a repository name prefix"),
        ([rule("us-west-2", filters=["x" * 257])], "rules[0].repository_filters[0]"),
    ],
)
def test_validation_names_the_option_and_the_rule(rules, message):
    with pytest.raises(ParameterError) as error:
        validate(params(rules))
    assert message in str(error.value)


def test_delete_replication_needs_the_botocore_that_knows_it():
    assert botocore_requirements(params([rule("us-west-2")])) == []
    assert botocore_requirements(params([rule("us-west-2", delete_replication=False)])) == [("1.44.4", "to set rules[].delete_replication")]
