"""Account settings and the REGISTRY_POLICY_SCOPE rule for registry policies. Pure: no client."""

import re

import botocore.session
import pytest

from ansible_collections.ecrkit.registry.plugins.module_utils import account_settings
from ansible_collections.ecrkit.registry.plugins.module_utils import registry_policy
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import check_policy_scope
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import describe
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import plan_config
from ansible_collections.ecrkit.registry.plugins.module_utils.registry import validate_config
from ansible_collections.ecrkit.registry.plugins.module_utils.runner import ParameterError

CONTEXT = {"account": "123456789012", "region": "us-east-1", "allow_recreate": False, "check_mode": False}
CURRENT = {"BASIC_SCAN_TYPE_VERSION": "CLAIR", "REGISTRY_POLICY_SCOPE": "V1", "BLOB_MOUNTING": "DISABLED"}


def test_the_settable_values_are_those_the_model_documents():
    """PutAccountSetting.value's documentation is where the model states the values."""
    text = botocore.session.get_session().get_service_model("ecr").operation_model("PutAccountSetting").input_shape.members["value"].documentation
    text = re.sub(r"<[^>]+>", "", text)
    phrases = {"BASIC_SCAN_TYPE_VERSION": "basic scan type", "REGISTRY_POLICY_SCOPE": "registry policy scope", "BLOB_MOUNTING": "blob mounting"}
    for name, phrase in phrases.items():
        documented = re.search(rf"for {phrase}: ([A-Z0-9_ ,or]+)\.", text).group(1)
        assert set(re.findall(r"[A-Z][A-Z0-9_]+", documented)) == set(account_settings.SETTINGS[name].settable), name
    names = botocore.session.get_session().get_service_model("ecr").operation_model("PutAccountSetting").input_shape.members["name"].documentation
    assert all(name in names for name in account_settings.NAMES)


@pytest.mark.parametrize("name, value, message", [
    ("BLOB_MOUNTING", "ON", r"^value: 'ON' is not a value of BLOB_MOUNTING; it takes ENABLED or DISABLED\.$"),
    ("REGISTRY_POLICY_SCOPE", "v2", r"^value: 'v2' is not a value of REGISTRY_POLICY_SCOPE; it takes V2\.$"),
])
def test_a_value_the_setting_does_not_take_is_refused(name, value, message):
    with pytest.raises(ParameterError, match=message):
        account_settings.validate({"name": name, "value": value})


def test_leaving_a_legacy_value_is_one_way_and_says_so():
    plan = account_settings.plan({"name": "REGISTRY_POLICY_SCOPE", "value": "V2"}, {"value": "V1"}, {})
    assert plan.after == {"name": "REGISTRY_POLICY_SCOPE", "value": "V2"}
    assert plan.warnings == ["REGISTRY_POLICY_SCOPE: changed from V1 to V2; the service does not let you set V1 again."]
    with pytest.raises(ParameterError, match=r"^value: the registry's REGISTRY_POLICY_SCOPE is V2; the service cannot set V1 again"):
        account_settings.plan({"name": "REGISTRY_POLICY_SCOPE", "value": "V1"}, {"value": "V2"}, {})
    assert not account_settings.plan({"name": "REGISTRY_POLICY_SCOPE", "value": "V1"}, {"value": "V1"}, {}).changed


def test_the_section_writes_only_what_differs_first_and_names_the_setting():
    declared = validate_config({"account_settings": {"BLOB_MOUNTING": "ENABLED", "REGISTRY_POLICY_SCOPE": "V1"}}, "merged")
    plan = plan_config("merged", declared, {"account_settings": CURRENT}, CONTEXT)
    assert [describe(write) for write in plan.writes] == ["account_settings.BLOB_MOUNTING: set the account setting BLOB_MOUNTING to ENABLED"]
    assert plan.target["account_settings"] == dict(CURRENT, BLOB_MOUNTING="ENABLED")


