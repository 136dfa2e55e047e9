"""The signing configuration and the pull time update exclusions: checks before any call, plans,
and their ecr_registry sections per state. Pure: no client."""

import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils import pull_time_exclusions
from ansible_collections.ecrkit.registry.plugins.module_utils import signing_configuration
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import describe
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import plan_config
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import render
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import validate_config
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

CONTEXT = {"account": "123456789012", "region": "us-east-1", "allow_recreate": False, "check_mode": False}
PROFILE = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/prod_images"
PROD = {"signing_profile_arn": PROFILE, "repository_filters": ["prod/*"]}
ALL = {"signing_profile_arn": PROFILE.replace("prod_images", "all_images"), "repository_filters": []}
SCANNER = "arn:aws:iam::123456789012:role/image-scanner"
BACKUP = "arn:aws:iam::123456789012:role/backup"


def signing(rules, state="present"):
    return signing_configuration.validate({"rules": rules, "state": state})


@pytest.mark.parametrize("rule, message", [
    ({"signing_profile_arn": "arn:aws:iam::123456789012:role/x"}, r"^rules\[0\]\.signing_profile_arn: .* is not the ARN of an AWS Signer"),
    ({"signing_profile_arn": "arn:aws:signer:us-east-1:123456789012:/signing-profiles/a"}, r"^rules\[0\]\.signing_profile_arn: .* is not the ARN"),
    (dict(PROD, repository_filters=["prod/*", "prod/*"]), r"^rules\[0\]\.repository_filters\[1\]: 'prod/\*' is given more than once"),
    (dict(PROD, repository_filters=["Prod"]), r"^rules\[0\]\.repository_filters\[0\]: 'Prod' is not a repository name filter"),
])
def test_bad_signing_rules_are_refused_before_any_call(rule, message):
    with pytest.raises(ParameterError, match=message):
        signing([rule])


def test_eleven_signing_rules_are_refused():
    rules = [dict(PROD, repository_filters=[f"team{index}/*"]) for index in range(11)]
    with pytest.raises(ParameterError, match=r"^rules: 11 rules given; at most 10\."):
        signing(rules)


def test_signing_puts_when_rules_differ_deletes_when_none_is_left_and_compares_as_sets():
    current = {"registry_id": "123456789012", "configuration": {"rules": [PROD, ALL]}}
    assert not signing_configuration.plan(signing([ALL, PROD]), current, {}).changed
    assert [action.description for action in signing_configuration.plan(signing([PROD]), current, {}).actions] == [
        "put the signing configuration: prod_images for prod/*"]
    assert [action.description for action in signing_configuration.plan(signing([]), current, {}).actions] == ["delete the signing configuration"]
    assert [action.description for action in signing_configuration.plan(signing(None, "absent"), current, {}).actions] == [
        "delete the signing configuration"]
    nothing = {"registry_id": None, "configuration": {"rules": []}}
    assert not signing_configuration.plan(signing(None, "absent"), nothing, {}).changed


def test_a_rule_with_no_filter_is_sent_without_them():
    assert signing_configuration.to_api({"rules": [ALL, PROD]}) == {"rules": [
        {"signingProfileArn": ALL["signing_profile_arn"]},
        {"signingProfileArn": PROFILE, "repositoryFilters": [{"filter": "prod/*", "filterType": "WILDCARD_MATCH"}]},
    ]}


def signing_section(state, value, current):
    return plan_config(state, validate_config({"signing": value}, state), {"signing": current}, CONTEXT)


def test_signing_section_states():
    current = {"rules": [PROD]}
    assert signing_section("merged", {"rules": [ALL]}, current).target["signing"]["rules"] == [PROD, ALL]
    assert signing_section("merged", {"rules": [PROD]}, current).writes == []
    assert signing_section("overridden", {"rules": [ALL]}, current).target["signing"]["rules"] == [ALL]
    deleted = signing_section("deleted", {"rules": [PROD]}, current)
    assert [describe(write) for write in deleted.writes] == ["signing: delete the signing configuration"]
    with pytest.raises(ParameterError, match=r"^signing\.rules: state=deleted names nothing"):
        validate_config({"signing": {}}, "deleted")
    with pytest.raises(ParameterError, match=r"^signing\.rules\[0\]: .*unsupported parameters: .*profile_arn"):
        validate_config({"signing": {"rules": [{"profile_arn": PROFILE}]}}, "merged")


