"""Account settings: defaults, the values PutAccountSetting takes, seeded older values, and the V1 registry policy scope."""

import json

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
DEFAULTS = {"BASIC_SCAN_TYPE_VERSION": "AWS_NATIVE", "REGISTRY_POLICY_SCOPE": "V2", "BLOB_MOUNTING": "DISABLED"}


def message_of(excinfo):
    return excinfo.value.response["Error"]["Message"]


def setting(ecr, name):
    response = ecr.get_account_setting(name=name)
    assert response["name"] == name
    return response["value"]


def policy(*actions):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "Replication", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
        "Action": list(actions), "Resource": f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/*",
    }]})


def control(raw, payload):
    status, _headers, data = raw("POST", "/_control/account_settings", json.dumps(payload).encode(), {"Content-Type": "application/json"})
    return status, json.loads(data)


@pytest.mark.parametrize("name, value", DEFAULTS.items())
def test_defaults_of_a_new_registry(ecr, name, value):
    assert setting(ecr, name) == value


@pytest.mark.parametrize("name, value", [
    ("BASIC_SCAN_TYPE_VERSION", "AWS_NATIVE"), ("REGISTRY_POLICY_SCOPE", "V2"), ("BLOB_MOUNTING", "ENABLED"), ("BLOB_MOUNTING", "DISABLED"),
])
def test_put_then_get(ecr, name, value):
    response = ecr.put_account_setting(name=name, value=value)
    assert (response["name"], response["value"]) == (name, value)
    assert setting(ecr, name) == value


@pytest.mark.parametrize("name, value", [
    ("BASIC_SCAN_TYPE_VERSION", "CLAIR"), ("REGISTRY_POLICY_SCOPE", "V1"), ("BLOB_MOUNTING", "enabled"), ("BLOB_MOUNTING", "V2"),
])
def test_values_put_cannot_set(ecr, name, value):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.put_account_setting(name=name, value=value)
    assert f"Invalid value {value} for account setting {name}" in message_of(excinfo)
    assert setting(ecr, name) == DEFAULTS[name]


def test_unknown_setting_name(ecr):
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.get_account_setting(name="SCAN_EVERYTHING")
    assert "Invalid account setting name SCAN_EVERYTHING" in message_of(excinfo)
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.put_account_setting(name="SCAN_EVERYTHING", value="ENABLED")


def test_isolated_per_account_and_region(ecr, make_client):
    ecr.put_account_setting(name="BLOB_MOUNTING", value="ENABLED")
    assert setting(make_client(region="eu-west-1"), "BLOB_MOUNTING") == "DISABLED"
    assert setting(make_client(account=OTHER_ACCOUNT), "BLOB_MOUNTING") == "DISABLED"
    assert setting(ecr, "BLOB_MOUNTING") == "ENABLED"


def test_control_route_seeds_older_values_and_put_moves_on(ecr, raw):
    payload = {"account": ACCOUNT, "region": "us-east-1", "name": "BASIC_SCAN_TYPE_VERSION", "value": "CLAIR"}
    assert control(raw, payload) == (200, {"name": "BASIC_SCAN_TYPE_VERSION", "value": "CLAIR"})
    assert setting(ecr, "BASIC_SCAN_TYPE_VERSION") == "CLAIR"
    ecr.put_account_setting(name="BASIC_SCAN_TYPE_VERSION", value="AWS_NATIVE")
    assert setting(ecr, "BASIC_SCAN_TYPE_VERSION") == "AWS_NATIVE"


@pytest.mark.parametrize("payload", [
    {"account": ACCOUNT, "region": "us-east-1", "name": "REGISTRY_POLICY_SCOPE", "value": "V3"},
    {"account": ACCOUNT, "region": "us-east-1", "name": "NOPE", "value": "V1"},
    {"account": "12", "region": "us-east-1", "name": "REGISTRY_POLICY_SCOPE", "value": "V1"},
    {"account": ACCOUNT, "name": "REGISTRY_POLICY_SCOPE", "value": "V1"},
])
def test_control_route_refuses_what_no_registry_holds(raw, ecr, payload):
    status, body = control(raw, payload)
    assert status == 400 and body["error"]
    assert setting(ecr, "REGISTRY_POLICY_SCOPE") == "V2"


def test_v1_scope_limits_the_registry_policy_actions(ecr, raw):
    control(raw, {"account": ACCOUNT, "region": "us-east-1", "name": "REGISTRY_POLICY_SCOPE", "value": "V1"})
    with pytest.raises(ecr.exceptions.InvalidParameterException) as excinfo:
        ecr.put_registry_policy(policyText=policy("ecr:ReplicateImage", "ecr:BatchGetImage"))
    assert "Invalid registry policy provided" in message_of(excinfo)
    with pytest.raises(ecr.exceptions.RegistryPolicyNotFoundException):
        ecr.get_registry_policy()
    for actions in (("ecr:ReplicateImage", "ecr:CreateRepository"), ("ecr:BatchImportUpstreamImage",), ("ecr:*",), ("ECR:replicateimage",)):
        ecr.put_registry_policy(policyText=policy(*actions))
    # V2 (the default, and what a put moves to) takes any action.
    ecr.put_account_setting(name="REGISTRY_POLICY_SCOPE", value="V2")
    ecr.put_registry_policy(policyText=policy("ecr:BatchGetImage", "ecr:DescribeImages"))


def test_v1_scope_refuses_not_action(ecr, raw):
    control(raw, {"account": ACCOUNT, "region": "us-east-1", "name": "REGISTRY_POLICY_SCOPE", "value": "V1"})
    document = json.loads(policy("ecr:ReplicateImage"))
    document["Statement"][0]["NotAction"] = document["Statement"][0].pop("Action")
    with pytest.raises(ecr.exceptions.InvalidParameterException):
        ecr.put_registry_policy(policyText=json.dumps(document))


def test_throttled_put_changes_nothing(ecr, endpoint):
    endpoint.inject_fault(kind="throttle", count=1, operations=["PutAccountSetting"])
    with pytest.raises(ClientError) as excinfo:
        ecr.put_account_setting(name="BLOB_MOUNTING", value="ENABLED")
    assert excinfo.value.response["Error"]["Code"] == "ThrottlingException"
    assert setting(ecr, "BLOB_MOUNTING") == "DISABLED"