@pytest.mark.parametrize("value, state, message", [
    ({"BLOB_MOUNT": "ENABLED"}, "merged", r"^account_settings\.BLOB_MOUNT: 'BLOB_MOUNT' is not an account setting"),
    ({"BLOB_MOUNTING": True}, "merged", r"^account_settings\.BLOB_MOUNTING: True is not a value of BLOB_MOUNTING"),
    ({"BLOB_MOUNTING": "ENABLED"}, "deleted", r"^account_settings: state=deleted cannot delete account settings"),
    (["BLOB_MOUNTING"], "merged", r"^config: .*account_settings"),
])
def test_section_errors_name_the_setting(value, state, message):
    with pytest.raises(ParameterError, match=message):
        from ansible_collections.ecrkit.registry.plugins.module_utils.registry import checked_config
        validate_config(checked_config({"account_settings": value}), state)


# REGISTRY_POLICY_SCOPE: what a policy may name under V1


V1_STATEMENT = {"Sid": "Replicate", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
                "Action": ["ecr:CreateRepository", "ecr:replicateimage"], "Resource": "*"}
V2_STATEMENT = dict(V1_STATEMENT, Sid="Pull", Action=["ecr:BatchGetImage", "ecr:Batch*", "ecr:*"])


def test_actions_beyond_v1_are_named():
    assert registry_policy.actions_beyond_v1({"Statement": [V1_STATEMENT]}) == []
    assert registry_policy.actions_beyond_v1({"Statement": [V1_STATEMENT, V2_STATEMENT]}) == ["ecr:Batch*", "ecr:BatchGetImage"]
    assert registry_policy.actions_beyond_v1({"Statement": dict(V1_STATEMENT, NotAction="ecr:PutImage", Action=[])}) == ["NotAction ecr:PutImage"]


def test_a_v2_policy_on_a_v1_registry_is_refused_and_a_v1_policy_is_not():
    with pytest.raises(ParameterError, match=r"^policy: the registry's account setting REGISTRY_POLICY_SCOPE is V1.*"
                                             r"also names ecr:Batch\*, ecr:BatchGetImage\."):
        registry_policy.check_scope("policy", {"Statement": [V2_STATEMENT]}, "V1")
    registry_policy.check_scope("policy", {"Statement": [V2_STATEMENT]}, "V2")
    registry_policy.check_scope("policy", {"Statement": [V1_STATEMENT]}, "V1")


class ScopeClient:
    """Answers GetAccountSetting and counts the reads."""

    def __init__(self, scope):
        self.scope, self.reads = scope, 0

    def get_account_setting(self, name):
        self.reads += 1
        return {"name": name, "value": self.scope}


def registry_plan(config, current):
    declared = validate_config(config, "merged")
    return plan_config("merged", declared, current, CONTEXT)


def test_ecr_registry_reads_the_scope_only_for_a_policy_write_that_needs_it():
    current = {"registry_policy": {"Version": "2012-10-17", "Statement": [V2_STATEMENT]}}
    client = ScopeClient("V1")
    check_policy_scope(client, registry_plan({"registry_policy": {"Statement": [V2_STATEMENT]}}, current))  # no write
    check_policy_scope(client, registry_plan({"registry_policy": {"Statement": [V1_STATEMENT]}}, {"registry_policy": None}))  # V1 only
    assert client.reads == 0
    with pytest.raises(ParameterError, match=r"^registry_policy: the registry's account setting REGISTRY_POLICY_SCOPE is V1"):
        check_policy_scope(client, registry_plan({"registry_policy": {"Statement": [V2_STATEMENT]}}, {"registry_policy": None}))
    assert client.reads == 1


def test_a_scope_set_to_v2_in_the_same_task_lets_the_policy_through_with_no_read():
    client = ScopeClient("V1")
    plan = registry_plan({"registry_policy": {"Statement": [V2_STATEMENT]}, "account_settings": {"REGISTRY_POLICY_SCOPE": "V2"}},
                         {"registry_policy": None, "account_settings": {"REGISTRY_POLICY_SCOPE": "V1"}})
    check_policy_scope(client, plan)
    assert client.reads == 0
    assert [write.section for write in plan.writes] == ["account_settings", "registry_policy"]
