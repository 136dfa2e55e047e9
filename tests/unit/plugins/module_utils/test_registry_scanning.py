"""The registry scanning configuration: its table, the checks before any call, the plan, and the
`scanning` section of ecr_registry per state. Pure: no client."""

import botocore.session
import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils import field_table
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_scanning
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import plan_config
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import render
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import validate_config
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

CONTEXT = {"account": "123456789012", "region": "us-east-1", "allow_recreate": False, "check_mode": False}
ON_PUSH = {"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["*"]}
CONTINUOUS = {"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["prod/*", "web"]}


def params(**given):
    return dict({"scan_type": None, "rules": None, "state": "present"}, **given)


def model_enum(shape):
    return botocore.session.get_session().get_service_model("ecr").shape_for(shape).enum


@pytest.mark.parametrize("table", [registry_scanning.TABLE, registry_scanning.RULE_TABLE])
def test_the_table_choices_are_the_models_enums(table):
    """A new enum value in botocore fails here: the docs and the choices must learn it."""
    for field in table:
        if "choices" in field.spec:
            assert field.spec["choices"] == model_enum(field.shape), field.option


def test_omitted_options_are_the_whole_default_configuration():
    assert registry_scanning.validate(params())["configuration"] == {"scan_type": "BASIC", "rules": []}


def test_a_frequency_the_scan_type_does_not_support_is_refused_naming_the_rule():
    with pytest.raises(ParameterError, match=r"^rules\[0\]\.scan_frequency: CONTINUOUS_SCAN is not supported with scan_type BASIC"):
        registry_scanning.validate(params(rules=[CONTINUOUS]))
    with pytest.raises(ParameterError, match=r"^rules\[0\]\.scan_frequency: MANUAL is not supported with scan_type ENHANCED"):
        registry_scanning.validate(params(scan_type="ENHANCED", rules=[{"scan_frequency": "MANUAL", "repository_filters": ["*"]}]))


@pytest.mark.parametrize("rules, message", [
    ([ON_PUSH, dict(ON_PUSH, repository_filters=["a*"])], r"^rules\[1\]\.scan_frequency: SCAN_ON_PUSH has a rule already"),
    ([dict(ON_PUSH, repository_filters=["Prod"])], r"^rules\[0\]\.repository_filters\[0\]: 'Prod' is not a repository name filter"),
    ([dict(ON_PUSH, repository_filters=["a", "a"])], r"^rules\[0\]\.repository_filters\[1\]: 'a' is given more than once"),
    ([dict(ON_PUSH, repository_filters=[f"r{index}" for index in range(101)])], r"^rules\[0\]\.repository_filters: 101 filters given; at most 100"),
    ([ON_PUSH, CONTINUOUS, dict(ON_PUSH, scan_frequency="MANUAL")], r"^rules: 3 rules given; at most 2"),
])
def test_bad_rules_are_refused_before_any_call(rules, message):
    with pytest.raises(ParameterError, match=message):
        registry_scanning.validate(params(scan_type="ENHANCED", rules=rules))


def test_absent_takes_no_configuration():
    with pytest.raises(ParameterError, match=r"^scan_type: state=absent"):
        registry_scanning.validate(params(state="absent", scan_type="ENHANCED"))
    assert registry_scanning.validate(params(state="absent"))["configuration"] == registry_scanning.EMPTY


def test_rules_and_filters_compare_as_sets():
    current = {"scan_type": "ENHANCED", "rules": [CONTINUOUS, ON_PUSH]}
    reordered = {"scan_type": "ENHANCED", "rules": [ON_PUSH, dict(CONTINUOUS, repository_filters=["web", "prod/*"])]}
    assert registry_scanning.put_actions(current, reordered) == []
    assert registry_scanning.put_actions(current, {"scan_type": "BASIC", "rules": [ON_PUSH]})


def test_the_api_shape_round_trips_through_the_table():
    configuration = {"scan_type": "ENHANCED", "rules": [CONTINUOUS]}
    api = field_table.to_api(registry_scanning.TABLE, configuration)
    assert api == {"scanType": "ENHANCED", "rules": [{"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [
        {"filter": "prod/*", "filterType": "WILDCARD"}, {"filter": "web", "filterType": "WILDCARD"}]}]}
    assert registry_scanning.from_api(api) == configuration
    assert registry_scanning.from_api({}) == registry_scanning.EMPTY


def test_the_plan_puts_only_when_the_configuration_differs():
    current = {"registry_id": "123456789012", "configuration": {"scan_type": "BASIC", "rules": [ON_PUSH]}}
    same = registry_scanning.plan(registry_scanning.validate(params(rules=[ON_PUSH])), current, {})
    assert not same.changed and same.after == current["configuration"]
    change = registry_scanning.plan(registry_scanning.validate(params(scan_type="ENHANCED", rules=[CONTINUOUS])), current, {})
    assert change.actions[0].description == "put the registry scanning configuration: ENHANCED, CONTINUOUS_SCAN for prod/* web"
    assert change.after == {"scan_type": "ENHANCED", "rules": [CONTINUOUS]}


# The `scanning` section of ecr_registry


def plan_section(state, value, current):
    declared = validate_config({"scanning": value}, state)
    return plan_config(state, declared, {"scanning": current}, CONTEXT)


CURRENT = {"scan_type": "ENHANCED", "rules": [CONTINUOUS, ON_PUSH]}


def test_merged_sets_the_declared_rule_and_keeps_the_other_and_the_scan_type():
    plan = plan_section("merged", {"rules": [dict(ON_PUSH, repository_filters=["team-*"])]}, CURRENT)
    assert plan.target["scanning"] == {"scan_type": "ENHANCED", "rules": [CONTINUOUS, dict(ON_PUSH, repository_filters=["team-*"])]}
    assert [write.section for write in plan.writes] == ["scanning"]


def test_overridden_makes_the_section_exactly_what_is_declared():
    assert plan_section("overridden", {}, CURRENT).target["scanning"] == registry_scanning.EMPTY
    assert plan_section("overridden", {"scan_type": "ENHANCED", "rules": [ON_PUSH, CONTINUOUS]}, CURRENT).writes == []


def test_deleted_removes_the_rules_given_whole_and_refuses_a_scan_type():
    assert plan_section("deleted", {"rules": [CONTINUOUS]}, CURRENT).target["scanning"]["rules"] == [ON_PUSH]
    assert plan_section("deleted", {"rules": [dict(CONTINUOUS, repository_filters=["other"])]}, CURRENT).writes == []
    with pytest.raises(ParameterError, match=r"^scanning\.scan_type: state=deleted"):
        validate_config({"scanning": {"scan_type": "BASIC", "rules": [ON_PUSH]}}, "deleted")
    with pytest.raises(ParameterError, match=r"^scanning\.rules: state=deleted names nothing"):
        validate_config({"scanning": {}}, "deleted")


def test_a_merge_that_leaves_a_frequency_the_scan_type_refuses_fails_before_any_write():
    with pytest.raises(ParameterError, match=r"^scanning\.rules\[0\]\.scan_frequency: CONTINUOUS_SCAN is not supported with scan_type BASIC"):
        plan_section("merged", {"scan_type": "BASIC"}, CURRENT)


def test_section_errors_name_the_section_and_the_rule():
    with pytest.raises(ParameterError, match=r"^scanning\.rules\[0\]: .*unsupported parameters: .*repository_filter"):
        validate_config({"scanning": {"rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filter": ["*"]}]}}, "merged")
    with pytest.raises(ParameterError, match=r"^scanning\.rules\[0\]: .*scan_frequency"):
        validate_config({"scanning": {"rules": [{"scan_frequency": "HOURLY", "repository_filters": ["*"]}]}}, "merged")


def test_rendered_is_the_whole_configuration_as_the_api_takes_it():
    assert render(validate_config({"scanning": {"rules": [ON_PUSH]}}, "rendered")) == [{
        "operation": "PutRegistryScanningConfiguration",
        "parameters": {"scanType": "BASIC", "rules": [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}]},
    }]