def test_signing_section_refuses_a_merge_past_the_limit():
    current = {"rules": [dict(PROD, repository_filters=[f"team{index}/*"]) for index in range(10)]}
    with pytest.raises(ParameterError, match=r"^signing\.rules: the registry would hold 11 signing rules; it holds at most 10\."):
        signing_section("merged", {"rules": [ALL]}, current)


def test_signing_verify_finds_a_rule_a_concurrent_writer_removed():
    verify = signing_configuration.verify({"rules": [ALL]})
    assert verify({"rules": [PROD, ALL]}) is None
    assert verify({"rules": [PROD]}) == "signing rules [all_images for every repository] are missing"


# Pull time update exclusions


def exclusions(arns, state="present", purge=False):
    return pull_time_exclusions.validate({"principal_arns": arns, "state": state, "purge_principal_arns": purge})


@pytest.mark.parametrize("arn, message", [
    ("arn:aws:iam::123456789012:group/devs", r"^principal_arns\[0\]: .* is not the ARN of an IAM role or user"),
    ("arn:aws:iam::12345678901:role/x", r"^principal_arns\[0\]: .* is not the ARN of an IAM role or user"),
    ("arn:aws:sts::123456789012:assumed-role/x/y", r"^principal_arns\[0\]: .* is not the ARN of an IAM role or user"),
])
def test_bad_principals_are_refused_before_any_call(arn, message):
    with pytest.raises(ParameterError, match=message):
        exclusions([arn])
    with pytest.raises(ParameterError, match=r"^principal_arns\[1\]: .* is given more than once"):
        exclusions([SCANNER, SCANNER])


def test_exclusions_add_keep_purge_and_remove_one_principal_per_write():
    current = [BACKUP]
    add = pull_time_exclusions.plan(exclusions([SCANNER]), current, {})
    assert add.after == sorted([BACKUP, SCANNER]) and len(add.actions) == 1
    purge = pull_time_exclusions.plan(exclusions([SCANNER], purge=True), current, {})
    assert [action.description for action in purge.actions] == [
        f"deregister the pull time update exclusion of {BACKUP}", f"register a pull time update exclusion for {SCANNER}"]
    assert purge.after == [SCANNER]
    assert not pull_time_exclusions.plan(exclusions([BACKUP]), current, {}).changed
    assert pull_time_exclusions.plan(exclusions([BACKUP], state="absent"), current, {}).after == []


def test_exclusions_past_the_limit_are_refused_before_any_write():
    current = [f"arn:aws:iam::123456789012:role/r{index}" for index in range(100)]
    with pytest.raises(ParameterError, match=r"^principal_arns: the registry would exclude 101 principals; it excludes at most 100\."):
        pull_time_exclusions.plan(exclusions([SCANNER]), current, {})


def test_exclusions_section_states_and_rendered():
    def section(state, value, current):
        return plan_config(state, validate_config({"pull_time_update_exclusions": value}, state), {"pull_time_update_exclusions": current}, CONTEXT)

    assert section("merged", [SCANNER], [BACKUP]).target["pull_time_update_exclusions"] == sorted([BACKUP, SCANNER])
    assert section("overridden", [], [BACKUP]).target["pull_time_update_exclusions"] == []
    assert section("deleted", [BACKUP], [BACKUP, SCANNER]).target["pull_time_update_exclusions"] == [SCANNER]
    with pytest.raises(ParameterError, match=r"^pull_time_update_exclusions: state=deleted names nothing"):
        validate_config({"pull_time_update_exclusions": []}, "deleted")
    assert render(validate_config({"pull_time_update_exclusions": [SCANNER]}, "rendered")) == [
        {"operation": "RegisterPullTimeUpdateExclusion", "parameters": {"principalArn": SCANNER}}]
